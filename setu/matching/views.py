"""Matching pages: review queue, pair side by side, linked history, alerts, calibration, the
check-before-create panel and the background-check progress panel. Thin views."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from setu.access import policy
from setu.access.actor import actor_of
from setu.access.policy import Action
from setu.core.errors import InvalidInput, RateLimited
from setu.matching import forms, records, selectors, services
from setu.registry import selectors as registry


def _require_reviewer(request: HttpRequest) -> Any:
    actor = actor_of(request)
    policy.require_allowed(actor, Action.VIEW, "matching.matchpair")
    return actor


@require_http_methods(["GET", "POST"])
def pair_list(request: HttpRequest) -> HttpResponse:
    """The review queue, most urgent first, naming our own side; filters by GET, and a search by
    our own record's name or case reference by POST (never in the URL)."""
    actor = _require_reviewer(request)
    form = forms.PairFilterForm(request.GET or None)
    urgency = status = ""
    if form.is_valid():
        urgency, status = form.cleaned_data["urgency"], form.cleaned_data["status"]
    search = forms.QueueSearchForm(request.POST or None)
    person_ids = None
    if request.method == "POST" and search.is_valid():
        person_ids = selectors.queue_search(actor=actor, query=search.cleaned_data["q"])
    pairs = selectors.pair_queue(
        actor=actor, urgency=urgency or None, status=status or None, person_ids=person_ids
    )
    if person_ids is not None:
        page: Any = Paginator(pairs[: selectors.SEARCH_LIMIT], selectors.SEARCH_LIMIT).get_page(1)
    else:
        page = Paginator(pairs, 25).get_page(request.GET.get("page"))
    rows = selectors.queue_rows(actor=actor, pairs=list(page))
    alerts = selectors.alert_count(actor=actor, open_only=True)
    return render(
        request,
        "matching/pair_list.html",
        {
            "form": form,
            "search": search,
            "searched": person_ids is not None,
            "page": page,
            "rows": rows,
            "open_alerts": alerts,
            "filters": urlencode(
                {k: v for k, v in (("urgency", urgency), ("status", status)) if v}
            ),
            "active_nav": "matches",
        },
    )


@require_GET
def pair_detail(request: HttpRequest, pair_id: UUID) -> HttpResponse:
    """A pair side by side: our record in full, theirs in words until both sides confirmed."""
    review = selectors.pair_review(actor=actor_of(request), pair_id=pair_id)
    return render(
        request,
        "matching/pair_detail.html",
        {"review": review, "reason_form": forms.ReasonForm(), "active_nav": "matches"},
    )


def _act(request: HttpRequest, pair_id: UUID, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except InvalidInput as exc:
        for errors in exc.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("matching:pair-detail", pair_id=pair_id)


@require_POST
def pair_confirm(request: HttpRequest, pair_id: UUID) -> HttpResponse:
    """Confirm our side: same person."""
    actor = actor_of(request)
    return _act(
        request,
        pair_id,
        lambda: services.pair_confirm(actor=actor, pair_id=pair_id),
        _("Your confirmation is recorded."),
    )


@require_POST
def pair_dismiss(request: HttpRequest, pair_id: UUID) -> HttpResponse:
    """Dismiss: not the same person (with a reason)."""
    actor = actor_of(request)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pair_id,
        lambda: services.pair_dismiss(actor=actor, pair_id=pair_id, reason=reason),
        _("The match is dismissed."),
    )


@require_POST
def pair_unlink(request: HttpRequest, pair_id: UUID) -> HttpResponse:
    """Undo a false match; both records and their histories stay."""
    actor = actor_of(request)
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pair_id,
        lambda: services.pair_unlink(actor=actor, pair_id=pair_id, reason=reason),
        _("The records are unlinked."),
    )


@require_GET
def pair_history(request: HttpRequest, pair_id: UUID) -> HttpResponse:
    """The agreed minimal history of the linked record (audited)."""
    actor = actor_of(request)
    entries = selectors.linked_history(actor=actor, pair_id=pair_id)
    pair = selectors.pair_get(actor=actor, pair_id=pair_id)
    return render(
        request,
        "matching/pair_history.html",
        {"pair": pair, "entries": entries, "active_nav": "matches"},
    )


@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    """Re-trafficking and missing-person alerts to our organisation."""
    actor = _require_reviewer(request)
    alerts = selectors.alert_list(actor=actor)
    page = Paginator(alerts, 25).get_page(request.GET.get("page"))
    return render(request, "matching/alert_list.html", {"page": page, "active_nav": "matches"})


@require_GET
def alert_detail(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """One alert: our person, the new event's kind, date and district/state."""
    alert = selectors.alert_get(actor=actor_of(request), alert_id=alert_id)
    return render(request, "matching/alert_detail.html", {"alert": alert, "active_nav": "matches"})


@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """Mark an alert as handled."""
    services.alert_acknowledge(actor=actor_of(request), alert_id=alert_id)
    messages.success(request, _("Alert marked as handled."))
    return redirect("matching:alert-detail", alert_id=alert_id)


@require_GET
def calibration(request: HttpRequest) -> HttpResponse:
    """Reviewers' decisions by score band and the notice threshold they set."""
    data = selectors.calibration(actor=actor_of(request))
    return render(request, "matching/calibration.html", {"cal": data, "active_nav": "matches"})


@require_http_methods(["POST"])
def check(request: HttpRequest) -> HttpResponse:
    """The check-before-create panel (htmx POST from the new-person form; names stay in the body)."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.CREATE, "registry.person")
    data = registry.person_draft(request.POST)
    if not any(data.get(f) for f in ("given_name", "family_name", "name_native")):
        return render(request, "matching/_check_panel.html", {"empty": True})
    try:
        result = selectors.check_record(actor=actor, record=records.draft_record(data))
    except RateLimited as exc:
        # htmx swaps only 2xx answers into the panel; plain clients get the real status.
        status = 200 if getattr(request, "htmx", False) else 429
        response = render(
            request, "matching/_check_panel.html", {"rate_limited": True}, status=status
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    return render(request, "matching/_check_panel.html", {"result": result})


@require_GET
def person_status(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Progress of a person's background check (polled by htmx until done) and their pairs."""
    actor = actor_of(request)
    status = selectors.person_match_status(actor=actor, person_id=person_id)
    pairs = selectors.person_pairs(actor=actor, person_ids=[person_id]).get(person_id, [])
    return render(
        request,
        "matching/_person_status.html",
        {"status": status, "person_id": person_id, "pairs": pairs},
    )


@require_GET
def case_pairs(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """The pairs of a case's persons: possible matches to review, and links (htmx panel)."""
    persons = selectors.case_pairs(actor=_require_reviewer(request), case_id=case_id)
    return render(request, "matching/_case_pairs.html", {"persons": persons})
