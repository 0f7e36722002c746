from django.urls import path

from setu.entitlements import api

urlpatterns = [
    path("entitlements/schemes/", api.SchemeListApi.as_view(), name="entitlements-scheme-list"),
    path(
        "entitlements/applications/",
        api.ApplicationListApi.as_view(),
        name="entitlements-application-list",
    ),
    path(
        "entitlements/applications/<uuid:application_id>/",
        api.ApplicationDetailApi.as_view(),
        name="entitlements-application-detail",
    ),
    path(
        "entitlements/applications/<uuid:application_id>/status/",
        api.ApplicationStatusApi.as_view(),
        name="entitlements-application-status",
    ),
    path("entitlements/claims/", api.ClaimListApi.as_view(), name="entitlements-claim-list"),
    path(
        "entitlements/claims/<uuid:claim_id>/",
        api.ClaimDetailApi.as_view(),
        name="entitlements-claim-detail",
    ),
]
