"""URL map: one include per bounded context; the API under /api/v1/."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("setu.web.urls")),
    path("accounts/", include("setu.accounts.urls")),
    path("accounts/", include("setu.accounts.allauth_urls")),
    path("orgs/", include("setu.orgs.urls")),
    path("registry/", include("setu.registry.urls")),
    path("registry/", include("setu.consent.urls")),
    path("audit/", include("setu.audit.urls")),
    path("directory/", include("setu.directory.urls")),
    path("referrals/", include("setu.referrals.urls")),
    path("insights/", include("setu.insights.urls")),
    path("shelters/", include("setu.shelters.urls")),
    path("entitlements/", include("setu.entitlements.urls")),
    path("legal/", include("setu.legal.urls")),
    path("fieldops/", include("setu.fieldops.urls")),
    path("intel/", include("setu.intel.urls")),
    path("matching/", include("setu.matching.urls")),
    path("inbox/", include("setu.notifications.urls")),
    path("channels/", include("setu.channels.urls")),
    path("feedback/", include("setu.feedback.urls")),
    path("f/", include("setu.feedback.public_urls")),
    path("api/", include("setu.api_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]

handler404 = "setu.web.errors.not_found"
handler403 = "setu.web.errors.forbidden"
handler500 = "setu.web.errors.server_error"
