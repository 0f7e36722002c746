from django.urls import path

from setu.feedback import api

urlpatterns = [
    path("feedback/items/", api.FeedbackListApi.as_view(), name="feedback-item-list"),
    path(
        "feedback/items/<uuid:feedback_id>/",
        api.FeedbackDetailApi.as_view(),
        name="feedback-item-detail",
    ),
    path(
        "feedback/items/<uuid:feedback_id>/themes/",
        api.FeedbackCodeApi.as_view(),
        name="feedback-item-code",
    ),
    path(
        "feedback/items/<uuid:feedback_id>/response/",
        api.FeedbackRespondApi.as_view(),
        name="feedback-item-respond",
    ),
    path("feedback/reports/", api.ReportApi.as_view(), name="feedback-report"),
    path("feedback/changes/", api.ChangeNoteListApi.as_view(), name="feedback-change-list"),
]
