"""Demo field operations: a rescue closed three weeks ago with its debrief, and an interception
under way in which a field officer has missed a check-in (the alert is open: the buddy has been
paged, nobody has claimed it yet).

Runs inside ``setu.referrals.demo.load_network_demo`` after the legal demo. Led by a destination
NGO (Mumbai's in the full demo) with the police AHTU of its state as partner. Every place is
fictional.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from setu.fieldops import services
from setu.fieldops.models import (
    Alert,
    AlertReason,
    AlertStatus,
    CheckIn,
    ChecklistStep,
    Debrief,
    EscalationStep,
    Operation,
    OperationKind,
    OperationStatus,
    StepState,
    TeamMember,
    TeamRole,
)
from setu.orgs.models import Membership, OrganisationType

MIN = datetime.timedelta(minutes=1)
# The demo accounts' roles it staffs the team from (membership roles; the policy decides access).
CASEWORKER, COUNSELLOR, FIELD_OFFICER, POLICE = (
    "caseworker",
    "counsellor",
    "field_officer",
    "police_liaison",
)


def _staff(org_type: str, roles: tuple[str, ...], prefer: str) -> tuple[Any, dict[str, Any]] | None:
    """An organisation of ``org_type`` with a member in every one of ``roles`` (``prefer``red by
    its demo slug), and one user per role."""
    rows = (
        Membership.objects.filter(
            organisation__org_type=org_type, is_active=True, role__in=roles, user__is_active=True
        )
        .select_related("organisation", "user")
        .order_by("organisation__name", "user__username")
    )
    by_org: dict[Any, dict[str, Any]] = {}
    orgs: dict[Any, Any] = {}
    for m in rows:
        by_org.setdefault(m.organisation_id, {}).setdefault(m.role, m.user)
        orgs[m.organisation_id] = m.organisation
    complete = [pk for pk, found in by_org.items() if set(roles) <= set(found)]
    if not complete:
        return None
    preferred = [
        pk for pk in complete if any(u.username.startswith(prefer) for u in by_org[pk].values())
    ]
    pk = (preferred or complete)[0]
    return orgs[pk], by_org[pk]


def _team(op: Operation, seats: list[tuple[Any, Any, str, str]]) -> dict[str, TeamMember]:
    made: dict[str, TeamMember] = {}
    for key, (user, org, role, phone) in zip(
        ("lead", "officer", "police", "safety"), seats, strict=True
    ):
        made[key] = TeamMember.objects.create(
            operation=op,
            user=user,
            organisation=org,
            role=role,
            phone=phone,
            on_timer=role != TeamRole.SAFETY_CONTACT,
        )
    made["lead"].buddy, made["officer"].buddy = made["officer"], made["lead"]
    for key in ("lead", "officer"):
        made[key].save(update_fields=["buddy"])
    return made


def _steps(op: Operation, done_by: Any, at: datetime.datetime, *, upto: str) -> None:
    phases = ["before", "during", "after"]
    for position, step in enumerate(services.sop_steps_for(op.owner_org_id, op.kind)):
        row = ChecklistStep(operation=op, position=position, **step)
        if phases.index(step["phase"]) <= phases.index(upto):
            row.state, row.done_at, row.done_by = StepState.DONE, at, done_by
            if step["code"] == "witnesses":
                row.state = StepState.SKIPPED
                row.skip_reason = "No inhabitant would stand witness; two NGO staff witnessed."
        row.save()


def load_demo(*, rng: random.Random, now: datetime.datetime) -> dict[str, int]:
    """The two demo operations; nothing if the network has no NGO and AHTU with the roles."""
    ngo = _staff(
        OrganisationType.DESTINATION_NGO,
        (FIELD_OFFICER, CASEWORKER, COUNSELLOR),
        "mumbai-ngo",
    )
    police = _staff(OrganisationType.POLICE_AHTU, (POLICE,), "mumbai-ahtu")
    if ngo is None or police is None:
        return {"fieldops_operations": 0}
    org, staff = ngo
    ahtu, cops = police

    def seats() -> list[tuple[Any, Any, str, str]]:
        return [
            (staff[CASEWORKER], org, TeamRole.LEAD, f"98{rng.randint(10000000, 99999999)}"),
            (
                staff[FIELD_OFFICER],
                org,
                TeamRole.FEMALE_OFFICER,
                f"98{rng.randint(10000000, 99999999)}",
            ),
            (cops[POLICE], ahtu, TeamRole.POLICE_LIAISON, ""),
            (staff[COUNSELLOR], org, TeamRole.SAFETY_CONTACT, ""),
        ]

    # A rescue three weeks ago, closed, debriefed.
    start = now - datetime.timedelta(days=21, hours=3)
    past = Operation.objects.create(
        owner_org=org,
        kind=OperationKind.RESCUE,
        code_name="Tulsi",
        target_place="(demo) Second floor, building behind the old cinema, fictional lane 7",
        planned_start=start,
        expected_end=start + datetime.timedelta(hours=5),
        status=OperationStatus.CLOSED,
        vehicles="(demo) Police jeep; NGO van for the rescued",
        receiving_shelter=None,
        authority_name="(demo) Child Welfare Committee, bench 2",
        started_at=start,
        ended_at=start + datetime.timedelta(hours=4, minutes=40),
        sop_version=services.sop()["version"],
        created_by=staff[CASEWORKER],
    )
    past.partner_orgs.set([ahtu])
    team = _team(past, seats())
    past.escalation_policy = services.freeze_escalation_policy(past)
    past.save(update_fields=["escalation_policy"])
    _steps(past, staff[CASEWORKER], start + datetime.timedelta(hours=3), upto="after")
    # A distress tap that turned out to be a false alarm (a pocketed phone).
    alarm = Alert.objects.create(
        member=team["officer"],
        operation=past,
        reason=AlertReason.DISTRESS,
        deadline_at=start + datetime.timedelta(hours=1),
        status=AlertStatus.RESOLVED,
        claimed_by=staff[CASEWORKER],
        claimed_at=start + datetime.timedelta(hours=1, minutes=1),
        resolved_at=start + datetime.timedelta(hours=1, minutes=4),
        resolved_by=staff[CASEWORKER],
        resolution="false_alarm",
    )
    for step, tier in enumerate(("self", "buddy", "lead", "safety_contact", "police_liaison")):
        EscalationStep.objects.create(
            alert=alarm, step=step, tier=tier, at=alarm.deadline_at, recipients=int(step > 0),
            skipped=step == 0,
        )  # fmt: skip
    Debrief.objects.create(
        operation=past,
        kind=past.kind,
        went_well="Girls kept apart from the managers from the first minute; woman officer present.",
        went_wrong="The van was 40 minutes late; a phone in a pocket sent a distress signal.",
        lesson="Lock the screen before pocketing the phone, and keep a second vehicle on standby.",
        recorded_by=staff[CASEWORKER],
    )

    # An interception under way: the female officer's check-in was due 12 minutes ago.
    start = now - datetime.timedelta(minutes=75)
    live = Operation.objects.create(
        owner_org=org,
        kind=OperationKind.INTERCEPTION,
        code_name="Peepal",
        target_place="(demo) Platform 5, fictional junction, the 14:10 express, coach S4",
        planned_start=start,
        expected_end=start + datetime.timedelta(hours=4),
        status=OperationStatus.ACTIVE,
        authority_name="(demo) Child Welfare Committee, bench 1",
        started_at=start,
        checkin_minutes=30,
        grace_minutes=5,
        step_minutes=5,
        sop_version=services.sop()["version"],
        created_by=staff[CASEWORKER],
    )
    live.partner_orgs.set([ahtu])
    team = _team(live, seats())
    live.escalation_policy = services.freeze_escalation_policy(live)
    live.save(update_fields=["escalation_policy"])
    _steps(live, staff[CASEWORKER], start, upto="before")
    for key, last in (
        ("lead", now - 8 * MIN),
        ("officer", now - 42 * MIN),
        ("police", now - 20 * MIN),
    ):
        member = team[key]
        CheckIn.objects.create(
            member=member, kind="ok", channel="web", client_id=f"demo-{key}", at=last
        )
        member.last_checkin_at = last
        member.next_due_at = last + 30 * MIN
        member.save(update_fields=["last_checkin_at", "next_due_at"])
    officer = team["officer"]
    missed = Alert.objects.create(
        member=officer,
        operation=live,
        reason=AlertReason.MISSED,
        deadline_at=officer.next_due_at,
        # The sweep takes the steps still due and works out the next one from here.
        next_step_at=officer.next_due_at,
    )
    officer.next_due_at = None
    officer.save(update_fields=["next_due_at"])
    for step, tier in enumerate(("self", "buddy")):
        EscalationStep.objects.create(
            alert=missed,
            step=step,
            tier=tier,
            at=missed.deadline_at + (5 * MIN if step else 0 * MIN),
            recipients=1,
        )
    return {"fieldops_operations": 2}
