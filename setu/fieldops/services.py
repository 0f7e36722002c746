"""Writes of field operations: plan, team, start, check-ins, alerts and their escalation, SOP
checklist, close, debrief, and the rescued persons recorded in the registry. All through the
policy, all audited in the same transaction.

Safety check-ins are timers held in the database (``TeamMember.next_due_at``). The sweep
(``checkin_sweep``: ``setu fieldops sweep`` from cron, and the task queue) finds missed deadlines
and due escalation steps in the database, so a restart of the app or the worker loses nothing.
Each step of an alert is taken in one transaction that inserts its ``EscalationStep`` row
(unique per alert and step) and the inbox notices together: a sweep killed half-way leaves
nothing, the next one takes the step, and no step is ever taken twice.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core import changes
from setu.core.errors import InvalidInput
from setu.fieldops.models import (
    ACTIVE_ALERT,
    BASE_ROLES,
    OWN_STEP_PREFIX,
    Alert,
    AlertReason,
    AlertStatus,
    Channel,
    CheckIn,
    CheckInKind,
    ChecklistStep,
    Debrief,
    EscalationStep,
    Operation,
    OperationKind,
    OperationStatus,
    Phase,
    Rescued,
    Resolution,
    SopAdaptation,
    StepState,
    TeamMember,
    TeamRole,
)

__all__ = [
    "AlertReason",
    "AlertStatus",
    "Channel",
    "CheckInKind",
    "OperationKind",
    "OperationStatus",
    "Phase",
    "Resolution",
    "StepState",
    "TeamRole",
]

logger = logging.getLogger(__name__)

SOP_FILE = Path(__file__).resolve().parents[1] / "data" / "fieldops" / "sop.json"
OPERATION_FIELDS = (
    "kind",
    "code_name",
    "target_place",
    "district",
    "planned_start",
    "expected_end",
    "vehicles",
    "receiving_shelter",
    "authority_org",
    "authority_name",
    "is_drill",
    "checkin_minutes",
    "grace_minutes",
    "step_minutes",
)
# What may change once the operation is under way: not the timers (the policy is frozen).
ACTIVE_FIELDS = ("expected_end", "vehicles", "authority_name", "authority_org")
MEMBER_FIELDS = ("user", "organisation", "role", "buddy", "phone", "on_timer", "shares_location")
# The tiers of an escalation after the prompt to the member, in order.
TIERS = ("buddy", "lead", "safety_contact", "police_liaison")
PIN_RE = re.compile(r"^\d{4,6}$")


# --- The SOP checklist as data ------------------------------------------------------------------


@functools.cache
def sop() -> dict[str, Any]:
    """The network's SOP checklist (``setu/data/fieldops/sop.json``, versioned, to be reviewed
    by a lawyer)."""
    return json.loads(SOP_FILE.read_text(encoding="utf-8"))


def sop_steps_for(organisation_id: Any, kind: str) -> list[dict[str, Any]]:
    """The checklist an organisation uses for an operation of ``kind``: the network's steps less
    those it left out, plus its own, in phase order."""
    base = sop()
    adaptation = SopAdaptation.objects.filter(organisation_id=organisation_id).first()
    omitted = set(adaptation.omitted if adaptation else [])
    steps = [
        {k: s[k] for k in ("code", "phase", "title", "basis")}
        for s in base["steps"]
        if kind in s["kinds"] and s["code"] not in omitted
    ]
    for i, extra in enumerate(adaptation.added if adaptation else []):
        steps.append(
            {
                "code": f"{OWN_STEP_PREFIX}{i + 1}",
                "phase": extra["phase"],
                "title": extra["title"],
                "basis": "",
            }
        )
    order = {p: i for i, p in enumerate(Phase.values)}
    return sorted(steps, key=lambda s: order[s["phase"]])


@transaction.atomic
def sop_adapt(*, actor: Actor, omitted: list[str], added: list[dict[str, str]]) -> SopAdaptation:
    """An organisation's copy of the SOP: base steps it leaves out and steps it adds."""
    policy.require_allowed(actor, Action.EDIT, "fieldops.sopadaptation")
    codes = {s["code"] for s in sop()["steps"]}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(omitted) - codes)
    if unknown:
        changes.add_error(
            errors, "omitted", _("Not a step of the checklist: %s") % ", ".join(unknown)
        )
    clean_added = []
    for extra in added:
        title = (extra.get("title") or "").strip()
        if extra.get("phase") not in Phase.values or not title:
            changes.add_error(errors, "added", _("Each added step needs a phase and a title."))
            break
        clean_added.append({"phase": extra["phase"], "title": title[:300]})
    changes.raise_if(errors)
    adaptation, created = SopAdaptation.objects.get_or_create(
        organisation_id=actor.organisation_id,
        defaults={"base_version": sop()["version"], "updated_by": actor.user},
    )
    before = {"omitted": adaptation.omitted, "added": len(adaptation.added)}
    adaptation.omitted, adaptation.added = sorted(set(omitted)), clean_added
    adaptation.base_version, adaptation.updated_by = sop()["version"], actor.user
    adaptation.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=(
            "fieldops.sopadaptation",
            str(adaptation.pk),
            actor.organisation_id,
        ),
        changes={
            "before": before,
            "after": {"omitted": adaptation.omitted, "added": len(clean_added)},
        },
    )
    return adaptation


# --- Plans ----------------------------------------------------------------------------------------


# An operation is planned for the coming months and lasts hours or days; a year far outside that
# is a typing slip (and a year like 0316 cannot even be written back with Kolkata's offset).
EARLIEST_START = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
PLAN_AHEAD = datetime.timedelta(days=366)
LONGEST_OPERATION = datetime.timedelta(days=30)


