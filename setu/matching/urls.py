"""Matching pages. Pairs and alerts by UUID; names travel only in POST bodies (the check panel)."""

from django.urls import path

from setu.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.pair_list, name="pair-list"),
    path("pairs/<uuid:pair_id>/", views.pair_detail, name="pair-detail"),
    path("pairs/<uuid:pair_id>/confirm/", views.pair_confirm, name="pair-confirm"),
    path("pairs/<uuid:pair_id>/dismiss/", views.pair_dismiss, name="pair-dismiss"),
    path("pairs/<uuid:pair_id>/unlink/", views.pair_unlink, name="pair-unlink"),
    path("pairs/<uuid:pair_id>/history/", views.pair_history, name="pair-history"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<uuid:alert_id>/", views.alert_detail, name="alert-detail"),
    path("alerts/<uuid:alert_id>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("calibration/", views.calibration, name="calibration"),
    path("check/", views.check, name="check"),
    path("persons/<uuid:person_id>/status/", views.person_status, name="person-status"),
    path("cases/<uuid:case_id>/pairs/", views.case_pairs, name="case-pairs"),
]
