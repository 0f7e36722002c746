"""Version 1 of the API: each context contributes its own ``api_urls``."""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("", include("setu.orgs.api_urls")),
    path("", include("setu.registry.api_urls")),
    path("", include("setu.consent.api_urls")),
    path("", include("setu.directory.api_urls")),
    path("", include("setu.referrals.api_urls")),
    path("", include("setu.shelters.api_urls")),
    path("", include("setu.entitlements.api_urls")),
    path("", include("setu.legal.api_urls")),
    path("", include("setu.fieldops.api_urls")),
    path("", include("setu.intel.api_urls")),
    path("", include("setu.matching.api_urls")),
    path("", include("setu.feedback.api_urls")),
]