def _check_operation(op: Operation) -> None:
    errors: dict[str, list[str]] = {}
    if op.planned_start and not (EARLIEST_START <= op.planned_start <= timezone.now() + PLAN_AHEAD):
        changes.add_error(
            errors, "planned_start", _("The start must be between 2000 and a year from today.")
        )
    if op.planned_start and op.expected_end and op.expected_end <= op.planned_start:
        changes.add_error(errors, "expected_end", _("The expected end must be after the start."))
    elif (
        op.planned_start
        and op.expected_end
        and (op.expected_end - op.planned_start > LONGEST_OPERATION)
    ):
        changes.add_error(
            errors, "expected_end", _("The expected end must be within 30 days of the start.")
        )
    if op.checkin_minutes is not None and not 5 <= op.checkin_minutes <= 240:
        changes.add_error(errors, "checkin_minutes", _("Check in every 5 to 240 minutes."))
    if op.grace_minutes is not None and not 1 <= op.grace_minutes <= 60:
        changes.add_error(errors, "grace_minutes", _("The grace period is 1 to 60 minutes."))
    if op.step_minutes is not None and not 1 <= op.step_minutes <= 60:
        changes.add_error(errors, "step_minutes", _("Escalation steps are 1 to 60 minutes apart."))
    if (
        (op.code_name or "").strip()
        and op.target_place
        and (op.code_name.strip().lower() in op.target_place.lower())
    ):
        # The code name may appear in notices; the place may not.
        changes.add_error(errors, "code_name", _("The code name must not name the place."))
    changes.raise_if(errors)
    changes.clean(op, exclude=["bed_hold"])


def _audit_op(
    actor: Actor | None, action: str, op: Operation, change: dict, **details: Any
) -> None:
    audit.record(actor=actor, action=action, target=op, changes=change, details=details or None)


@transaction.atomic
def operation_create(
    *,
    actor: Actor,
    partner_orgs: list[Any] | tuple[Any, ...] = (),
    lead_phone: str = "",
    **fields: Any,
) -> Operation:
    """Plan an operation led by the actor's organisation; the planner is its team lead and the
    checklist is copied from the organisation's SOP."""
    policy.require_allowed(actor, Action.CREATE, "fieldops.operation")
    changes.check_fields(fields, (*OPERATION_FIELDS, "district_id"))
    op = Operation(owner_org_id=actor.organisation_id, created_by=actor.user, **fields)
    _check_operation(op)
    op.sop_version = sop()["version"]
    op.save()
    partners = [p for p in partner_orgs if getattr(p, "pk", p) != actor.organisation_id]
    op.partner_orgs.set(partners)
    after = changes.snapshot(op, OPERATION_FIELDS)
    after["partner_orgs"] = sorted(str(p) for p in op.partner_orgs.values_list("pk", flat=True))
    audit.record(
        actor=actor, action=AuditAction.CREATE, target=op, changes={"before": None, "after": after}
    )
    _member_create(actor, op, actor.user, actor.organisation_id, TeamRole.LEAD, lead_phone)
    for position, step in enumerate(sop_steps_for(actor.organisation_id, op.kind)):
        ChecklistStep.objects.create(operation=op, position=position, **step)
    return op


@transaction.atomic
def operation_update(*, actor: Actor, operation: Operation, **fields: Any) -> Operation:
    """Change a plan; once under way only its end, vehicles and the authority to inform."""
    policy.require(actor, Action.EDIT, operation)
    op = Operation.objects.select_for_update().get(pk=operation.pk)
    allowed = OPERATION_FIELDS if op.status == OperationStatus.PLANNED else ACTIVE_FIELDS
    if op.status in (OperationStatus.CLOSED, OperationStatus.CANCELLED):
        raise InvalidInput(_("A closed operation cannot be changed."))
    changes.check_fields(fields, (*allowed, "district_id"))
    before = changes.snapshot(op, OPERATION_FIELDS)
    for name, value in fields.items():
        setattr(op, name, value)
    _check_operation(op)
    op.save()
    _audit_op(
        actor, AuditAction.UPDATE, op, changes.diff(before, changes.snapshot(op, OPERATION_FIELDS))
    )
    return op


