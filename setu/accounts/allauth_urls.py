"""The allauth pages Setu uses, and only those.

Self sign-up is closed (the page says so), email addresses are managed by organisation admins,
and there is no email confirmation or sign-in by emailed code: those allauth URLs are left out
so that they do not exist at all. Sign-in goes through Setu's lockout guard.
"""

from allauth.account import views as allauth_views
from django.urls import include, path, re_path

from setu.accounts import views

urlpatterns = [
    path("login/", views.login, name="account_login"),
    path("logout/", allauth_views.logout, name="account_logout"),
    path("inactive/", allauth_views.account_inactive, name="account_inactive"),
    path("signup/", allauth_views.signup, name="account_signup"),
    path("reauthenticate/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("password/change/", allauth_views.password_change, name="account_change_password"),
    path("password/set/", allauth_views.password_set, name="account_set_password"),
    path("password/reset/", allauth_views.password_reset, name="account_reset_password"),
    path(
        "password/reset/done/",
        allauth_views.password_reset_done,
        name="account_reset_password_done",
    ),
    re_path(
        r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        allauth_views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "password/reset/key/done/",
        allauth_views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    path("2fa/authenticate/", views.mfa_authenticate, name="mfa_authenticate"),
    path("2fa/", include("allauth.mfa.urls")),
]
