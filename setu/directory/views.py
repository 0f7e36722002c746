"""Service directory pages: find by need and place (list and SVG map), edit, export in HSDS."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from setu.access import policy
from setu.access.actor import actor_of
from setu.access.policy import Action
from setu.core.errors import InvalidInput
from setu.core.forms import apply_errors
from setu.directory import geo, selectors, services
from setu.directory.forms import FinderForm, ServiceForm
from setu.directory.models import ServiceType
from setu.orgs import selectors as places


def _filters(request: HttpRequest) -> tuple[FinderForm, dict[str, Any]]:
    form = FinderForm(request.GET or None)
    found: dict[str, Any] = {"need": "", "state": None, "district": None}
    if form.is_bound and form.is_valid():
        found["need"] = form.cleaned_data["need"] or ""
        if form.cleaned_data["state"]:
            found["state"] = places.state_get(code=form.cleaned_data["state"])
        if form.cleaned_data["district"]:
            found["district"] = places.district_get(code=form.cleaned_data["district"])
    return form, found


def _query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def service_list(request: HttpRequest) -> HttpResponse:
    """Find services by need, state and district: a plain list that works without JavaScript."""
    actor = actor_of(request)
    form, found = _filters(request)
    qs = selectors.service_list(actor=actor, **found)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    state = found["state"] or (found["district"].state if found["district"] else None)
    context = {
        "form": form,
        "page": page,
        "filters": found,
        "query": _query(
            need=found["need"],
            state=state.code if state else None,
            district=found["district"].code if found["district"] else None,
        ),
        "map_query": _query(need=found["need"], state=state.code if state else None),
        "can_create": selectors.service_can_create(actor=actor),
        "can_export": policy.allowed(actor, Action.EXPORT, "directory.service"),
        "active_nav": "directory",
    }
    template = "directory/_results.html" if request.htmx else "directory/service_list.html"
    return render(request, template, context)


def service_map(request: HttpRequest) -> HttpResponse:
    """Districts shaded by the number of services for the chosen need; each links to the list."""
    actor = actor_of(request)
    form, found = _filters(request)
    state = found["state"]
    counts = selectors.district_service_counts(actor=actor, need=found["need"], state=state)
    shape_set = geo.shapes(state.code if state else None)
    # A polygon may stand for several newer districts ("covers"): show the best-served one.
    cells = []
    for shape in shape_set.shapes:
        codes = shape.covers or ((shape.lgd_code,) if shape.lgd_code else ())
        count = max((counts.get(code, 0) for code in codes), default=0)
        cells.append((shape, count))
    top = max((count for _shape, count in cells), default=0)
    cells_out = [
        {
            "path": shape.path,
            "name": shape.name,
            "count": count,
            "shade": geo.shade(count, top),
            "href": (
                "?" + _query(need=found["need"], state=shape.state_code, district=shape.lgd_code)
                if shape.lgd_code
                else ""
            ),
        }
        for shape, count in cells
    ]
    context = {
        "form": form,
        "filters": found,
        "cells": cells_out,
        "width": shape_set.width,
        "height": shape_set.height,
        "top": top,
        "served": sum(1 for c in cells_out if c["count"]),
        "need_label": ServiceType(found["need"]).label if found["need"] else _("any need"),
        "active_nav": "directory",
    }
    return render(request, "directory/service_map.html", context)


def service_detail(request: HttpRequest, service_id: UUID) -> HttpResponse:
    """One service: what, where, for whom, how to reach it."""
    actor = actor_of(request)
    service = selectors.service_get(actor=actor, service_id=service_id)
    context = {
        "service": service,
        "can_edit": selectors.service_can_edit(actor=actor, service=service),
        "can_refer": policy.allowed(actor, Action.CREATE, "referrals.referral")
        and service.organisation_id != actor.organisation_id,
        "active_nav": "directory",
    }
    return render(request, "directory/service_detail.html", context)


def _save(request: HttpRequest, form: ServiceForm, service: Any = None) -> HttpResponse | None:
    if not form.is_valid():
        return None
    actor = actor_of(request)
    places = {"districts": form.cleaned_data["districts"], "states": form.cleaned_data["states"]}
    try:
        if service is None:
            service = services.service_create(actor=actor, data=form.service_data(), **places)
        else:
            service = services.service_update(
                actor=actor, service=service, data=form.service_data(), **places
            )
    except InvalidInput as exc:
        apply_errors(form, exc)
        return None
    messages.success(request, _("The service was saved."))
    return redirect("directory:service-detail", service_id=service.pk)


@require_http_methods(["GET", "POST"])
def service_create(request: HttpRequest) -> HttpResponse:
    """Add a service the actor's organisation offers."""
    policy.require_allowed(actor_of(request), Action.CREATE, "directory.service")
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and (response := _save(request, form)):
        return response
    return render(request, "directory/service_form.html", {"form": form, "active_nav": "directory"})


@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: UUID) -> HttpResponse:
    """Change one of the organisation's services."""
    actor = actor_of(request)
    service = selectors.service_get(actor=actor, service_id=service_id)
    policy.require(actor, Action.EDIT, service)
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and (response := _save(request, form, service)):
        return response
    return render(
        request,
        "directory/service_form.html",
        {"form": form, "service": service, "active_nav": "directory"},
    )


def export_hsds(request: HttpRequest) -> HttpResponse:
    """Download the directory in Open Referral HSDS: ``?format=json`` (default) or ``zip``."""
    fmt = "zip" if request.GET.get("format") == "zip" else "json"
    data = services.directory_export(actor=actor_of(request), fmt=fmt)
    if fmt == "zip":
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="setu-directory-hsds.zip"'
        return response
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="setu-directory-hsds.json"'
    return response