def normalise_phone(value: str) -> str:
    """An Indian mobile as its 10 digits, other numbers as their digits ('' if none)."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    elif len(digits) == 14 and digits.startswith("0091"):
        digits = digits[4:]
    return digits


def _member_create(
    actor: Actor,
    op: Operation,
    user: Any,
    organisation_id: Any,
    role: str,
    phone: str = "",
    buddy: TeamMember | None = None,
) -> TeamMember:
    member = TeamMember(
        operation=op,
        user=user,
        organisation_id=organisation_id,
        role=role,
        buddy=buddy,
        phone=normalise_phone(phone),
        on_timer=role not in BASE_ROLES,
    )
    if phone.strip() and not 10 <= len(member.phone) <= 13:
        raise InvalidInput({"phone": [_("Give a phone number of 10 digits.")]})
    if TeamMember.objects.filter(operation=op, user=user).exists():
        raise InvalidInput({"user": [_("This person is already on the team.")]})
    if op.status == OperationStatus.ACTIVE and member.on_timer:
        member.next_due_at = timezone.now() + datetime.timedelta(minutes=op.checkin_minutes)
    changes.add(
        member,
        ("user", "organisation", "role", "buddy", "phone", "on_timer"),
        record=audit.recorder(
            actor=actor, action=AuditAction.CREATE, target=_member_target(member)
        ),
    )
    return member


def _member_target(member: TeamMember) -> tuple[str, str, Any]:
    return ("fieldops.teammember", str(member.pk), member.operation.owner_org_id)


def team_candidates(*, operation: Operation, organisation_id: Any = None) -> list[tuple[Any, Any]]:
    """(user, organisation id) of the active staff of the lead and partner organisations (of
    ``organisation_id`` alone, when given and taking part)."""
    org_ids = [operation.owner_org_id, *operation.partner_orgs.values_list("pk", flat=True)]
    if organisation_id is not None:
        org_ids = [o for o in org_ids if o == organisation_id]
    users = get_user_model().objects.filter(
        is_active=True,
        memberships__organisation_id__in=org_ids,
        memberships__is_active=True,
    )
    rows = users.values_list("pk", "memberships__organisation_id").order_by("username")
    by_pk = {u.pk: u for u in users.distinct()}
    return [(by_pk[pk], org) for pk, org in rows if org in org_ids]


@transaction.atomic
def member_add(
    *,
    actor: Actor,
    operation: Operation,
    user_id: Any,
    role: str,
    phone: str = "",
    buddy_id: Any = None,
) -> TeamMember:
    """Put a member of the lead or a partner organisation on the team, with a role. The team
    lead and the lead organisation's admin add anyone taking part; a partner organisation's
    admin adds her own staff (not as team lead, which would hand them the whole plan)."""
    own_only = staff_own_only(actor=actor, operation=operation)
    if operation.status in (OperationStatus.CLOSED, OperationStatus.CANCELLED):
        raise InvalidInput(_("A closed operation has no team changes."))
    if role not in TeamRole.values:
        raise InvalidInput({"role": [_("Choose a role.")]})
    if own_only and role == TeamRole.LEAD:
        raise InvalidInput({"role": [_("The lead organisation names the team lead.")]})
    candidates = team_candidates(
        operation=operation, organisation_id=actor.organisation_id if own_only else None
    )
    found = [(u, org) for u, org in candidates if str(u.pk) == str(user_id)]
    if not found:
        message = (
            _("You can add your own organisation's staff only.")
            if own_only
            else _("Only staff of the lead and partner organisations can join the team.")
        )
        raise InvalidInput({"user": [message]})
    buddy = None
    if buddy_id:
        buddy = TeamMember.objects.filter(operation=operation, pk=buddy_id).first()
        if buddy is None:
            raise InvalidInput({"buddy": [_("The buddy must be on this team.")]})
    user, org_id = found[0]
    member = _member_create(actor, operation, user, org_id, role, phone, buddy)
    if buddy is not None and buddy.buddy_id is None:
        # Buddies come in pairs.
        buddy.buddy = member
        buddy.save(update_fields=["buddy", "updated_at"])
    return member


def staff_own_only(*, actor: Actor, operation: Operation) -> bool:
    """Whether the actor staffs only her own organisation's part of the team (a partner
    organisation's admin) rather than the whole team (the team lead, the lead organisation's
    admin). Raises for anyone who may do neither."""
    if policy.can(actor, Action.EDIT, operation):
        return False
    policy.require(actor, Action.MANAGE_MEMBERS, operation)
    return True


@transaction.atomic
def member_remove(*, actor: Actor, member: TeamMember) -> None:
    """Take someone off a planned operation's team (not the lead; not once under way, since
    the frozen escalation policy names them). A partner organisation's admin takes off her
    own staff only."""
    if staff_own_only(actor=actor, operation=member.operation) and (
        member.organisation_id != actor.organisation_id
    ):
        raise InvalidInput(_("You can take your own organisation's staff off the team only."))
    if member.operation.status != OperationStatus.PLANNED:
        raise InvalidInput(_("The team is fixed once the operation has started."))
    if member.role == TeamRole.LEAD and member.user_id == member.operation.created_by_id:
        raise InvalidInput(_("The team lead who planned the operation stays on it."))
    TeamMember.objects.filter(buddy=member).update(buddy=None)
    changes.remove(
        member,
        ("user", "organisation", "role"),
        record=audit.recorder(
            actor=actor, action=AuditAction.DELETE, target=_member_target(member)
        ),
    )


@transaction.atomic
def member_settings(
    *,
    actor: Actor,
    member: TeamMember,
    pin: str = "",
    duress_pin: str = "",
    phone: str | None = None,
    shares_location: bool | None = None,
) -> TeamMember:
    """A member sets their own check-in PIN, duress PIN, phone and location choice."""
    if member.user_id != actor.user.pk:
        policy.require(actor, Action.RESPOND, member)  # raises for anyone else
    member = TeamMember.objects.select_for_update().get(pk=member.pk)
    if member.operation.status in (OperationStatus.CLOSED, OperationStatus.CANCELLED):
        raise InvalidInput(_("The operation has ended."))
    errors: dict[str, list[str]] = {}
    if pin and not PIN_RE.match(pin):
        changes.add_error(errors, "pin", _("A PIN is 4 to 6 digits."))
    if duress_pin and not PIN_RE.match(duress_pin):
        changes.add_error(errors, "duress_pin", _("A PIN is 4 to 6 digits."))
    if pin and duress_pin and pin == duress_pin:
        changes.add_error(errors, "duress_pin", _("The duress PIN must differ from your PIN."))
    new_phone = normalise_phone(phone) if phone is not None else member.phone
    if phone and not 10 <= len(new_phone) <= 13:
        changes.add_error(errors, "phone", _("Give a phone number of 10 digits."))
    changes.raise_if(errors)
    before = changes.snapshot(member, ("phone", "shares_location"))
    member.phone = new_phone
    if shares_location is not None:
        member.shares_location = shares_location
    if pin:
        member.pin_hash = make_password(pin)
    if duress_pin:
        member.duress_pin_hash = make_password(duress_pin)
    member.save()
    after = changes.snapshot(member, ("phone", "shares_location"))
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=_member_target(member),
        changes=changes.diff(before, after),
        details={"pin_set": bool(pin), "duress_pin_set": bool(duress_pin)},
    )
    return member


# --- Start, close ---------------------------------------------------------------------------------


def freeze_escalation_policy(op: Operation) -> dict[str, Any]:
    """The escalation policy as it stands at the start: for each member on a timer, who is
    paged at each tier (team member ids), and the delays. Later team changes do not alter it."""
    team = list(op.team.all())
    leads = [m for m in team if m.role == TeamRole.LEAD]
    safety = [m for m in team if m.role == TeamRole.SAFETY_CONTACT]
    police = [m for m in team if m.role == TeamRole.POLICE_LIAISON]
    members: dict[str, dict[str, list[str]]] = {}
    for m in team:

        def ids(rows: list[TeamMember], me: TeamMember = m) -> list[str]:
            return [str(r.pk) for r in rows if r.pk != me.pk]

        buddy = [r for r in team if r.pk == m.buddy_id]
        members[str(m.pk)] = {
            "buddy": ids(buddy),
            "lead": ids(leads),
            "safety_contact": ids(safety),
            "police_liaison": ids(police),
        }
    return {
        "version": 1,
        "frozen_at": timezone.now().isoformat(),
        "checkin_minutes": op.checkin_minutes,
        "grace_minutes": op.grace_minutes,
        "step_minutes": op.step_minutes,
        "tiers": list(TIERS),
        "drill": op.is_drill,
        "members": members,
    }


@transaction.atomic
def operation_start(*, actor: Actor, operation: Operation) -> Operation:
    """The operation is under way: freeze the escalation policy and start every timer."""
    policy.require(actor, Action.EDIT, operation)
    op = Operation.objects.select_for_update().get(pk=operation.pk)
    if op.status != OperationStatus.PLANNED:
        raise InvalidInput(_("Only a planned operation can start."))
    errors: dict[str, list[str]] = {}
    team = list(op.team.all())
    if not any(m.role == TeamRole.SAFETY_CONTACT for m in team):
        changes.add_error(errors, "team", _("Name a safety contact before starting."))
    changes.raise_if(errors)
    now = timezone.now()
    op.status, op.started_at = OperationStatus.ACTIVE, now
    op.escalation_policy = freeze_escalation_policy(op)
    op.save()
    due = now + datetime.timedelta(minutes=op.checkin_minutes)
    TeamMember.objects.filter(operation=op, on_timer=True).update(next_due_at=due, updated_at=now)
    _audit_op(
        actor,
        AuditAction.UPDATE,
        op,
        {"before": {"status": OperationStatus.PLANNED}, "after": {"status": op.status}},
        event="start",
        escalation_policy_frozen=True,
    )
    _enqueue_sweep(due)
    return op


@transaction.atomic
def operation_close(*, actor: Actor, operation: Operation, cancel: bool = False) -> Operation:
    """Close an operation under way (or cancel a planned one); timers stop. Refused while an
    alert is open: nobody is left unaccounted for."""
    policy.require(actor, Action.EDIT, operation)
    op = Operation.objects.select_for_update().get(pk=operation.pk)
    if cancel and op.status != OperationStatus.PLANNED:
        raise InvalidInput(_("Only a planned operation can be cancelled; close it instead."))
    if not cancel and op.status != OperationStatus.ACTIVE:
        raise InvalidInput(_("Only an operation under way can be closed."))
    if Alert.objects.filter(ACTIVE_ALERT, operation=op).exists():
        raise InvalidInput(_("An alert is still open: resolve it before closing."))
    before = op.status
    op.status = OperationStatus.CANCELLED if cancel else OperationStatus.CLOSED
    op.ended_at = timezone.now()
    op.save(update_fields=["status", "ended_at", "updated_at"])
    TeamMember.objects.filter(operation=op).update(next_due_at=None, updated_at=op.ended_at)
    if op.bed_hold_id:
        from setu.shelters import services as shelters

        # A bed the plan held and nobody was admitted to goes back to the network. (A hold the
        # shelter admitted to has ended already; one made for a referral is the referral's.)
        shelters.bed_hold_end_unreferred(actor=actor, hold_id=op.bed_hold_id)
    _audit_op(
        actor,
        AuditAction.UPDATE,
        op,
        {"before": {"status": before}, "after": {"status": op.status}},
    )
    return op


@transaction.atomic
def operation_hold_bed(*, actor: Actor, operation: Operation, bed_group_id: Any) -> Operation:
    """Hold a bed at the receiving shelter for the persons the operation will bring, in one
    step from the plan: a hold without a referral through the shelters app (nobody is recorded
    yet), until the expected end plus the usual hold time. Given back when the operation
    closes or is cancelled without an admission (``operation_close``)."""
    from setu.shelters import selectors as shelters_selectors
    from setu.shelters import services as shelters

    policy.require(actor, Action.EDIT, operation)
    op = Operation.objects.select_for_update().get(pk=operation.pk)
    if op.owner_org_id != actor.organisation_id:
        raise InvalidInput(_("The lead organisation holds the bed."))
    if op.status not in (OperationStatus.PLANNED, OperationStatus.ACTIVE):
        raise InvalidInput(_("The operation has ended."))
    if not op.receiving_shelter_id:
        raise InvalidInput({"bed_group": [_("Name the receiving shelter in the plan first.")]})
    if op.bed_hold_id:
        current = shelters_selectors.bed_hold_list(actor=actor, active_only=True)
        if current.filter(pk=op.bed_hold_id).exists():
            raise InvalidInput(_("A bed is already held for this operation."))
    group = shelters_selectors.bed_group_get(actor=actor, bed_group_id=bed_group_id)
    if group.shelter_id != op.receiving_shelter_id:
        raise InvalidInput({"bed_group": [_("Choose beds at the receiving shelter.")]})
    until = op.expected_end + datetime.timedelta(hours=shelters_selectors.hold_hours())
    hold = shelters.bed_hold_create_unreferred(
        actor=actor,
        bed_group=group,
        # What the shelter reads: the kind of operation, never its code name or place.
        held_for=_("%(kind)s (field operation)") % {"kind": op.get_kind_display()},
        expires_at=until,
    )
    before = str(op.bed_hold_id or "")
    op.bed_hold_id = hold.pk
    op.save(update_fields=["bed_hold", "updated_at"])
    _audit_op(
        actor,
        AuditAction.UPDATE,
        op,
        {"before": {"bed_hold": before}, "after": {"bed_hold": str(hold.pk)}},
        event="bed_held",
    )
    return op


@transaction.atomic
def operation_link_hold(*, actor: Actor, operation: Operation, hold_id: Any) -> Operation:
    """Note on the plan the bed its organisation holds (``shelters``) at the receiving shelter."""
    from setu.shelters import selectors as shelters

    policy.require(actor, Action.EDIT, operation)
    hold = shelters.bed_hold_get(actor=actor, hold_id=hold_id)
    if (
        operation.receiving_shelter_id
        and hold.bed_group.shelter_id != operation.receiving_shelter_id
    ):
        raise InvalidInput({"hold": [_("This bed is at another shelter than the receiving one.")]})
    before = str(operation.bed_hold_id or "")
    operation.bed_hold_id = hold.pk
    if not operation.receiving_shelter_id:
        operation.receiving_shelter_id = hold.bed_group.shelter_id
    operation.save(update_fields=["bed_hold", "receiving_shelter", "updated_at"])
    _audit_op(
        actor,
        AuditAction.UPDATE,
        operation,
        {"before": {"bed_hold": before}, "after": {"bed_hold": str(hold.pk)}},
    )
    return operation


# --- Check-ins --------------------------------------------------------------------------------


def _coarse(value: Any) -> Decimal | None:
    """A coordinate rounded to two decimals (about a kilometre); None if absent or absurd."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except ArithmeticError:
        raise InvalidInput({"latitude": [_("The location is not a number.")]}) from None
    if abs(number) > 180:
        raise InvalidInput({"latitude": [_("The location is out of range.")]})
    return number


