from django.urls import path

from setu.fieldops import api

urlpatterns = [
    path("fieldops/operations/", api.OperationListApi.as_view(), name="fieldops-operation-list"),
    path(
        "fieldops/operations/<uuid:operation_id>/",
        api.OperationDetailApi.as_view(),
        name="fieldops-operation-detail",
    ),
    path(
        "fieldops/operations/<uuid:operation_id>/start/",
        api.OperationStartApi.as_view(),
        name="fieldops-operation-start",
    ),
    path(
        "fieldops/operations/<uuid:operation_id>/close/",
        api.OperationCloseApi.as_view(),
        name="fieldops-operation-close",
    ),
    path(
        "fieldops/operations/<uuid:operation_id>/bed/",
        api.BedHoldApi.as_view(),
        name="fieldops-bed-hold",
    ),
    path(
        "fieldops/operations/<uuid:operation_id>/team/",
        api.MemberAddApi.as_view(),
        name="fieldops-member-add",
    ),
    path(
        "fieldops/operations/<uuid:operation_id>/checkin/",
        api.CheckInApi.as_view(),
        name="fieldops-checkin",
    ),
    path(
        "fieldops/alerts/<uuid:alert_id>/claim/",
        api.AlertClaimApi.as_view(),
        name="fieldops-alert-claim",
    ),
    path(
        "fieldops/alerts/<uuid:alert_id>/resolve/",
        api.AlertResolveApi.as_view(),
        name="fieldops-alert-resolve",
    ),
    path("fieldops/steps/<uuid:step_id>/", api.StepApi.as_view(), name="fieldops-step"),
    path("fieldops/lessons/", api.LessonListApi.as_view(), name="fieldops-lessons"),
]
