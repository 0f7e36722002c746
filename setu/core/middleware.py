"""Response hygiene that holds for every app: JSON errors under /api/, no caching of data."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control

from setu.core.api import API_PREFIX, error_body

_MESSAGES = {
    400: ("invalid", "Bad request."),
    403: ("forbidden", "Not allowed."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method not allowed."),
    500: ("server_error", "Something went wrong on our side. It has been logged."),
}


class ApiJsonErrorsMiddleware:
    """Under /api/, answer errors that did not come from DRF (a URL that resolves nowhere, a
    malformed id, a crash) in the API's error shape instead of the HTML error pages.

    It wraps the finished response, so Django has already logged a crash before this runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
            and not getattr(response, "streaming", False)
        ):
            code, message = _MESSAGES.get(
                response.status_code, ("error", "The request could not be answered.")
            )
            replaced = JsonResponse(error_body(code, message), status=response.status_code)
            # Keep what inner middleware added (CSP, nosniff, no-store, Allow…); only the body
            # and its type change.
            for header, value in response.items():
                if header.lower() not in ("content-type", "content-length"):
                    replaced[header] = value
            response = replaced
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on the whole API and on every answer to a signed-in user.

    Pages about persons and cases must not stay in a shared computer's browser cache or in a
    proxy; static files are served before this runs and keep their long cache headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith(API_PREFIX) or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response