@dataclass(frozen=True)
class CheckInResult:
    """What a check-in answers: the same for a safe check-in and one under duress."""

    checkin: CheckIn
    next_due_at: datetime.datetime | None
    repeated: bool  # the same client id came again (a retry); nothing new was written


def _pin_kind(member: TeamMember, pin: str) -> str | None:
    """OK for the member's PIN, DURESS for the duress PIN, None for neither."""
    if member.duress_pin_hash and check_password(pin, member.duress_pin_hash):
        return CheckInKind.DURESS
    if member.pin_hash and check_password(pin, member.pin_hash):
        return CheckInKind.OK
    return None


def _checkin_locked(
    actor: Actor | None,
    member: TeamMember,
    *,
    kind: str,
    channel: str,
    client_id: str,
    latitude: Any = None,
    longitude: Any = None,
    share_location: bool = False,
    pin: str | None = None,
) -> CheckInResult:
    member = TeamMember.objects.select_for_update().select_related("operation").get(pk=member.pk)
    earlier = CheckIn.objects.filter(member=member, client_id=client_id).first()
    if earlier is not None:
        return CheckInResult(earlier, member.next_due_at, repeated=True)
    if pin and kind == CheckInKind.OK:
        found = _pin_kind(member, pin)
        if found is None:
            raise InvalidInput({"pin": [_("That PIN is not right.")]})
        kind = found
    op = member.operation
    if op.status != OperationStatus.ACTIVE:
        raise InvalidInput(_("The operation is not under way."))
    now = timezone.now()
    keep_location = share_location or member.shares_location
    checkin = CheckIn(
        member=member,
        kind=kind,
        channel=channel,
        client_id=client_id,
        at=now,
        latitude=_coarse(latitude) if keep_location else None,
        longitude=_coarse(longitude) if keep_location else None,
    )
    changes.clean(checkin)
    checkin.save()
    if kind in (CheckInKind.OK, CheckInKind.DURESS) and member.on_timer:
        member.next_due_at = now + datetime.timedelta(minutes=op.checkin_minutes)
    member.last_checkin_at = now
    member.save(update_fields=["next_due_at", "last_checkin_at", "updated_at"])
    if kind == CheckInKind.OK:
        # A safe check-in answers the missed deadlines: their paging stops.
        for alert in Alert.objects.select_for_update().filter(
            ACTIVE_ALERT, member=member, reason=AlertReason.MISSED
        ):
            _resolve_locked(None, alert, Resolution.CHECKED_IN)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=("fieldops.checkin", str(checkin.pk), op.owner_org_id),
        details={"channel": channel, "kind": kind, "located": checkin.latitude is not None},
    )
    if kind in (CheckInKind.DURESS, CheckInKind.DISTRESS):
        reason = AlertReason.DURESS if kind == CheckInKind.DURESS else AlertReason.DISTRESS
        alert = Alert.objects.create(
            member=member,
            operation=op,
            reason=reason,
            deadline_at=now,
            is_drill=op.is_drill,
            next_step_at=now,
        )
        _advance_locked(alert, now)
    if member.next_due_at:
        _enqueue_sweep(member.next_due_at)
    return CheckInResult(checkin, member.next_due_at, repeated=False)


