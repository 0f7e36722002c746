"""Intel pages: a case's intelligence (add, correct, remove), cross-references with other
organisations, search by identifier (POST), the network graph, counts and agreements."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.access.actor import actor_of
from setu.access.policy import Action
from setu.audit import services as audit
from setu.core.errors import InvalidInput
from setu.core.forms import apply_errors
from setu.core.pages import form_page
from setu.intel import selectors, services
from setu.intel.forms import (
    AgencyNumbersForm,
    AgreementForm,
    GraphFilterForm,
    IdentifierEditForm,
    IdentifierForm,
    PerpetratorForm,
    PerpetratorMergeForm,
    SearchForm,
)

NAV = "intel"


def _messages_from(request: HttpRequest, form: Any, exc: InvalidInput | None = None) -> None:
    errors = exc.errors if exc is not None else form.errors
    for name, texts in errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for text in texts:
            messages.error(request, f"{label}: {text}" if label else str(text))


def case_intel(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """A case's perpetrators and identifiers, what other organisations hold too, and the forms
    to add more (for those who write it)."""
    actor = actor_of(request)
    selectors.require_reader(actor=actor)
    case = selectors.case_for_intel(actor=actor, case_id=case_id)
    intel = selectors.case_intel(actor=actor, case=case)
    can_write = selectors.can_write(actor=actor, case=case)
    perpetrators = selectors.perpetrator_choices(actor=actor, case=case) if can_write else []
    return render(
        request,
        "intel/case.html",
        {
            "case": case,
            "intel": intel,
            "can_write": can_write,
            "perpetrator_form": AgencyNumbersForm(prefix="p") if can_write else None,
            "identifier_form": IdentifierForm(prefix="i", perpetrators=perpetrators)
            if can_write
            else None,
            "active_nav": NAV,
        },
    )


@require_POST
def case_add(request: HttpRequest, case_id: UUID, what: str) -> HttpResponse:
    """Add a perpetrator or an identifier to a case; errors come back as messages naming the
    field, and nothing is saved."""
    actor = actor_of(request)
    case = selectors.case_for_intel(actor=actor, case_id=case_id)
    back = redirect("intel:case", case_id=case.pk)
    if what == "perpetrator":
        form: Any = AgencyNumbersForm(request.POST, prefix="p")
    elif what == "identifier":
        form = IdentifierForm(
            request.POST,
            prefix="i",
            perpetrators=selectors.perpetrator_choices(actor=actor, case=case),
        )
    else:
        return back
    if not form.is_valid():
        _messages_from(request, form)
        return back
    try:
        if what == "perpetrator":
            services.perpetrator_add(actor=actor, case=case, **form.cleaned_data)
        else:
            services.identifier_add(actor=actor, case=case, **form.values())
    except InvalidInput as exc:
        _messages_from(request, form, exc)
    else:
        messages.success(request, _("Saved."))
    return back


def _item_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    case_id: Any,
    save: Callable[[dict[str, Any]], Any],
    remove_url: str,
    merge_url: str = "",
) -> HttpResponse:
    """An intelligence item's correction page: the form, then merging and removing it."""
    back = reverse("intel:case", args=[case_id])
    return form_page(
        request,
        form,
        title=title,
        back=back,
        submit=_("Save"),
        save=save,
        done=lambda _item: back,
        success=_("Saved."),
        refused=audit.denial_record,
        template="intel/item_form.html",
        extra={"remove_url": remove_url, "merge_url": merge_url, "active_nav": NAV},
    )


def perpetrator_edit(request: HttpRequest, perpetrator_id: UUID) -> HttpResponse:
    """Correct a perpetrator's names, role, source or note."""
    actor = actor_of(request)
    perpetrator = selectors.perpetrator_get(
        actor=actor, perpetrator_id=perpetrator_id, action=Action.EDIT
    )
    initial = {name: getattr(perpetrator, name) for name in services.PERPETRATOR_FIELDS}
    initial["aliases"] = ", ".join(perpetrator.aliases or [])
    form = PerpetratorForm(request.POST if request.method == "POST" else None, initial=initial)
    return _item_page(
        request,
        form,
        title=_("Correct a perpetrator"),
        case_id=perpetrator.case_id,
        save=lambda data: services.perpetrator_update(actor=actor, perpetrator=perpetrator, **data),
        remove_url=reverse("intel:perpetrator-remove", args=[perpetrator.pk]),
        merge_url=reverse("intel:perpetrator-merge", args=[perpetrator.pk]),
    )


