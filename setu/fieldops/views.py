"""Field operations pages: the list with the big check-in button, planning, the operation page,
the check-in page (works on a slow phone without JavaScript), alerts, checklist, debrief,
rescued persons, lessons and the organisation's SOP copy."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from setu.access import policy
from setu.access.actor import Actor, actor_of
from setu.access.policy import Action
from setu.core.errors import InvalidInput
from setu.core.forms import apply_errors
from setu.core.pages import form_page
from setu.fieldops import selectors, services
from setu.fieldops.forms import (
    BedForm,
    CheckInForm,
    DebriefForm,
    HoldForm,
    MemberForm,
    OperationForm,
    RescuedForm,
    ResolveForm,
    SeatForm,
    SkipForm,
    SopForm,
)
from setu.orgs import selectors as orgs

NAV = "fieldops"


def home(request: HttpRequest) -> HttpResponse:
    """Operations the actor may see, a big check-in button for each under way, open alerts."""
    actor = actor_of(request)
    selectors.require_member(actor)
    is_admin = policy.allowed(actor, Action.VIEW_AGGREGATES, "fieldops.operation")
    return render(
        request,
        "fieldops/home.html",
        {
            "operations": selectors.operation_list(actor=actor)[:200],
            "active": selectors.active_operations(actor=actor),
            "alerts": selectors.my_alerts(actor=actor)[:50],
            "can_plan": policy.allowed(actor, Action.CREATE, "fieldops.operation"),
            "rate": selectors.false_alarm_rate(actor=actor) if is_admin else None,
            "active_nav": NAV,
        },
    )


def _operation_form(request: HttpRequest, actor: Actor, **kwargs: Any) -> OperationForm:
    return OperationForm(
        request.POST if request.method == "POST" else None,
        organisations=orgs.organisation_list(actor=actor),
        districts=orgs.district_list(),
        **kwargs,
    )


def _plan_values(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    partners = list(values.pop("partner_orgs", []) or [])
    return {**values, "partner_orgs": partners}


def operation_create(request: HttpRequest) -> HttpResponse:
    """Plan a new operation; the planner leads it."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.CREATE, "fieldops.operation")
    return form_page(
        request,
        _operation_form(request, actor),
        title=_("Plan an operation"),
        back=reverse("fieldops:home"),
        submit=_("Save plan"),
        save=lambda data: services.operation_create(actor=actor, **_plan_values(data)),
        done=lambda op: reverse("fieldops:operation-detail", args=[op.pk]),
        success=_("Plan saved. Add the team next."),
        extra={"active_nav": NAV},
    )


def operation_edit(request: HttpRequest, operation_id: UUID) -> HttpResponse:
    """Change the plan."""
    actor = actor_of(request)
    op = selectors.operation_get(actor=actor, operation_id=operation_id, action=Action.EDIT)

    def save(data: dict[str, Any]) -> Any:
        values = _plan_values(data)
        values.pop("partner_orgs")
        if op.status != services.OperationStatus.PLANNED:
            values = {k: v for k, v in values.items() if k in services.ACTIVE_FIELDS}
        return services.operation_update(actor=actor, operation=op, **values)

    return form_page(
        request,
        _operation_form(request, actor, instance=op),
        title=_("Change the plan"),
        back=reverse("fieldops:operation-detail", args=[op.pk]),
        submit=_("Save plan"),
        save=save,
        done=lambda o: reverse("fieldops:operation-detail", args=[o.pk]),
        success=_("Plan saved."),
        extra={"active_nav": NAV},
    )


def operation_detail(request: HttpRequest, operation_id: UUID) -> HttpResponse:
    """The operation: plan, team, checklist, alerts, rescued persons, debrief."""
    actor = actor_of(request)
    view = selectors.operation_view(actor=actor, operation_id=operation_id)
    can_edit = policy.can(actor, Action.EDIT, view.operation)
    # A partner organisation's admin staffs her own part of the team.
    can_staff = can_edit or policy.can(actor, Action.MANAGE_MEMBERS, view.operation)
    context: dict[str, Any] = {
        "v": view,
        "op": view.operation,
        "can_edit": can_edit,
        "can_staff": can_staff,
        "removable": {
            s.member.pk
            for s in view.seats
            if can_edit or (can_staff and s.member.organisation_id == actor.organisation_id)
        },
        "skip_form": SkipForm(),
        "active_nav": NAV,
    }
    if can_edit and view.operation.status in ("planned", "active"):
        holds = _holds(actor)
        context["hold_form"] = HoldForm(holds=holds) if holds else None
        groups = _bed_groups(actor, view.operation)
        context["bed_form"] = BedForm(groups=groups) if groups else None
    return render(request, "fieldops/operation.html", context)