@transaction.atomic
def checkin_record(
    *,
    actor: Actor,
    member: TeamMember,
    client_id: str,
    distress: bool = False,
    pin: str = "",
    channel: str = Channel.WEB,
    latitude: Any = None,
    longitude: Any = None,
    share_location: bool = False,
) -> CheckInResult:
    """A member checks in (safe), or taps distress. With the duress PIN the check-in looks and
    answers exactly like a safe one, but raises a silent alert. Idempotent by ``client_id``."""
    policy.require(actor, Action.RESPOND, member)
    client_id = (client_id or "").strip()[:64]
    if not client_id:
        raise InvalidInput({"client_id": [_("Missing the check-in's id; reload the page.")]})
    kind = CheckInKind.DISTRESS if distress else CheckInKind.OK
    return _checkin_locked(
        actor,
        member,
        kind=kind,
        channel=channel,
        client_id=client_id,
        latitude=latitude,
        longitude=longitude,
        share_location=share_location,
        pin=pin,
    )


def members_by_phone(sender: str) -> list[TeamMember]:
    """Seats on operations under way whose registered phone is the sender's (normalised)."""
    number = normalise_phone(sender)
    if not number:
        return []
    return list(
        TeamMember.objects.filter(phone=number, operation__status=OperationStatus.ACTIVE)
        .select_related("operation")
        .order_by("created_at")
    )


