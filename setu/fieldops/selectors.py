"""Reads of field operations, each through the policy. Every read of a plan is audited; the
target place is given only to the team, and staff of other organisations are named only to
the team (``policy.fieldops_sees_place`` / ``fieldops_names_staff``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core.errors import NotFound
from setu.fieldops.models import (
    ACTIVE_ALERT,
    SUPPORT_ROLES,
    Alert,
    AlertStatus,
    ChecklistStep,
    Debrief,
    Operation,
    OperationStatus,
    Rescued,
    Resolution,
    SopAdaptation,
    TeamMember,
    TeamRole,
)


def _not_found(model: type, pk: Any, action: Action = Action.VIEW) -> NotFound:
    return NotFound(action=action, target=(model._meta.label_lower, str(pk), None))


def require_member(actor: Actor) -> None:
    """The field operations pages are for staff of member organisations."""
    policy.require_allowed(actor, Action.VIEW, "fieldops.operation")


def operation_list(*, actor: Actor) -> QuerySet[Operation]:
    """Operations the actor may see: their team's, and (for admins) their organisation's."""
    qs = Operation.objects.select_related("owner_org").annotate(
        open_alerts=Count("alerts", filter=Q(alerts__status__in=["open", "claimed"]), distinct=True)
    )
    return policy.scope(actor, qs, Action.VIEW).order_by("-planned_start")


def operations_at_place(*, actor: Actor, place: str) -> list[Operation]:
    """Open operations at this target place (case, spacing and punctuation ignored) among
    those whose place the actor sees (their own teams'): before planning a second raid on the
    same house. The place is encrypted, so it is found by its blind index."""
    digest = Operation._meta.get_field("target_place_index").digest(place)
    if not digest:
        return []
    qs = operation_list(actor=actor).filter(
        target_place_index=digest,
        status__in=(OperationStatus.PLANNED, OperationStatus.ACTIVE),
    )
    return [op for op in qs if policy.fieldops_sees_place(actor, op)]


def operation_get(
    *, actor: Actor, operation_id: Any, action: Action = Action.VIEW, audited: bool = True
) -> Operation:
    """One operation the actor may ``action``; the read is audited."""
    qs = Operation.objects.select_related(
        "owner_org", "receiving_shelter", "authority_org", "district"
    )
    op = policy.scope(actor, qs.filter(pk=operation_id), action).first()
    if op is None:
        if (
            action != Action.VIEW
            and policy.scope(actor, qs.filter(pk=operation_id), Action.VIEW).exists()
        ):
            policy.require(actor, action, Operation.objects.get(pk=operation_id))
        raise _not_found(Operation, operation_id, action)
    if audited:
        audit.record(actor=actor, action=AuditAction.VIEW, target=op)
    return op


@dataclass(frozen=True)
class Seat:
    """A team member as the viewer may see them."""

    member: TeamMember
    name: str  # the person's name, or "<role>, <organisation>" when not named to the viewer
    organisation: str
    named: bool
    overdue: bool


@dataclass(frozen=True)
class OperationView:
    """What the operation page shows to this actor."""

    operation: Operation
    place_visible: bool
    on_team: bool
    seat: TeamMember | None
    seats: list[Seat]
    steps: list[ChecklistStep]
    alerts: list[Alert]
    rescued: list[Rescued]
    debrief: Debrief | None
    partners: list[str]
    # Roles the SOP expects for this kind of operation that nobody on the team fills yet.
    to_arrange: list[TeamRole] = field(default_factory=list)


def _seat(actor: Actor, op: Operation, m: TeamMember, now: Any) -> Seat:
    named = policy.fieldops_names_staff(actor, op, m.organisation_id)
    org = str(m.organisation)
    full = m.user.get_full_name() or m.user.username
    name = (
        full
        if named
        else _("%(role)s, %(organisation)s")
        % {
            "role": m.get_role_display(),
            "organisation": org,
        }
    )
    overdue = bool(m.next_due_at and m.next_due_at <= now)
    return Seat(m, name, org, named, overdue)


def operation_view(*, actor: Actor, operation_id: Any) -> OperationView:
    """The operation page: plan, team, checklist, alerts, rescued persons and debrief."""
    from django.utils import timezone

    op = operation_get(actor=actor, operation_id=operation_id)
    team = list(op.team.select_related("user", "organisation", "buddy").order_by("created_at"))
    now = timezone.now()
    seat = next((m for m in team if m.user_id == actor.user.pk), None)
    return OperationView(
        operation=op,
        place_visible=policy.fieldops_sees_place(actor, op),
        on_team=seat is not None,
        seat=seat,
        seats=[_seat(actor, op, m, now) for m in team],
        steps=list(op.steps.select_related("done_by")),
        alerts=list(
            op.alerts.select_related("member__user", "claimed_by").order_by("-deadline_at")[:50]
        ),
        rescued=list(op.rescued.select_related("case"))
        if seat or actor.organisation_id == op.owner_org_id
        else [],
        debrief=Debrief.objects.filter(operation=op).first(),
        partners=[str(o) for o in op.partner_orgs.all()],
        to_arrange=[
            role for role in SUPPORT_ROLES[op.kind] if not any(m.role == role for m in team)
        ]
        if op.status in (OperationStatus.PLANNED, OperationStatus.ACTIVE)
        else [],
    )


def _audit_seat(actor: Actor, seat: TeamMember, page: str) -> None:
    # A seat ties a person to an operation (and holds her phone): reading it is audited like
    # any read of a plan. ``page`` says which, so the trail can tell the two pages apart.
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        target=("fieldops.teammember", str(seat.pk), seat.operation.owner_org_id),
        details={"page": page},
    )


def seat_get(*, actor: Actor, operation_id: Any) -> TeamMember:
    """The actor's own seat on an operation (her check-in settings page); 404 for anyone
    else. The read is audited."""
    seat = (
        TeamMember.objects.select_related("operation")
        .filter(operation_id=operation_id, user_id=actor.user.pk)
        .first()
    )
    if seat is None or not policy.can(actor, Action.VIEW, seat.operation):
        raise _not_found(Operation, operation_id)
    _audit_seat(actor, seat, "settings")
    return seat


def checkin_seat(*, actor: Actor, operation_id: Any, audited: bool = True) -> TeamMember:
    """The actor's seat on an operation under way, to check in with. The check-in page's read
    is audited; the API's check-in passes ``audited=False`` because the check-in it records is
    itself audited in the same request."""
    qs = TeamMember.objects.select_related("operation").filter(operation_id=operation_id)
    seat = policy.scope(actor, qs, Action.RESPOND).first()
    if seat is None:
        raise _not_found(TeamMember, operation_id, Action.RESPOND)
    if audited:
        _audit_seat(actor, seat, "checkin")
    return seat


def alert_get(*, actor: Actor, alert_id: Any, action: Action = Action.VIEW) -> Alert:
    """One alert the actor may see (or act on); the read is audited."""
    qs = Alert.objects.select_related(
        "member__user", "member__organisation", "operation", "claimed_by"
    )
    alert = policy.scope(actor, qs.filter(pk=alert_id), action).first()
    if alert is None:
        raise _not_found(Alert, alert_id, action)
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        target=("fieldops.alert", str(alert.pk), alert.operation.owner_org_id),
    )
    return alert


def alert_member_name(*, actor: Actor, alert: Alert) -> str:
    """Who the alert is about, as the viewer may see them."""
    from django.utils import timezone

    return _seat(actor, alert.operation, alert.member, timezone.now()).name


def my_alerts(*, actor: Actor) -> QuerySet[Alert]:
    """Open alerts on the actor's teams (for the home of field operations)."""
    qs = Alert.objects.filter(ACTIVE_ALERT).select_related("operation", "member__user")
    return policy.scope(actor, qs, Action.RESPOND).order_by("-deadline_at")


def step_get(*, actor: Actor, step_id: Any) -> ChecklistStep:
    """A checklist step the actor may tick."""
    qs = ChecklistStep.objects.select_related("operation").filter(pk=step_id)
    step = policy.scope(actor, qs, Action.EDIT).first()
    if step is None:
        raise _not_found(ChecklistStep, step_id, Action.EDIT)
    return step


def member_get(*, actor: Actor, member_id: Any) -> TeamMember:
    """A team member of an operation whose team the actor staffs (all of it, or her own
    organisation's part)."""
    qs = TeamMember.objects.select_related("operation").filter(pk=member_id)
    member = policy.scope(actor, qs, Action.VIEW).first()
    if member is None or not policy.can(actor, Action.MANAGE_MEMBERS, member.operation):
        raise _not_found(TeamMember, member_id, Action.EDIT)
    return member


@dataclass(frozen=True)
class Lesson:
    """A lesson from a debrief, for the whole network: kind, month and text; no names."""

    kind: str
    month: str
    text: str


def lesson_list(*, actor: Actor, limit: int = 200) -> list[Lesson]:
    """Lessons from every organisation's debriefs: no names, no places, no organisation."""
    policy.require_allowed(actor, Action.VIEW_AGGREGATES, "fieldops.debrief")
    rows = Debrief.objects.exclude(lesson="").order_by("-created_at")[:limit]
    return [
        Lesson(kind=str(d.get_kind_display()), month=d.created_at.strftime("%m-%Y"), text=d.lesson)
        for d in rows.only("kind", "created_at", "lesson")
    ]


@dataclass(frozen=True)
class AlarmRate:
    """Alerts resolved as false alarm, of all resolved alerts (drills left out)."""

    false_alarms: int
    resolved: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.false_alarms / self.resolved) if self.resolved else None


