from django.urls import path

from setu.entitlements import views

app_name = "entitlements"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("case/<uuid:case_id>/", views.case_entitlements, name="case"),
    path(
        "applications/<uuid:application_id>/",
        views.application_detail,
        name="application-detail",
    ),
    path("claims/<uuid:claim_id>/", views.claim_detail, name="claim-detail"),
    path("stages/<uuid:stage_id>/", views.stage_edit, name="stage-edit"),
    path("stages/<uuid:stage_id>/appeal/", views.stage_appeal, name="stage-appeal"),
    path("schemes/", views.scheme_list, name="scheme-list"),
    path("schemes/new/", views.scheme_form, name="scheme-create"),
    path("schemes/<uuid:scheme_id>/", views.scheme_form, name="scheme-edit"),
]