def checkin_from_phone(
    *,
    sender: str,
    channel: str,
    distress: bool = False,
    duress: bool = False,
    pin: str | None = None,
    ref: str = "",
) -> int:
    """A system write for the phone channels: check in every seat of the sender on an
    operation under way (SAFE, a missed call, "1" on the voice call), with the PIN
    (CHECKIN <pin>), under duress (the voice call's duress key: a silent alert), or raise
    distress (HELP). The sender is matched by normalised number and never logged. Returns how
    many seats checked in (0: no seat, or a wrong PIN)."""
    done = 0
    for member in members_by_phone(sender):
        kind = CheckInKind.DISTRESS if distress else CheckInKind.OK
        if duress and not distress:
            kind = CheckInKind.DURESS
        elif pin is not None and not distress:
            found = _pin_kind(member, pin)
            if found is None:
                continue
            kind = found
        client_id = f"{channel}:{ref}" if ref else f"{channel}:{timezone.now().isoformat()}"
        with transaction.atomic():
            _checkin_locked(None, member, kind=kind, channel=channel, client_id=client_id[:64])
        done += 1
    return done


# --- Alerts and their escalation ------------------------------------------------------------


def _step_due(alert: Alert, step: int, rules: dict[str, Any]) -> datetime.datetime:
    """When step ``step`` of ``alert`` is due: a missed check-in prompts the member at the
    deadline, pages the buddy after the grace period, then each tier ``step_minutes`` later;
    a distress signal or a duress PIN pages every tier at once."""
    if alert.reason != AlertReason.MISSED:
        return alert.deadline_at
    if step == 0:
        return alert.deadline_at
    grace = datetime.timedelta(minutes=rules["grace_minutes"])
    return (
        alert.deadline_at + grace + datetime.timedelta(minutes=rules["step_minutes"]) * (step - 1)
    )


def _notice_text(alert: Alert, step: int) -> str:
    """No more than "check in now" or "a team member needs help": never a name or a place."""
    text = _("Check in now.") if step == 0 else _("A team member needs help. Open Setu.")
    return _("Drill: %(text)s") % {"text": text} if alert.is_drill else text


def _page(alert: Alert, step: int, members: list[TeamMember]) -> int:
    from setu.notifications import services as notifications

    if not members:
        return 0
    text = _notice_text(alert, step)
    url = (
        reverse("fieldops:alert-detail", args=[alert.pk])
        if step
        else reverse("fieldops:checkin", args=[alert.operation_id])
    )
    notifications.notification_send(
        recipients=[m.user for m in members],
        kind=notifications.NoticeKind.OTHER,
        message=text,
        url=url,
        subject=f"fieldops.alert:{alert.pk}",
    )
    for m in members:
        if m.phone:
            notifications.sms_send(number=m.phone, text=text)
    return len(members)


def _next_step_at(alert: Alert, rules: dict[str, Any], taken: set[int]) -> datetime.datetime | None:
    """When the first step not yet taken falls due; None when every step is taken."""
    pending = [
        _step_due(alert, step, rules)
        for step in range(len(rules["tiers"]) + 1)
        if step not in taken
    ]
    return min(pending) if pending else None


def _advance_locked(alert: Alert, now: datetime.datetime) -> int:
    """Take every step of an open alert that is due and not yet taken (inside the caller's
    transaction, with the alert row locked), and note when the next one falls due. Returns
    how many steps were taken."""
    if alert.status != AlertStatus.OPEN:
        if alert.next_step_at is not None:
            alert.next_step_at = None
            alert.save(update_fields=["next_step_at", "updated_at"])
        return 0
    op = alert.operation
    rules = op.escalation_policy or freeze_escalation_policy(op)
    seats = rules["members"].get(str(alert.member_id), {})
    taken = set(alert.steps.values_list("step", flat=True))
    silent = alert.reason == AlertReason.DURESS
    count = 0
    for step, tier in enumerate(("self", *rules["tiers"])):
        if step in taken or _step_due(alert, step, rules) > now:
            continue
        skipped = False
        if tier == "self":
            # A duress PIN escalates silently; a distress tap needs no prompt.
            members = [alert.member] if alert.reason == AlertReason.MISSED else []
            skipped = not members
        elif tier == "police_liaison" and alert.is_drill:
            members, skipped = [], True
        else:
            ids = seats.get(tier, [])
            members = list(TeamMember.objects.filter(pk__in=ids).select_related("user"))
        try:
            with transaction.atomic():
                EscalationStep.objects.create(
                    alert=alert,
                    step=step,
                    tier=tier,
                    at=now,
                    recipients=len(members),
                    skipped=skipped or not members,
                )
        except IntegrityError:
            taken.add(step)
            continue  # taken by another sweep in the meantime: never twice
        taken.add(step)
        _page(alert, step, members)
        audit.record(
            actor=None,
            action=AuditAction.UPDATE,
            target=("fieldops.alert", str(alert.pk), op.owner_org_id),
            details={
                "event": "escalation_step",
                "step": step,
                "tier": tier,
                "recipients": len(members),
                "silent": silent,
                "drill": alert.is_drill,
            },
        )
        count += 1
    next_at = _next_step_at(alert, rules, taken)
    if next_at != alert.next_step_at:
        alert.next_step_at = next_at
        alert.save(update_fields=["next_step_at", "updated_at"])
    return count