def identifier_edit(request: HttpRequest, identifier_id: UUID) -> HttpResponse:
    """Correct an identifier; its value is normalised again."""
    actor = actor_of(request)
    identifier = selectors.identifier_get(
        actor=actor, identifier_id=identifier_id, action=Action.EDIT
    )
    initial = {
        "raw": identifier.raw,
        "perpetrator_id": str(identifier.perpetrator_id or ""),
        "source": identifier.source,
        "note": identifier.note,
        "first_seen": identifier.first_seen,
        "last_seen": identifier.last_seen,
    }
    if identifier.kind == "handle":
        initial["platform"] = identifier.value.split(":", 1)[0]
    form = IdentifierEditForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        perpetrators=selectors.perpetrator_choices(actor=actor, case=identifier.case),
    )
    return _item_page(
        request,
        form,
        title=_("Correct an identifier: %(kind)s") % {"kind": identifier.get_kind_display()},
        case_id=identifier.case_id,
        save=lambda _data: services.identifier_update(
            actor=actor, identifier=identifier, **form.values()
        ),
        remove_url=reverse("intel:identifier-remove", args=[identifier.pk]),
    )


def perpetrator_merge(request: HttpRequest, perpetrator_id: UUID) -> HttpResponse:
    """Merge a perpetrator into another record of the same case that is the same person or
    agency: its names, identifiers, note and cross-references move; it is then gone."""
    actor = actor_of(request)
    perpetrator = selectors.perpetrator_get(
        actor=actor, perpetrator_id=perpetrator_id, action=Action.EDIT
    )
    others = [
        (pk, name)
        for pk, name in selectors.perpetrator_choices(actor=actor, case=perpetrator.case)
        if pk != str(perpetrator.pk)
    ]
    form = PerpetratorMergeForm(request.POST if request.method == "POST" else None, others=others)
    back = reverse("intel:case", args=[perpetrator.case_id])
    return form_page(
        request,
        form,
        title=_("Merge %(name)s into another record") % {"name": perpetrator.name},
        intro=_(
            "Use this when two records of this case are the same person or agency. The other "
            "record keeps its name, role and source; this one's names become its other names, "
            "and its identifiers, note and cross-references move to it."
        )
        if others
        else _("This case has no other perpetrator to merge into."),
        back=back,
        submit=_("Merge"),
        save=lambda data: services.perpetrator_merge(
            actor=actor,
            perpetrator=perpetrator,
            into=selectors.perpetrator_get(
                actor=actor, perpetrator_id=data["into"], action=Action.EDIT
            ),
        ),
        done=lambda _kept: back,
        success=_("Merged."),
        refused=audit.denial_record,
        extra={"active_nav": NAV},
    )


@require_POST
def perpetrator_remove(request: HttpRequest, perpetrator_id: UUID) -> HttpResponse:
    """Remove a perpetrator recorded in error."""
    actor = actor_of(request)
    perpetrator = selectors.perpetrator_get(
        actor=actor, perpetrator_id=perpetrator_id, action=Action.EDIT
    )
    case_id = perpetrator.case_id
    services.perpetrator_remove(actor=actor, perpetrator=perpetrator)
    messages.success(request, _("Removed."))
    return redirect("intel:case", case_id=case_id)


@require_POST
def identifier_remove(request: HttpRequest, identifier_id: UUID) -> HttpResponse:
    """Remove an identifier recorded in error."""
    actor = actor_of(request)
    identifier = selectors.identifier_get(
        actor=actor, identifier_id=identifier_id, action=Action.EDIT
    )
    case_id = identifier.case_id
    services.identifier_remove(actor=actor, identifier=identifier)
    messages.success(request, _("Removed."))
    return redirect("intel:case", case_id=case_id)