def _action(request: HttpRequest, operation_id: UUID, act: Any, success: str) -> HttpResponse:
    actor = actor_of(request)
    op = selectors.operation_get(actor=actor, operation_id=operation_id, action=Action.EDIT)
    try:
        act(actor, op)
    except InvalidInput as exc:
        for messages_ in exc.errors.values():
            for message in messages_:
                messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("fieldops:operation-detail", operation_id=op.pk)


@require_POST
def operation_start(request: HttpRequest, operation_id: UUID) -> HttpResponse:
    """Start: the escalation policy is frozen and every timer starts."""
    return _action(
        request,
        operation_id,
        lambda a, op: services.operation_start(actor=a, operation=op),
        _("The operation is under way. Check-in timers started."),
    )


@require_POST
def operation_close(request: HttpRequest, operation_id: UUID) -> HttpResponse:
    """Close an operation under way, or cancel a planned one."""
    cancel = request.POST.get("cancel") == "1"
    return _action(
        request,
        operation_id,
        lambda a, op: services.operation_close(actor=a, operation=op, cancel=cancel),
        _("Operation cancelled.") if cancel else _("Operation closed."),
    )


@require_POST
def hold_link(request: HttpRequest, operation_id: UUID) -> HttpResponse:
    """Note the bed held at the receiving shelter on the plan."""
    actor = actor_of(request)
    form = HoldForm(request.POST, holds=_holds(actor))
    if not form.is_valid():
        selectors.operation_get(actor=actor, operation_id=operation_id, action=Action.EDIT)
        messages.error(request, _("Choose a bed your organisation holds."))
        return redirect("fieldops:operation-detail", operation_id=operation_id)
    hold_id = form.cleaned_data["hold"]
    return _action(
        request,
        operation_id,
        lambda a, op: services.operation_link_hold(actor=a, operation=op, hold_id=hold_id),
        _("Bed hold noted on the plan."),
    )


@require_POST
def bed_hold(request: HttpRequest, operation_id: UUID) -> HttpResponse:
    """Hold a bed at the receiving shelter for the persons the operation will bring."""
    actor = actor_of(request)
    op = selectors.operation_get(actor=actor, operation_id=operation_id, action=Action.EDIT)
    form = BedForm(request.POST, groups=_bed_groups(actor, op))
    if not form.is_valid():
        messages.error(request, _("Choose beds with a free bed at the receiving shelter."))
        return redirect("fieldops:operation-detail", operation_id=op.pk)
    group_id = form.cleaned_data["bed_group"]
    return _action(
        request,
        operation_id,
        lambda a, o: services.operation_hold_bed(actor=a, operation=o, bed_group_id=group_id),
        _("A bed is held at the receiving shelter until the operation ends."),
    )


def _bed_groups(actor: Actor, op: Any) -> list[tuple[str, str]]:
    """Beds with a free one at the receiving shelter, for the lead organisation to hold."""
    from setu.shelters import selectors as shelters

    if not op.receiving_shelter_id or op.owner_org_id != actor.organisation_id:
        return []
    groups = shelters.bed_group_list(
        actor=actor, shelter_id=op.receiving_shelter_id, only_free=True
    )
    return [
        (
            str(g.pk),
            ngettext("%(beds)s: %(free)d bed free", "%(beds)s: %(free)d beds free", g.free_now)
            % {"beds": g, "free": g.free_now},
        )
        for g in groups[:20]
    ]


def _holds(actor: Actor) -> list[tuple[str, str]]:
    from setu.shelters import selectors as shelters

    return [
        (str(h.pk), f"{h.bed_group} · {h.expires_at:%d-%m-%Y %H:%M}")
        for h in shelters.bed_hold_list(actor=actor, active_only=True)[:50]
    ]


