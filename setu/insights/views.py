"""The statistics page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from setu.access.actor import actor_of
from setu.insights import selectors


def overview(request: HttpRequest) -> HttpResponse:
    data = selectors.network_overview(actor=actor_of(request))
    return render(
        request,
        "insights/overview.html",
        {"overview": data, "small_cell": selectors.SMALL_CELL, "active_nav": "insights"},
    )