def false_alarm_rate(*, actor: Actor) -> AlarmRate:
    """The false-alarm rate of the actor's organisation's operations (its admin's report)."""
    policy.require_allowed(actor, Action.VIEW_AGGREGATES, "fieldops.operation")
    rows = Alert.objects.filter(
        operation__owner_org_id=actor.organisation_id,
        status=AlertStatus.RESOLVED,
        is_drill=False,
    ).exclude(resolution=Resolution.CHECKED_IN)
    counts = rows.aggregate(
        total=Count("pk"), false=Count("pk", filter=Q(resolution=Resolution.FALSE_ALARM))
    )
    return AlarmRate(false_alarms=counts["false"] or 0, resolved=counts["total"] or 0)


def team_choices(*, actor: Actor, operation: Operation) -> list[tuple[str, str]]:
    """Staff of the lead and partner organisations, to put on the team (only the actor's own
    organisation's, for a partner organisation's admin)."""
    from setu.fieldops import services

    own_only = services.staff_own_only(actor=actor, operation=operation)
    on = set(operation.team.values_list("user_id", flat=True))
    rows = services.team_candidates(
        operation=operation, organisation_id=actor.organisation_id if own_only else None
    )
    return [
        (str(u.pk), f"{u.get_full_name() or u.username} ({org_name})")
        for u, org_name in _named(rows)
        if u.pk not in on
    ]