def member_add(request: HttpRequest, operation_id: UUID) -> HttpResponse:
    """Put a member of the lead or a partner organisation on the team (a partner organisation's
    admin: her own staff)."""
    actor = actor_of(request)
    op = selectors.operation_get(
        actor=actor, operation_id=operation_id, action=Action.MANAGE_MEMBERS
    )
    view = selectors.operation_view(actor=actor, operation_id=operation_id)
    form = MemberForm(
        request.POST if request.method == "POST" else None,
        users=selectors.team_choices(actor=actor, operation=op),
        buddies=[(str(s.member.pk), s.name) for s in view.seats],
        roles=[
            (value, label)
            for value, label in services.TeamRole.choices
            if value != services.TeamRole.LEAD
            or not services.staff_own_only(actor=actor, operation=op)
        ],
    )
    return form_page(
        request,
        form,
        title=_("Add to the team"),
        back=reverse("fieldops:operation-detail", args=[op.pk]),
        submit=_("Add"),
        save=lambda d: services.member_add(
            actor=actor,
            operation=op,
            user_id=d["user"],
            role=d["role"],
            phone=d["phone"],
            buddy_id=d["buddy"] or None,
        ),
        done=lambda m: reverse("fieldops:operation-detail", args=[op.pk]),
        success=_("Added to the team."),
        extra={"active_nav": NAV},
    )


@require_POST
def member_remove(request: HttpRequest, member_id: UUID) -> HttpResponse:
    """Take someone off a planned operation's team."""
    actor = actor_of(request)
    member = selectors.member_get(actor=actor, member_id=member_id)
    try:
        services.member_remove(actor=actor, member=member)
    except InvalidInput as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    else:
        messages.success(request, _("Taken off the team."))
    return redirect("fieldops:operation-detail", operation_id=member.operation_id)


def seat_settings(request: HttpRequest, operation_id: UUID) -> HttpResponse:
    """A member's own PIN, duress PIN, phone and location choice."""
    actor = actor_of(request)
    seat = selectors.seat_get(actor=actor, operation_id=operation_id)
    form = SeatForm(
        request.POST if request.method == "POST" else None,
        initial={"phone": seat.phone, "shares_location": seat.shares_location},
    )
    return form_page(
        request,
        form,
        title=_("My check-in settings"),
        back=reverse("fieldops:operation-detail", args=[operation_id]),
        submit=_("Save"),
        save=lambda d: services.member_settings(actor=actor, member=seat, **d),
        done=lambda m: reverse("fieldops:operation-detail", args=[operation_id]),
        success=_("Saved."),
        extra={"active_nav": NAV},
    )


