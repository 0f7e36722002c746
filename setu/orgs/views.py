"""Organisation directory pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from setu.access.actor import actor_of
from setu.orgs import selectors


def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisation_list(actor=actor_of(request))
    return render(
        request,
        "orgs/organisation_list.html",
        {"organisations": organisations, "active_nav": "orgs"},
    )
