"""Request-level enforcement: login required everywhere but a short allow-list; denials audited."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from setu.core.errors import Denied, NotFound

# The API answers unauthenticated requests itself (401 JSON, not a login redirect).
_API_PREFIX = "/api/"


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's login-required middleware, with the API left to DRF and denials audited."""

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: list, view_kwargs: dict
    ):  # type: ignore[override]
        if request.path.startswith(_API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Denied):
            return None
        from setu.access.denials import record_denial

        record_denial(request, exception)
        status = 404 if isinstance(exception, NotFound) else 403
        template = "404.html" if status == 404 else "403.html"
        return render(request, template, status=status)
