from django.urls import path

from setu.fieldops import views

app_name = "fieldops"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.operation_create, name="operation-create"),
    path("lessons/", views.lessons, name="lessons"),
    path("sop/", views.sop_adapt, name="sop"),
    path("<uuid:operation_id>/", views.operation_detail, name="operation-detail"),
    path("<uuid:operation_id>/edit/", views.operation_edit, name="operation-edit"),
    path("<uuid:operation_id>/start/", views.operation_start, name="operation-start"),
    path("<uuid:operation_id>/close/", views.operation_close, name="operation-close"),
    path("<uuid:operation_id>/hold/", views.hold_link, name="hold-link"),
    path("<uuid:operation_id>/bed/", views.bed_hold, name="bed-hold"),
    path("<uuid:operation_id>/team/", views.member_add, name="member-add"),
    path("<uuid:operation_id>/me/", views.seat_settings, name="seat-settings"),
    path("<uuid:operation_id>/checkin/", views.checkin, name="checkin"),
    path("<uuid:operation_id>/debrief/", views.debrief, name="debrief"),
    path("<uuid:operation_id>/rescued/", views.rescued_add, name="rescued-add"),
    path("team/<uuid:member_id>/remove/", views.member_remove, name="member-remove"),
    path("alerts/<uuid:alert_id>/", views.alert_detail, name="alert-detail"),
    path("alerts/<uuid:alert_id>/claim/", views.alert_claim, name="alert-claim"),
    path("alerts/<uuid:alert_id>/resolve/", views.alert_resolve, name="alert-resolve"),
    path("steps/<uuid:step_id>/", views.step_tick, name="step-tick"),
]