def crossref(request: HttpRequest) -> HttpResponse:
    """Values of our cases that other organisations hold too: who, and whom to ask."""
    actor = actor_of(request)
    return render(
        request,
        "intel/crossref.html",
        {
            "crossrefs": selectors.crossref_list(actor=actor),
            "search_form": SearchForm(),
            "active_nav": NAV,
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    """Where a value is held. POST only carries the value: never in the URL. htmx swaps in the
    results; without JavaScript the whole page comes back."""
    actor = actor_of(request)
    selectors.require_reader(actor=actor)
    form = SearchForm(request.POST if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = selectors.identifier_search(actor=actor, **form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
    template = "intel/_search_results.html" if request.htmx else "intel/search.html"
    return render(request, template, {"form": form, "result": result, "active_nav": NAV})


def graph(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """The network around a case, two hops out, drawn by Cytoscape.js, with the same graph as
    lists (for phones and screen readers)."""
    actor = actor_of(request)
    selectors.require_reader(actor=actor)
    case = selectors.case_for_intel(actor=actor, case_id=case_id)
    form = GraphFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            "kinds": form.cleaned_data["kind"],
            "since": form.cleaned_data["since"],
            "until": form.cleaned_data["until"],
        }
    network = selectors.network_graph(actor=actor, case=case, **filters)
    labels = {n["id"]: n["label"] for n in network.nodes}
    return render(
        request,
        "intel/graph.html",
        {
            "case": case,
            "form": form,
            "graph": network,
            "graph_data": {"nodes": network.nodes, "edges": network.edges},
            "edge_rows": [(labels[e["source"]], labels[e["target"]]) for e in network.edges],
            "active_nav": NAV,
        },
    )


def counts(request: HttpRequest) -> HttpResponse:
    """How much intelligence the organisation holds and shares links on: counts only."""
    actor = actor_of(request)
    return render(
        request,
        "intel/counts.html",
        {"counts": selectors.intel_counts(actor=actor), "active_nav": NAV},
    )


def agreements(request: HttpRequest) -> HttpResponse:
    """The organisation's sharing agreements; an admin proposes, accepts and withdraws."""
    actor = actor_of(request)
    rows = list(selectors.agreement_list(actor=actor))
    can_manage = selectors.can_manage_agreements(actor=actor)
    form = None
    if can_manage:
        form = AgreementForm(
            request.POST if request.method == "POST" else None,
            partners=selectors.partner_choices(actor=actor),
            initial={"starts_on": datetime.date.today()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.agreement_propose(
                    actor=actor,
                    partner_org_id=form.cleaned_data["partner_org"],
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    purpose=form.cleaned_data["purpose"],
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Proposed. The other organisation's admin decides."))
                return redirect("intel:agreements")
    elif request.method == "POST":
        selectors.require_manager(actor=actor)
    for agreement in rows:
        agreement.state = selectors.agreement_state(agreement)  # type: ignore[attr-defined]
        agreement.can_accept = selectors.can_respond(actor=actor, agreement=agreement)  # type: ignore[attr-defined]
        agreement.can_withdraw = can_manage and selectors.can_withdraw(  # type: ignore[attr-defined]
            actor=actor, agreement=agreement
        )
    return render(
        request,
        "intel/agreements.html",
        {"agreements": rows, "form": form, "can_manage": can_manage, "active_nav": NAV},
    )


@require_POST
def agreement_act(request: HttpRequest, agreement_id: UUID, what: str) -> HttpResponse:
    """Accept (the partner's admin) or withdraw (either admin) an agreement."""
    actor = actor_of(request)
    if what == "accept":
        agreement = selectors.agreement_get(
            actor=actor, agreement_id=agreement_id, action=Action.RESPOND
        )
        act: Any = services.agreement_accept
    else:
        agreement = selectors.agreement_get(
            actor=actor, agreement_id=agreement_id, action=Action.EDIT
        )
        act = services.agreement_withdraw
    try:
        act(actor=actor, agreement=agreement)
    except InvalidInput as exc:
        for texts in exc.errors.values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, _("Saved."))
    return redirect("intel:agreements")
