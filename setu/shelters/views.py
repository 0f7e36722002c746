"""Shelter pages: the capacity board, a shelter's own counts, bed holds, the network view."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setu.access import policy
from setu.access.actor import actor_of
from setu.access.policy import Action
from setu.core import charts
from setu.core.errors import InvalidInput
from setu.core.forms import apply_errors
from setu.shelters import selectors, services
from setu.shelters.forms import (
    AdjustForm,
    AdmitForm,
    BedGroupDetailsForm,
    BedGroupForm,
    BoardFilterForm,
    CountsForm,
    HoldForm,
    UnmetDemandForm,
)
from setu.shelters.models import BedKind, ReleaseReason


def _error_text(exc: InvalidInput) -> str:
    return " ".join(m for msgs in exc.errors.values() for m in msgs)


def capacity_board(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    policy.require_allowed(actor, Action.VIEW, "shelters.bedgroup")
    states, districts = selectors.area_choices()
    form = BoardFilterForm(request.GET or None, states=states, districts=districts)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.capacity_board(
        actor=actor,
        state_id=filters.get("state"),
        district_id=filters.get("district"),
        kind=filters.get("kind") or "",
        only_free=bool(filters.get("only_free")),
    )
    trend = selectors.capacity_trend(
        actor=actor, state_id=filters.get("state"), district_id=filters.get("district")
    )
    chart = charts.line_chart(
        [(day.strftime("%d %b"), free) for day, free in trend],
        title=_("Free beds at the end of each day, last 30 days"),
    )
    return render(
        request,
        "shelters/board.html",
        {
            "form": form,
            "rows": rows,
            "by_state": selectors.capacity_by_area(actor=actor, level="state"),
            "chart": chart,
            "trend": trend,
            "searched_district": filters.get("district"),
            "searched_kind": filters.get("kind") or "",
            "no_free": bool(filters.get("district")) and not any(r.free for r in rows),
            "can_record_unmet": policy.allowed(actor, Action.CREATE, "shelters.unmetdemand"),
            "active_nav": "shelters",
        },
    )


def manage(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    policy.require_allowed(actor, Action.EDIT, "shelters.bedgroup")
    groups = list(selectors.own_bed_groups(actor=actor))
    return render(
        request,
        "shelters/manage.html",
        {
            "groups": groups,
            "stays": selectors.stay_rows(actor=actor),
            "holds": selectors.bed_hold_list(actor=actor, active_only=True),
            "stale_after": selectors.stale_after(),
            "active_nav": "shelters",
        },
    )


def bed_group_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    policy.require_allowed(actor, Action.CREATE, "shelters.bedgroup")
    form = BedGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.bed_group_create(actor=actor, **form.cleaned_data)
        except InvalidInput as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Beds added."))
            return redirect("shelters:manage")
    return render(
        request,
        "shelters/bed_group_form.html",
        {"form": form, "title": _("Add beds"), "active_nav": "shelters"},
    )


def bed_group_edit(request: HttpRequest, bed_group_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    group = selectors.bed_group_get(actor=actor, bed_group_id=bed_group_id, action=Action.EDIT)
    initial = {
        "label": group.label,
        "languages": group.languages,
        "disability_access": group.disability_access,
        "notes": group.notes,
        "is_active": group.is_active,
    }
    form = BedGroupDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bed_group_update(actor=actor, bed_group=group, **form.cleaned_data)
        except InvalidInput as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("shelters:manage")
    counts = CountsForm(
        initial={
            "total": group.total,
            "occupied": group.occupied,
            "out_of_service": group.out_of_service,
        }
    )
    return render(
        request,
        "shelters/bed_group_form.html",
        {
            "form": form,
            "counts_form": counts,
            "group": group,
            "title": str(group),
            "active_nav": "shelters",
        },
    )


def _group_response(request: HttpRequest, bed_group_id: UUID, error: str = "") -> HttpResponse:
    if request.htmx:
        group = selectors.bed_group_get(
            actor=actor_of(request), bed_group_id=bed_group_id, action=Action.EDIT
        )
        return render(
            request,
            "shelters/_bed_group_counter.html",
            {"group": group, "error": error, "stale_after": selectors.stale_after()},
        )
    if error:
        messages.error(request, error)
    return redirect("shelters:manage")


@require_POST
def bed_group_adjust(request: HttpRequest, bed_group_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    group = selectors.bed_group_get(actor=actor, bed_group_id=bed_group_id, action=Action.EDIT)
    form = AdjustForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Unknown counter.")
    else:
        try:
            services.bed_group_adjust(actor=actor, bed_group=group, **form.cleaned_data)
        except InvalidInput as exc:
            error = _error_text(exc)
    return _group_response(request, bed_group_id, error)


@require_POST
def bed_group_counts(request: HttpRequest, bed_group_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    group = selectors.bed_group_get(actor=actor, bed_group_id=bed_group_id, action=Action.EDIT)
    form = CountsForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Enter whole numbers, zero or more.")
    else:
        try:
            services.bed_group_set_counts(actor=actor, bed_group=group, **form.cleaned_data)
        except InvalidInput as exc:
            error = _error_text(exc)
    return _group_response(request, bed_group_id, error)


@require_POST
def bed_group_confirm(request: HttpRequest, bed_group_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    group = selectors.bed_group_get(actor=actor, bed_group_id=bed_group_id, action=Action.EDIT)
    services.bed_group_confirm(actor=actor, bed_group=group)
    return _group_response(request, bed_group_id)


def hold_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    policy.require_allowed(actor, Action.VIEW, "shelters.bedhold")
    return render(
        request,
        "shelters/hold_list.html",
        {
            "holds": selectors.bed_hold_list(actor=actor)[:100],
            "holdable": selectors.holdable_referral_list(actor=actor)[:50],
            "in_use": selectors.holds_in_use(actor=actor),
            "active_nav": "shelters",
        },
    )


def hold_create(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    referral = selectors.referral_for_hold(actor=actor, referral_id=referral_id)
    groups = selectors.bed_group_list(actor=actor, shelter_id=referral.to_org_id)
    if request.method == "POST":
        form = HoldForm(request.POST)
        if form.is_valid():
            group = selectors.bed_group_get(
                actor=actor, bed_group_id=form.cleaned_data["bed_group"]
            )
            try:
                hold = services.bed_hold_create(
                    actor=actor,
                    referral=referral,
                    bed_group=group,
                    confirm_misfit=form.cleaned_data["confirm_misfit"],
                )
            except InvalidInput as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("Bed held."))
                return redirect("shelters:hold-detail", hold_id=hold.pk)
    return render(
        request,
        "shelters/hold_create.html",
        {
            "referral": referral,
            # Each bed group with the warning to read before holding it ("" when it fits).
            "groups": [(g, services.bed_kind_misfit(g.kind, referral.person)) for g in groups],
            "hold_hours": selectors.hold_hours(),
            "in_use": selectors.holds_in_use(actor=actor),
            "per_worker": selectors.holds_per_worker(),
            "active_nav": "shelters",
        },
    )


def hold_detail(request: HttpRequest, hold_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    hold = selectors.bed_hold_get(actor=actor, hold_id=hold_id)
    return render(
        request,
        "shelters/hold_detail.html",
        {
            "hold": hold,
            "can_release": hold.status == "active" and policy.can(actor, Action.EDIT, hold),
            "can_admit": hold.status == "active" and policy.can(actor, Action.EDIT, hold.bed_group),
            # A hold without a referral (a planned rescue) is renewed where it was made.
            "can_rehold": hold.referral is not None
            and policy.can(actor, Action.HOLD_BED, hold.referral)
            and hold.status != "admitted",
            "can_view_referral": hold.referral is not None
            and policy.can(actor, Action.VIEW, hold.referral),
            "active_nav": "shelters",
        },
    )


def _hold_action(request: HttpRequest, hold_id: UUID, do: str) -> HttpResponse:
    actor = actor_of(request)
    hold = selectors.bed_hold_get(actor=actor, hold_id=hold_id)
    target = hold.pk
    try:
        if do == "release":
            is_shelter = policy.can(actor, Action.EDIT, hold.bed_group)
            reason = ReleaseReason.BY_SHELTER if is_shelter else ReleaseReason.BY_HOLDER
            services.bed_hold_release(actor=actor, hold=hold, reason=reason)
            messages.success(request, _("The bed was released."))
        elif do == "rehold":
            target = services.bed_hold_rehold(actor=actor, hold=hold).pk
            messages.success(request, _("The bed is held again."))
        else:
            services.bed_hold_admit(actor=actor, hold=hold)
            messages.success(request, _("Admission confirmed."))
    except InvalidInput as exc:
        messages.error(request, _error_text(exc))
    if request.POST.get("back") == "referral":
        # Pressed on the referral page: go back there (a fixed target, never a URL from input).
        return redirect("referrals:referral-detail", referral_id=hold.referral_id)
    return redirect("shelters:hold-detail", hold_id=target)


@require_POST
def hold_release(request: HttpRequest, hold_id: UUID) -> HttpResponse:
    return _hold_action(request, hold_id, "release")


@require_POST
def hold_rehold(request: HttpRequest, hold_id: UUID) -> HttpResponse:
    return _hold_action(request, hold_id, "rehold")


@require_POST
def hold_admit(request: HttpRequest, hold_id: UUID) -> HttpResponse:
    return _hold_action(request, hold_id, "admit")


def stay_create(request: HttpRequest, case_id: UUID | None = None) -> HttpResponse:
    """Admit a survivor of one of the shelter's own cases: a bed becomes occupied."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.CREATE, "shelters.shelterstay")
    people = selectors.admission_choices(actor=actor, case_id=case_id)
    kinds = selectors.own_bed_kinds(actor=actor)
    form = AdmitForm(request.POST or None, people=people, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        chosen = next(c for c in people if c.value == form.cleaned_data["case_person"])
        try:
            services.shelter_admit(
                actor=actor,
                case=chosen.case,
                person=chosen.person,
                bed_kind=form.cleaned_data["bed_kind"],
                occurred_on=form.cleaned_data["occurred_on"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Admitted; a bed is now occupied."))
            return redirect("shelters:manage")
    return render(
        request,
        "shelters/stay_form.html",
        {"form": form, "has_people": bool(people), "has_beds": bool(kinds),
         "active_nav": "shelters"},
    )  # fmt: skip


@require_POST
def stay_discharge(request: HttpRequest, stay_id: UUID) -> HttpResponse:
    actor = actor_of(request)
    stay = selectors.stay_get(actor=actor, stay_id=stay_id)
    try:
        services.shelter_discharge(actor=actor, stay=stay)
        messages.success(request, _("Discharged; the bed is free."))
    except InvalidInput as exc:
        messages.error(request, _error_text(exc))
    return redirect("shelters:manage")


@require_POST
def unmet_record(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    policy.require_allowed(actor, Action.CREATE, "shelters.unmetdemand")
    form = UnmetDemandForm(request.POST)
    if form.is_valid():
        try:
            services.unmet_demand_record(
                actor=actor,
                district_id=form.cleaned_data["district"],
                kind=form.cleaned_data["kind"],
            )
            messages.success(request, _("Recorded: no bed found in this district."))
        except InvalidInput as exc:
            messages.error(request, _error_text(exc))
    return redirect("shelters:capacity-board")


def network(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    selectors.require_network_view(actor)
    by = request.GET.get("by", "organisation")
    by = by if by in ("organisation", "district", "state") else "organisation"
    trend = selectors.capacity_trend(actor=actor, days=90)
    per_month = selectors.referrals_per_month(actor=actor)
    flows = selectors.referral_flows(actor=actor, by=by)
    demand = selectors.unmet_demand_by_district(actor=actor)
    # Rows with no count of 5 or more say nothing but "fewer than 5" (or 0): folded into one line.
    quiet = {
        i for i, f in enumerate(flows) if not any((f.sent, f.accepted, f.declined, f.completed))
    }
    return render(
        request,
        "shelters/network.html",
        {
            "by": by,
            "flows": [f for i, f in enumerate(flows) if i not in quiet],
            "quiet_flows": [f for i, f in enumerate(flows) if i in quiet],
            "per_month": per_month,
            "referral_chart": charts.bar_chart(
                per_month, title=_("Referrals sent per month (pale: fewer than 5)")
            ),
            "trend": trend,
            "bed_chart": charts.line_chart(
                [(d.strftime("%d %b"), v) for d, v in trend],
                title=_("Free beds in the network, last 90 days"),
            ),
            "by_state": selectors.capacity_by_area(actor=actor, level="state"),
            "by_district": selectors.capacity_by_area(actor=actor, level="district"),
            "nearly_full": selectors.nearly_full_shelters(actor=actor),
            "demand": [d for d in demand if d.count is not None],
            "quiet_demand": [d for d in demand if d.count is None],
            "kinds": BedKind,
            "active_nav": "network",
        },
    )
