from django.urls import path

from setu.referrals import api

urlpatterns = [
    path("referrals/", api.ReferralListApi.as_view(), name="referral-list"),
    path(
        "referrals/<uuid:referral_id>/",
        api.ReferralDetailApi.as_view(),
        name="referral-detail",
    ),
    path(
        "referrals/<uuid:referral_id>/transition/",
        api.ReferralTransitionApi.as_view(),
        name="referral-transition",
    ),
    path(
        "referrals/<uuid:referral_id>/handover/",
        api.ReferralHandoverApi.as_view(),
        name="referral-handover",
    ),
]
