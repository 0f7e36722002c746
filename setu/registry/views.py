"""Registry pages (placeholder lists; replaced by the registry UI work)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from setu.access.actor import actor_of
from setu.registry import selectors


def case_list(request: HttpRequest) -> HttpResponse:
    cases = selectors.case_list(actor=actor_of(request))[:50]
    return render(request, "registry/case_list.html", {"cases": cases, "active_nav": "cases"})


def person_list(request: HttpRequest) -> HttpResponse:
    persons = selectors.person_list(actor=actor_of(request))[:50]
    return render(
        request, "registry/person_list.html", {"persons": persons, "active_nav": "persons"}
    )
