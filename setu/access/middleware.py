"""Request-level enforcement: login required everywhere but a short allow-list.

Refusals are audited by `setu.audit.middleware.DenialAuditMiddleware`."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest

# The API answers unauthenticated requests itself (401 JSON, not a login redirect).
_API_PREFIX = "/api/"


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's login-required middleware, with the API left to DRF."""

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: list, view_kwargs: dict
    ):  # type: ignore[override]
        if request.path.startswith(_API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
