"""The organisation admin's view of the audit trail."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from setu.access.actor import actor_of
from setu.audit import selectors


def entry_list(request: HttpRequest) -> HttpResponse:
    entries = selectors.entry_list(actor=actor_of(request))[:100]
    return render(request, "audit/entry_list.html", {"entries": entries, "active_nav": "audit"})
