from django.urls import path

from setu.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="referral-list"),
    path("new/<uuid:case_id>/", views.referral_create, name="referral-create"),
    path("<uuid:referral_id>/", views.referral_detail, name="referral-detail"),
    path("<uuid:referral_id>/accept/", views.referral_accept, name="referral-accept"),
    path("<uuid:referral_id>/decline/", views.referral_decline, name="referral-decline"),
    path("<uuid:referral_id>/start/", views.referral_start, name="referral-start"),
    path("<uuid:referral_id>/complete/", views.referral_complete, name="referral-complete"),
    path("<uuid:referral_id>/close/", views.referral_close, name="referral-close"),
    path("<uuid:referral_id>/handover/", views.referral_handover, name="referral-handover"),
    path(
        "<uuid:referral_id>/received/",
        views.referral_confirm_received,
        name="referral-confirm-received",
    ),
]
