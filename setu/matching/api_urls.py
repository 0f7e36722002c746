from django.urls import path

from setu.matching import api

urlpatterns = [
    path("matching/notices/", api.NoticeListApi.as_view(), name="match-notice-list"),
    path(
        "matching/notices/<uuid:pair_id>/",
        api.NoticeDetailApi.as_view(),
        name="match-notice-detail",
    ),
    path(
        "matching/notices/<uuid:pair_id>/confirm/",
        api.PairDecisionApi.as_view(decision="confirm"),
        name="match-notice-confirm",
    ),
    path(
        "matching/notices/<uuid:pair_id>/dismiss/",
        api.PairDecisionApi.as_view(decision="dismiss"),
        name="match-notice-dismiss",
    ),
    path(
        "matching/notices/<uuid:pair_id>/unlink/",
        api.PairDecisionApi.as_view(decision="unlink"),
        name="match-notice-unlink",
    ),
    path("matching/reviews/", api.ReviewListApi.as_view(), name="match-review-list"),
    path("matching/missing/", api.MissingListApi.as_view(), name="match-missing-list"),
    path("matching/links/", api.LinkListApi.as_view(), name="match-link-list"),
    path("matching/alerts/", api.AlertListApi.as_view(), name="match-alert-list"),
    path(
        "matching/alerts/<uuid:alert_id>/acknowledge/",
        api.AlertAcknowledgeApi.as_view(),
        name="match-alert-acknowledge",
    ),
]
