"""Refusals of page requests are audited and answered 404 or 403 (the API has its own handler)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from setu.audit import services
from setu.core.errors import Denied, NotFound


class DenialAuditMiddleware:
    """Record every refusal (NotFound, Forbidden, ConsentRequired) a view raises, then answer it."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, Denied):
            return None
        services.denial_record(request=request, exc=exception)
        status = 404 if isinstance(exception, NotFound) else 403
        template = "404.html" if status == 404 else "403.html"
        return render(request, template, status=status)
