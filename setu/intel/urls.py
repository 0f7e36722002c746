from django.urls import path

from setu.intel import views

app_name = "intel"
urlpatterns = [
    path("", views.crossref, name="crossref"),
    path("search/", views.search, name="search"),
    path("counts/", views.counts, name="counts"),
    path("agreements/", views.agreements, name="agreements"),
    path(
        "agreements/<uuid:agreement_id>/<slug:what>/",
        views.agreement_act,
        name="agreement-act",
    ),
    path("case/<uuid:case_id>/", views.case_intel, name="case"),
    path("case/<uuid:case_id>/add/<slug:what>/", views.case_add, name="case-add"),
    path("case/<uuid:case_id>/graph/", views.graph, name="graph"),
    path(
        "perpetrators/<uuid:perpetrator_id>/edit/",
        views.perpetrator_edit,
        name="perpetrator-edit",
    ),
    path(
        "perpetrators/<uuid:perpetrator_id>/merge/",
        views.perpetrator_merge,
        name="perpetrator-merge",
    ),
    path(
        "perpetrators/<uuid:perpetrator_id>/remove/",
        views.perpetrator_remove,
        name="perpetrator-remove",
    ),
    path("identifiers/<uuid:identifier_id>/edit/", views.identifier_edit, name="identifier-edit"),
    path(
        "identifiers/<uuid:identifier_id>/remove/",
        views.identifier_remove,
        name="identifier-remove",
    ),
]