def _named(rows: list[tuple[Any, Any]]) -> list[tuple[Any, str]]:
    from setu.orgs import selectors as orgs

    names = {str(k): str(v) for k, v in orgs.organisations_by_id(ids={r[1] for r in rows}).items()}
    return [(u, names.get(str(org), "")) for u, org in rows]


def active_operations(*, actor: Actor) -> list[Operation]:
    """Operations under way on which the actor has a seat (for the big check-in button)."""
    seats = policy.scope(actor, TeamMember.objects.select_related("operation"), Action.RESPOND)
    return [s.operation for s in seats.filter(operation__status=OperationStatus.ACTIVE)]


def case_timeline_items(actor: Actor, case: Any, person_ids: Any, show_names: bool) -> list[Any]:
    """The case timeline's lines for the operation a survivor was rescued in: the rescue and
    the SOP steps done after it (production before the CWC, medical examination…). Titles only:
    no place, no team; only for the organisation that led the operation."""
    from setu.registry import selectors as registry

    if actor.organisation_id is None:
        return []
    rescued = Rescued.objects.filter(case_id=case.pk, operation__owner_org_id=actor.organisation_id)
    items: list[Any] = []
    for r in rescued.select_related("operation"):
        op = r.operation
        items.append(
            registry.TimelineItem(
                "fieldops",
                registry.timeline_day(op.started_at or op.planned_start),
                op.started_at or op.planned_start,
                _("Field operation: %(kind)s") % {"kind": op.get_kind_display()},
                op.code_name,
            )
        )
        for step in op.steps.filter(state="done", phase="after").exclude(done_at=None):
            items.append(
                registry.TimelineItem(
                    "fieldops",
                    registry.timeline_day(step.done_at),
                    step.done_at,
                    _("SOP step done"),
                    step.shown_title,
                )
            )
    return items


def sop_adaptation(*, actor: Actor) -> SopAdaptation | None:
    """The actor's organisation's copy of the SOP checklist, if it made one (its admin's)."""
    policy.require_allowed(actor, Action.EDIT, "fieldops.sopadaptation")
    return policy.scope(actor, SopAdaptation.objects.all(), Action.EDIT).first()