def checkin(request: HttpRequest, operation_id: UUID) -> HttpResponse:
    """The check-in page: one big button, a distress button, a tiny POST. The answer to a
    duress PIN is the same page and the same words as to a safe check-in."""
    actor = actor_of(request)
    seat = selectors.checkin_seat(actor=actor, operation_id=operation_id)
    form = CheckInForm(request.POST or None, initial={"client_id": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = services.checkin_record(
                actor=actor,
                member=seat,
                client_id=d["client_id"],
                distress=d["distress"],
                pin=d["pin"],
                channel=services.Channel.WEB,
                latitude=d["latitude"],
                longitude=d["longitude"],
                share_location=d["share_location"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            if d["distress"]:
                messages.warning(request, _("Help is being called. Stay where it is safest."))
            else:
                messages.success(request, _("Checked in. Thank you."))
            del result
            return redirect("fieldops:checkin", operation_id=operation_id)
    return render(
        request,
        "fieldops/checkin.html",
        {
            "seat": seat,
            "op": seat.operation,
            "form": form,
            "new_id": uuid.uuid4().hex,
            "active_nav": NAV,
        },
    )


def alert_detail(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """An alert: who, since when, its steps; claim it or resolve it."""
    actor = actor_of(request)
    alert = selectors.alert_get(actor=actor, alert_id=alert_id)
    return render(
        request,
        "fieldops/alert.html",
        {
            "alert": alert,
            "who": selectors.alert_member_name(actor=actor, alert=alert),
            "steps": list(alert.steps.all()),
            "can_act": policy.can(actor, Action.RESPOND, alert),
            "resolve_form": ResolveForm(),
            "active_nav": NAV,
        },
    )


@require_POST
def alert_claim(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """ "I've got it": stops further paging (the first claim wins)."""
    actor = actor_of(request)
    alert = selectors.alert_get(actor=actor, alert_id=alert_id, action=Action.RESPOND)
    alert, won = services.alert_claim(actor=actor, alert=alert)
    if won:
        messages.success(request, _("You have it. Paging has stopped."))
    else:
        messages.info(request, _("Someone else already has it."))
    return redirect("fieldops:alert-detail", alert_id=alert.pk)


@require_POST
def alert_resolve(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """Close an alert: safe, false alarm, or a real emergency handled."""
    actor = actor_of(request)
    alert = selectors.alert_get(actor=actor, alert_id=alert_id, action=Action.RESPOND)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.alert_resolve(
                actor=actor, alert=alert, resolution=form.cleaned_data["resolution"]
            )
        except InvalidInput as exc:
            messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
        else:
            messages.success(request, _("Alert resolved."))
    else:
        messages.error(request, _("Choose how the alert ended."))
    return redirect("fieldops:alert-detail", alert_id=alert.pk)


@require_POST
def step_tick(request: HttpRequest, step_id: UUID) -> HttpResponse:
    """Tick an SOP step done, or skip it with a reason."""
    actor = actor_of(request)
    step = selectors.step_get(actor=actor, step_id=step_id)
    form = SkipForm(request.POST)
    skip = request.POST.get("skip") == "1"
    reason = form.cleaned_data["skip_reason"] if form.is_valid() else ""
    try:
        services.step_tick(actor=actor, step=step, skip=skip, skip_reason=reason)
    except InvalidInput as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms))
    else:
        messages.success(request, _("Step skipped.") if skip else _("Step done."))
    return redirect(reverse("fieldops:operation-detail", args=[step.operation_id]) + "#checklist")


def debrief(request: HttpRequest, operation_id: UUID) -> HttpResponse:
    """The team's debrief and the lesson for the network."""
    actor = actor_of(request)
    op = selectors.operation_get(actor=actor, operation_id=operation_id, action=Action.EDIT)
    existing = getattr(op, "debrief", None)
    initial = (
        {
            "went_well": existing.went_well,
            "went_wrong": existing.went_wrong,
            "lesson": existing.lesson,
        }
        if existing
        else None
    )
    return form_page(
        request,
        DebriefForm(request.POST if request.method == "POST" else None, initial=initial),
        title=_("Debrief"),
        back=reverse("fieldops:operation-detail", args=[op.pk]),
        submit=_("Save debrief"),
        save=lambda d: services.debrief_record(actor=actor, operation=op, **d),
        done=lambda d: reverse("fieldops:operation-detail", args=[op.pk]),
        success=_("Debrief saved."),
        extra={"active_nav": NAV},
    )


def rescued_add(request: HttpRequest, operation_id: UUID) -> HttpResponse:
    """Record a rescued person: a registry person and a case in one step, checked against the
    organisation's records first."""
    actor = actor_of(request)
    op = selectors.operation_get(actor=actor, operation_id=operation_id, action=Action.EDIT)
    from setu.registry import selectors as registry

    form = RescuedForm(
        request.POST if request.method == "POST" else None, genders=registry.Gender.choices
    )

    def save(d: dict[str, Any]) -> Any:
        fields = {k: v for k, v in d.items() if v not in (None, "")}
        return services.rescued_record(actor=actor, operation=op, **fields)

    return form_page(
        request,
        form,
        title=_("Record a rescued person"),
        intro=_("Setu first checks your organisation's records for her."),
        back=reverse("fieldops:operation-detail", args=[op.pk]),
        submit=_("Record"),
        save=save,
        done=lambda r: reverse("registry:case-detail", args=[r.case_id]),
        success=_("Recorded, with a case."),
        extra={"active_nav": NAV},
    )


def lessons(request: HttpRequest) -> HttpResponse:
    """Lessons from every organisation's debriefs, without names or places."""
    actor = actor_of(request)
    return render(
        request,
        "fieldops/lessons.html",
        {"lessons": selectors.lesson_list(actor=actor), "active_nav": NAV},
    )


def sop_adapt(request: HttpRequest) -> HttpResponse:
    """The organisation's copy of the SOP checklist (its admin's)."""
    actor = actor_of(request)
    policy.require_allowed(actor, Action.EDIT, "fieldops.sopadaptation")
    current = selectors.sop_adaptation(actor=actor)
    initial = None
    if current is not None:
        initial = {"omitted": current.omitted}
        for phase in services.Phase.values:
            initial[phase] = "\n".join(a["title"] for a in current.added if a["phase"] == phase)
    form = SopForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        steps=services.sop()["steps"],
    )
    return form_page(
        request,
        form,
        title=_("Our SOP checklist"),
        intro=_(
            "Drafted from the MHA AHTU SOPs, the JJ Act and ITPA; to be reviewed by a lawyer. "
            "Changes apply to operations planned from now on."
        ),
        back=reverse("fieldops:home"),
        submit=_("Save"),
        save=lambda d: services.sop_adapt(actor=actor, omitted=d["omitted"], added=form.added()),
        done=lambda a: reverse("fieldops:sop"),
        success=_("Saved."),
        extra={"active_nav": NAV},
    )
