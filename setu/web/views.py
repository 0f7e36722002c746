"""Home page and health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from setu.access.actor import actor_of
from setu.web import home


def home_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return render(request, "web/home.html", home.home_context(actor=actor))


@login_not_required
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers; reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:
        return JsonResponse({"status": "database unavailable"}, status=503)


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; answer with Setu's icon."""
    return redirect(static("setu/favicon.svg"), permanent=True)