def alert_advance(*, alert_id: Any, now: datetime.datetime | None = None) -> int:
    """Take the due steps of one alert, in its own transaction (the task queue's job; safe to
    run any number of times)."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update()
            .select_related("operation", "member__user")
            .filter(pk=alert_id)
            .first()
        )
        if alert is None:
            return 0
        return _advance_locked(alert, now)


@dataclass(frozen=True)
class SweepResult:
    missed: int  # new alerts for deadlines that passed
    steps: int  # escalation steps taken


def _raise_missed(member_id: Any, now: datetime.datetime) -> bool:
    with transaction.atomic():
        member = (
            TeamMember.objects.select_for_update()
            .select_related("operation")
            .filter(pk=member_id, next_due_at__lte=now, operation__status=OperationStatus.ACTIVE)
            .first()
        )
        if member is None:
            return False
        deadline = member.next_due_at
        created = False
        if not Alert.objects.filter(
            member=member, deadline_at=deadline, reason=AlertReason.MISSED
        ).exists():
            Alert.objects.create(
                member=member,
                operation=member.operation,
                reason=AlertReason.MISSED,
                deadline_at=deadline,
                is_drill=member.operation.is_drill,
                next_step_at=deadline,
            )
            created = True
        # The timer stops until the member checks in or the alert is resolved.
        member.next_due_at = None
        member.save(update_fields=["next_due_at", "updated_at"])
        return created


def checkin_sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Find missed deadlines and due escalation steps in the database and act on them. Run by
    ``setu fieldops sweep`` (cron, every minute) and by the task queue; idempotent."""
    now = now or timezone.now()
    missed = 0
    due = TeamMember.objects.filter(
        next_due_at__lte=now, operation__status=OperationStatus.ACTIVE, on_timer=True
    )
    for member_id in list(due.values_list("pk", flat=True)):
        missed += int(_raise_missed(member_id, now))
    steps = 0
    # Only alerts with a step due (partial index on next_step_at): an open alert whose next
    # step is minutes away costs the minute's sweep nothing.
    due_alerts = Alert.objects.filter(status=AlertStatus.OPEN, next_step_at__lte=now)
    for alert_id in list(due_alerts.values_list("pk", flat=True)):
        steps += alert_advance(alert_id=alert_id, now=now)
    return SweepResult(missed=missed, steps=steps)


def _enqueue_sweep(run_after: datetime.datetime) -> None:
    """After commit, ask the task queue for a sweep when the deadline passes (if it can wait);
    cron's ``setu fieldops sweep`` is the backstop either way."""
    from setu.fieldops import tasks

    def enqueue() -> None:
        if not tasks.sweep.get_backend().supports_defer:
            return
        try:
            tasks.sweep.using(run_after=run_after + datetime.timedelta(seconds=5)).enqueue()
        except Exception:  # the cron sweep still finds the deadline; never fail a check-in
            logger.exception("could not enqueue a check-in sweep")

    transaction.on_commit(enqueue)


@transaction.atomic
def alert_claim(*, actor: Actor, alert: Alert) -> tuple[Alert, bool]:
    """ "I've got it": the first team member to claim an open alert stops further paging.
    Atomic (a conditional UPDATE): of two people claiming at once, one wins. Returns the alert
    and whether this actor's claim won."""
    policy.require(actor, Action.RESPOND, alert)
    now = timezone.now()
    won = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
        status=AlertStatus.CLAIMED,
        claimed_by=actor.user,
        claimed_at=now,
        next_step_at=None,
        updated_at=now,
    )
    alert.refresh_from_db()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=("fieldops.alert", str(alert.pk), alert.operation.owner_org_id),
        details={"event": "claim", "won": bool(won)},
    )
    if won:
        from setu.notifications import services as notifications

        notifications.notification_settle(
            recipients=[m.user for m in alert.operation.team.select_related("user")],
            subject=f"fieldops.alert:{alert.pk}",
        )
    return alert, bool(won)


