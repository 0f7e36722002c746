"""The statistics page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from setu.access.actor import actor_of
from setu.core import charts
from setu.insights import selectors


def overview(request: HttpRequest) -> HttpResponse:
    data = selectors.network_overview(actor=actor_of(request))
    return render(
        request,
        "insights/overview.html",
        {
            "overview": data,
            "small_cell": selectors.SMALL_CELL,
            "year_chart": charts.bar_chart(
                data.per_year, title=_("Cases opened per year (pale: fewer than 5)")
            ),
            "active_nav": "insights",
        },
    )
