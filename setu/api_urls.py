"""The REST API: /api/v1/ endpoints of every context, the OpenAPI schema and its docs."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.permissions import IsAuthenticated

import setu.core.api  # noqa: F401  (registers the bearer-token scheme for the schema)

# The schema and its docs are for people in the network, like the rest of Setu.
SIGNED_IN = [IsAuthenticated]

# Swagger UI and ReDoc are served from drf-spectacular-sidecar's static files: no CDN. Swagger UI
# gets its start-up script as a file (the split view), so the site's CSP holds unchanged. ReDoc
# styles itself with injected <style> elements and a blob: worker; only that page, which shows
# no case data, allows them.
REDOC_CSP = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "worker-src": [CSP.SELF, "blob:"],
}
urlpatterns = [
    path("v1/", include("setu.api_v1")),
    path("schema/", SpectacularAPIView.as_view(permission_classes=SIGNED_IN), name="api-schema"),
    # The docs are pages a person opens in a browser: signed out, they lead to sign-in (not to a
    # blank 401 as the API's endpoints answer).
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=SIGNED_IN)
        ),
        name="api-docs",
    ),
    path(
        "redoc/",
        login_required(
            csp_override(REDOC_CSP)(
                SpectacularRedocView.as_view(
                    url_name="api-schema",
                    template_name="api/redoc.html",
                    permission_classes=SIGNED_IN,
                )
            )
        ),
        name="api-redoc",
    ),
]
