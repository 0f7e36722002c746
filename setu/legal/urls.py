from django.urls import path

from setu.legal import views

app_name = "legal"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("calendar/", views.calendar, name="calendar"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes.csv", views.outcomes_csv, name="outcomes-csv"),
    path("case/<uuid:case_id>/", views.case_proceedings, name="case"),
    path("proceedings/<uuid:proceeding_id>/", views.proceeding_detail, name="proceeding-detail"),
    path("proceedings/<uuid:proceeding_id>/edit/", views.proceeding_edit, name="proceeding-edit"),
    path(
        "proceedings/<uuid:proceeding_id>/add/<slug:what>/",
        views.proceeding_add,
        name="proceeding-add",
    ),
    path(
        "proceedings/<uuid:proceeding_id>/status/send/",
        views.plain_status_send,
        name="plain-status-send",
    ),
    path("proceedings/<uuid:proceeding_id>/bundle/", views.bundle_print, name="bundle-print"),
    path(
        "proceedings/<uuid:proceeding_id>/bundle.<str:fmt>",
        views.bundle_export,
        name="bundle-export",
    ),
    path("hearings/<uuid:hearing_id>/", views.hearing_outcome, name="hearing-outcome"),
    path("hearings/<uuid:hearing_id>/edit/", views.hearing_edit, name="hearing-edit"),
    path("hearings/<uuid:hearing_id>/delete/", views.hearing_delete, name="hearing-delete"),
    path("hearings/<uuid:hearing_id>/witness/", views.witness_plan, name="witness-plan"),
    path("accused/<uuid:accused_id>/edit/", views.accused_edit, name="accused-edit"),
    path("accused/<uuid:accused_id>/delete/", views.accused_delete, name="accused-delete"),
    path("appeals/<uuid:appeal_id>/edit/", views.appeal_edit, name="appeal-edit"),
    path("appeals/<uuid:appeal_id>/delete/", views.appeal_delete, name="appeal-delete"),
    path("measures/<uuid:measure_id>/edit/", views.measure_edit, name="measure-edit"),
    path("measures/<uuid:measure_id>/delete/", views.measure_delete, name="measure-delete"),
]
