"""Home page, the acting-as switcher and the health check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from setu.access.actor import ACTIVE_MEMBERSHIP_SESSION_KEY, actor_of
from setu.core.errors import InvalidInput
from setu.orgs import selectors as orgs_selectors
from setu.orgs import services as orgs_services
from setu.web import home
from setu.web.forms import ActingAsForm


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


def acting_as(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    memberships = list(orgs_selectors.membership_list_own(actor=actor))
    form = ActingAsForm(
        request.POST or None,
        memberships=memberships,
        initial={"membership": str(actor.membership_id or "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = orgs_services.acting_membership_select(
                actor=actor, membership_id=form.cleaned_data["membership"]
            )
        except InvalidInput as exc:
            form.add_error("membership", exc.errors.get("membership", [str(exc)])[0])
        else:
            request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = str(membership.pk)
            messages.success(
                request, _("You now act for %(org)s.") % {"org": membership.organisation.name}
            )
            return redirect("web:home")
    return render(
        request,
        "web/acting_as.html",
        {"form": form, "memberships": memberships, "active_nav": "account"},
    )