def _resolve_locked(actor: Actor | None, alert: Alert, resolution: str) -> Alert:
    now = timezone.now()
    before = alert.status
    alert.status, alert.resolution, alert.resolved_at = AlertStatus.RESOLVED, resolution, now
    alert.resolved_by = actor.user if actor else None
    alert.next_step_at = None
    alert.save(
        update_fields=[
            "status",
            "resolution",
            "resolved_at",
            "resolved_by",
            "next_step_at",
            "updated_at",
        ]
    )
    member = alert.member
    op = alert.operation
    if (
        resolution != Resolution.CHECKED_IN
        and member.on_timer
        and member.next_due_at is None
        and op.status == OperationStatus.ACTIVE
    ):
        # The member is accounted for: their timer runs again.
        member.next_due_at = now + datetime.timedelta(minutes=op.checkin_minutes)
        member.save(update_fields=["next_due_at", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=("fieldops.alert", str(alert.pk), op.owner_org_id),
        changes={
            "before": {"status": before},
            "after": {"status": alert.status, "resolution": resolution},
        },
    )
    return alert


@transaction.atomic
def alert_resolve(*, actor: Actor, alert: Alert, resolution: str) -> Alert:
    """Close an alert: found safe, a false alarm, or a real emergency handled."""
    policy.require(actor, Action.RESPOND, alert)
    if resolution not in (Resolution.SAFE, Resolution.FALSE_ALARM, Resolution.EMERGENCY):
        raise InvalidInput({"resolution": [_("Choose how the alert ended.")]})
    alert = Alert.objects.select_for_update().select_related("member", "operation").get(pk=alert.pk)
    if alert.status == AlertStatus.RESOLVED:
        raise InvalidInput(_("This alert is already resolved."))
    return _resolve_locked(actor, alert, resolution)


# --- Checklist ------------------------------------------------------------------------------


@transaction.atomic
def step_tick(
    *, actor: Actor, step: ChecklistStep, skip_reason: str = "", skip: bool = False
) -> ChecklistStep:
    """Tick an SOP step done (time and person recorded), or skip it with a reason."""
    policy.require(actor, Action.EDIT, step)
    step = ChecklistStep.objects.select_for_update().get(pk=step.pk)
    if step.operation.status == OperationStatus.CANCELLED:
        raise InvalidInput(_("The operation was cancelled."))
    reason = (skip_reason or "").strip()
    if skip and not reason:
        raise InvalidInput({"skip_reason": [_("Say why this step is skipped.")]})
    before = changes.snapshot(step, ("state", "skip_reason"))
    step.state = StepState.SKIPPED if skip else StepState.DONE
    step.skip_reason = reason if skip else ""
    step.done_at, step.done_by = timezone.now(), actor.user
    step.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=("fieldops.checkliststep", str(step.pk), step.operation.owner_org_id),
        changes=changes.diff(before, changes.snapshot(step, ("state", "skip_reason"))),
        details={"code": step.code},
    )
    return step


# --- After the operation ----------------------------------------------------------------------


def _leaks(text: str, op: Operation) -> bool:
    """Whether ``text`` names the place or a team member (words of 4 letters or more)."""
    lowered = text.lower()
    words = set(re.findall(r"\w{4,}", op.target_place.lower()))
    for member in op.team.select_related("user"):
        u = member.user
        words |= {w.lower() for w in (u.first_name, u.last_name, u.username) if len(w or "") >= 4}
    return any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in words)


@transaction.atomic
def debrief_record(
    *, actor: Actor, operation: Operation, went_well: str, went_wrong: str, lesson: str
) -> Debrief:
    """The team's debrief after an operation, and a lesson for the network (refused if it
    names the place or a member of the team)."""
    policy.require(actor, Action.EDIT, operation)
    if operation.status not in (OperationStatus.CLOSED, OperationStatus.CANCELLED):
        raise InvalidInput(_("Debrief once the operation is closed."))
    if _leaks(lesson, operation):
        raise InvalidInput(
            {"lesson": [_("The lesson is read by the whole network: leave out names and places.")]}
        )
    debrief, created = Debrief.objects.get_or_create(
        operation=operation,
        defaults={
            "went_well": went_well,
            "went_wrong": went_wrong,
            "lesson": lesson,
            "kind": operation.kind,
            "recorded_by": actor.user,
        },
    )
    fields = ("went_well", "went_wrong", "lesson")
    before = None if created else changes.snapshot(debrief, fields)
    debrief.went_well, debrief.went_wrong, debrief.lesson = went_well, went_wrong, lesson
    changes.clean(debrief)
    debrief.save()
    after = changes.snapshot(debrief, fields)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=("fieldops.debrief", str(debrief.pk), operation.owner_org_id),
        changes={"before": None, "after": after} if created else changes.diff(before or {}, after),
    )
    return debrief


@transaction.atomic
def rescued_record(
    *,
    actor: Actor,
    operation: Operation,
    create_reason: str = "",
    **person_fields: Any,
) -> Rescued:
    """A rescued person becomes, in one step, a registry person (with the registry's check
    before creating: a likely existing record is named and needs a reason) and a case of the
    lead organisation, with the rescue on the case timeline. Nothing is written if any part
    fails."""
    from setu.registry import services as registry

    policy.require(actor, Action.EDIT, operation)
    if operation.owner_org_id != actor.organisation_id:
        raise InvalidInput(_("The lead organisation records the rescued persons."))
    if operation.status not in (OperationStatus.ACTIVE, OperationStatus.CLOSED):
        raise InvalidInput(_("Record rescued persons once the operation is under way."))
    person = registry.person_create(actor=actor, create_reason=create_reason, **person_fields)
    day = timezone.localdate(operation.started_at or operation.planned_start)
    case = registry.case_create(
        actor=actor, opened_on=day, identified_by=str(operation.get_kind_display())
    )
    registry.case_add_person(actor=actor, case=case, person=person, role="victim")
    event_kind = "IN:Interception" if operation.kind == OperationKind.INTERCEPTION else "IN:Rescue"
    # The place stays with the team: the event carries the district only.
    registry.event_add(
        actor=actor,
        case=case,
        kind=event_kind,
        person=person,
        occurred_on=day,
        district=operation.district,
    )
    rescued = Rescued.objects.create(operation=operation, person=person, case=case)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=("fieldops.rescued", str(rescued.pk), operation.owner_org_id),
        details={"operation": str(operation.pk), "case": str(case.pk), "person": str(person.pk)},
    )
    return rescued
