"""Demo referrals, and the one entry point that builds the whole referral network's demo data.

``load_network_demo`` runs after the demo loader (``setu/demo/``) has written organisations,
accounts, persons, cases and consent. It adds, in order: the service directory, referrals in
every state of the flow, shelter beds with history, holds and unmet demand, and entitlements.

Referrals are written as the services would write them (a ``sent`` event first, one event per
move, reminders where they waited too long) but in bulk and with past dates. Each one rests on a
consent of the person that covers exactly what it shares and names the receiving organisation
or the whole network; a consent withdrawn after sending leaves the referral stopped, as
``referral_stop_sharing`` would.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from setu.access.policy import REFERRAL_RESPOND_ROLES, SHARE_ROLES
from setu.audit import services as audit
from setu.audit.models import AuditAction
from setu.consent.models import Consent
from setu.directory.models import Service
from setu.directory.models import ServiceType as S
from setu.notifications.models import NoticeKind, Notification
from setu.orgs.models import Membership
from setu.orgs.models import OrganisationType as T
from setu.referrals.models import (
    EventKind,
    Referral,
    ReferralEvent,
    ReferralKind,
    ReferralStatus,
    Urgency,
)
from setu.referrals.selectors import REFERRAL_SCOPES, reminder_hours
from setu.registry.models import CasePerson, CaseRole

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)

MAX_REFERRALS = 400
# The reason text a shelter gives when it declines for lack of beds (the demo shelters count it).
NO_BED_REASON = "No bed available"

# What each kind of organisation refers people for, most frequent first.
NEEDS_BY_SENDER: dict[str, tuple[str, ...]] = {
    T.POLICE_AHTU: (S.SHELTER, S.SHELTER, S.COUNSELLING, S.MEDICAL, S.LEGAL_AID),
    T.DESTINATION_NGO: (S.SHELTER, S.REPATRIATION, S.REPATRIATION, S.LEGAL_AID, S.COMPENSATION,
                        S.COUNSELLING, S.MEDICAL, S.FAMILY_TRACING),
    T.SHELTER_HOME: (S.FAMILY_TRACING, S.REPATRIATION, S.LEGAL_AID, S.COMPENSATION, S.MEDICAL),
    T.SOURCE_NGO: (S.LIVELIHOOD, S.GOVERNMENT_SCHEMES, S.COMPENSATION, S.COUNSELLING,
                   S.LEGAL_AID, S.EDUCATION, S.SHELTER),
    T.LEGAL_AID: (S.COUNSELLING, S.SHELTER, S.GOVERNMENT_SCHEMES),
    T.CHILD_WELFARE_COMMITTEE: (S.SHELTER, S.FAMILY_TRACING, S.REPATRIATION, S.EDUCATION),
    T.SURVIVOR_COLLECTIVE: (S.LEGAL_AID, S.COMPENSATION, S.LIVELIHOOD, S.COUNSELLING),
}  # fmt: skip
ANY_NEED = tuple(S.values)

# Roughly how the network's referrals end up (every state appears at least once).
STATUS_WEIGHTS = (
    (ReferralStatus.SENT, 14),
    (ReferralStatus.ACCEPTED, 12),
    (ReferralStatus.DECLINED, 12),
    (ReferralStatus.IN_PROGRESS, 16),
    (ReferralStatus.COMPLETED, 34),
    (ReferralStatus.CLOSED, 12),
)

MESSAGES: dict[str, tuple[str, ...]] = {
    S.SHELTER: ("Needs a safe place tonight after rescue; CWC order attached to follow.",
                "Adult survivor asking for a short stay until her family is traced.",
                "Minor girl, CWC has asked for a place in a home near her district."),
    S.LEGAL_AID: ("Trial begins next month; she needs a lawyer to oppose the accused's bail.",
                  "Needs help to record her statement before the magistrate."),
    S.COMPENSATION: ("FIR and charge sheet are ready; please file the compensation claim.",
                     "DLSA rejected the claim; she wants to appeal."),
    S.COUNSELLING: ("Sleeps badly and is afraid to go out; please arrange counselling.",
                    "Asked to talk to someone in her own language."),
    S.MEDICAL: ("Needs a full check-up and follow-up at the district hospital.",),
    S.REPATRIATION: ("Restoration order passed; needs escort home and a receiving organisation.",
                     "Home investigation is positive; please arrange the journey home."),
    S.FAMILY_TRACING: ("Please verify the family's address and whether home is safe.",),
    S.LIVELIHOOD: ("Back home three months; wants tailoring training near her village.",),
    S.GOVERNMENT_SCHEMES: ("Needs a ration card and a bank account; has no documents.",),
    S.EDUCATION: ("Wants to go back to school; was in class 7 when she left.",),
}  # fmt: skip
OUTCOMES: dict[str, str] = {
    S.SHELTER: "Admitted; stayed until the restoration order and went home with an escort.",
    S.LEGAL_AID: "Advocate appointed; bail of the main accused opposed and refused.",
    S.COMPENSATION: "Claim filed with the DLSA; interim compensation paid.",
    S.COUNSELLING: "Ten sessions held; she now attends the monthly support group.",
    S.MEDICAL: "Treated at the district hospital; follow-up done.",
    S.REPATRIATION: "Handed over to her family in the presence of the receiving CWC.",
    S.FAMILY_TRACING: "Family found; home investigation report sent to the CWC.",
    S.LIVELIHOOD: "Completed the tailoring course; works from home with a sewing machine.",
    S.GOVERNMENT_SCHEMES: "Ration card issued and bank account opened.",
    S.EDUCATION: "Enrolled in class 8 in the village school.",
}
DECLINE_REASONS = (
    "We do not serve this area: she lives outside our districts",
    "The person is not eligible for this service: we work with children only",
    "We cannot take anyone on now: our counsellor is on leave for a month",
)
CLOSE_REASONS = (
    "She went home with her family before the service began.",
    "She moved to another state; referred to an organisation there instead.",
    "Need met by another organisation.",
    "Could not reach her for three weeks.",
)
DOCUMENTS = ("CWC restoration order", "Medical report", "Copy of the FIR",
             "Age verification report", "Aadhaar card (copy)", "Home investigation report")  # fmt: skip


@dataclass
class _Candidate:
    link: CasePerson
    consent: Consent
    scopes: list[str]
    max_age: datetime.timedelta  # how far back a referral may start (not before the consent)


def _pick(rng: random.Random, weights: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]


def _candidates(today: datetime.date, now: datetime.datetime) -> list[_Candidate]:
    """Survivors of cases whose consent, given to another organisation or the network, covers
    at least one thing a referral may carry (withdrawn consents too: they stop the referral)."""
    referral_scopes = set(REFERRAL_SCOPES)
    consents = Consent.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    by_person: dict[Any, list[Consent]] = defaultdict(list)
    for consent in consents.order_by("given_on", "id"):
        if referral_scopes & set(consent.scopes or ()):
            by_person[consent.person_id].append(consent)
    links = (
        CasePerson.objects.filter(
            person_id__in=list(by_person),
            role__in=[CaseRole.VICTIM, CaseRole.MISSING],
            case__archived_at__isnull=True,
        )
        .select_related("case__owner_org__base_district", "person")
        .order_by("case__opened_on", "case__reference", "id")
    )
    found: list[_Candidate] = []
    seen: set[Any] = set()
    for link in links:
        # Only the organisation that holds her record refers her (it sees her identity).
        if link.person_id in seen or link.person.owner_org_id != link.case.owner_org_id:
            continue
        for consent in by_person[link.person_id]:
            if consent.recipient_org_id == link.case.owner_org_id:
                continue
            start = datetime.datetime.combine(
                consent.given_on, datetime.time(10), tzinfo=now.tzinfo
            )
            scopes = [s for s in REFERRAL_SCOPES if s in consent.scopes]
            found.append(_Candidate(link, consent, scopes, max(now - start, datetime.timedelta())))
            seen.add(link.person_id)
            break
    return found


class _Writer:
    """Collects referral rows and their events, then writes them in bulk with past dates."""

    def __init__(self, rng: random.Random, now: datetime.datetime) -> None:
        self.rng, self.now = rng, now
        self.referrals: list[Referral] = []
        self.events: list[tuple[ReferralEvent, datetime.datetime]] = []
        self.notices: list[tuple[Notification, datetime.datetime]] = []
        self.created: dict[Any, datetime.datetime] = {}
        self.updated: dict[Any, datetime.datetime] = {}
        self.waiting = 0  # referrals left waiting past the reminder time so far

    def event(
        self,
        referral: Referral,
        kind: str,
        at: datetime.datetime,
        user: Any,
        org_id: Any,
        before: str = "",
        note: str = "",
    ) -> None:
        # Called right after each move, so ``referral.status`` is the state this move led to.
        row = ReferralEvent(
            referral=referral, kind=kind, actor_id=user, actor_org_id=org_id,
            from_status=before, to_status=referral.status if before else "", note=note,
        )  # fmt: skip
        self.events.append((row, at))
        self.updated[referral.pk] = max(self.updated.get(referral.pk, at), at)

    def save(self) -> None:
        Referral.objects.bulk_create(self.referrals, batch_size=500)
        for r in self.referrals:
            r.created_at = self.created[r.pk]
            r.updated_at = self.updated.get(r.pk, r.created_at)
        Referral.objects.bulk_update(self.referrals, ["created_at", "updated_at"], batch_size=500)
        events = [e for e, _at in self.events]
        ReferralEvent.objects.bulk_create(events, batch_size=1000)
        for event, at in self.events:
            event.created_at = event.updated_at = at
        ReferralEvent.objects.bulk_update(events, ["created_at", "updated_at"], batch_size=1000)
        notices = [n for n, _at in self.notices]
        Notification.objects.bulk_create(notices, batch_size=500)
        for notice, at in self.notices:
            notice.created_at = notice.updated_at = at
        Notification.objects.bulk_update(notices, ["created_at", "updated_at"], batch_size=500)


def _members(roles: frozenset[str]) -> dict[Any, list[Any]]:
    found: dict[Any, list[Any]] = defaultdict(list)
    rows = Membership.objects.filter(is_active=True, role__in=roles).order_by("role", "id")
    for org_id, user_id in rows.values_list("organisation_id", "user_id"):
        found[org_id].append(user_id)
    return found


def _designated(org_ids: set[Any]) -> dict[Any, list[Any]]:
    found: dict[Any, list[Any]] = defaultdict(list)
    rows = Membership.objects.filter(
        organisation_id__in=org_ids, is_active=True, is_designated_contact=True
    ).values_list("organisation_id", "user_id")
    for org_id, user_id in rows:
        found[org_id].append(user_id)
    return found


def _choose_service(
    rng: random.Random, cand: _Candidate, services: list[Service]
) -> Service | None:
    """A service of another organisation the consent allows, for a need the sender has."""
    own = cand.link.case.owner_org
    allowed = [
        s for s in services
        if s.organisation_id != own.pk
        and cand.consent.recipient_org_id in (None, s.organisation_id)
    ]  # fmt: skip
    if not allowed:
        return None
    by_need: dict[str, list[Service]] = defaultdict(list)
    for s in allowed:
        by_need[s.service_type].append(s)
    needs = [n for n in NEEDS_BY_SENDER.get(own.org_type, ANY_NEED) if n in by_need]
    if not needs:
        needs = sorted(by_need)
    need = rng.choice(needs)
    # Prefer a service that works where the sender is (same state), as caseworkers do.
    state = own.base_district.state_id if own.base_district else None
    near = [s for s in by_need[need] if s.organisation.base_district
            and s.organisation.base_district.state_id == state]  # fmt: skip
    pool = near if near and (need != S.REPATRIATION and rng.random() < 0.7) else by_need[need]
    return rng.choice(pool)


def load_demo(*, rng: random.Random, now: datetime.datetime) -> dict[str, int]:
    """Referrals in every state of the flow between the demo organisations; returns counts."""
    today = timezone.localdate(now)
    services = list(
        Service.objects.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation__base_district")
        .order_by("organisation__name", "service_type", "name")
    )
    candidates = _candidates(today, now)
    rng.shuffle(candidates)
    # Enough for every state of the flow and the network's charts, few enough to load fast.
    candidates = candidates[:MAX_REFERRALS]
    senders, responders = _members(SHARE_ROLES), _members(REFERRAL_RESPOND_ROLES)
    contacts = _designated({s.organisation_id for s in services} | {
        c.link.case.owner_org_id for c in candidates
    })  # fmt: skip
    sent_hours, stalled_hours = reminder_hours()
    writer = _Writer(rng, now)
    # Oldest consents first for the statuses that need the longest history, so each appears.
    order = sorted(range(len(candidates)), key=lambda i: -candidates[i].max_age)
    forced = {order[k]: status for k, (status, _w) in enumerate(STATUS_WEIGHTS) if k < len(order)}
    for index, cand in enumerate(candidates):
        service = _choose_service(rng, cand, services)
        sender_org = cand.link.case.owner_org
        sender_ids = senders.get(sender_org.pk) or []
        responder_ids = responders.get(service.organisation_id) if service else None
        if service is None or not sender_ids or not responder_ids:
            continue
        withdrawn = cand.consent.withdrawn_on is not None
        status = forced.get(index) or _pick(rng, STATUS_WEIGHTS)
        if withdrawn:
            status = rng.choice([ReferralStatus.COMPLETED, ReferralStatus.CLOSED])
        _write_one(writer, rng, cand, service, status, sender_ids, responder_ids,
                   sent_hours, stalled_hours)  # fmt: skip
    _notify_recent(writer, contacts)
    writer.save()
    counts: dict[str, int] = defaultdict(int)
    for r in writer.referrals:
        counts[f"referrals_{r.status}"] += 1
    counts["referrals"] = len(writer.referrals)
    counts["referral_events"] = len(writer.events)
    counts["referral_notifications"] = len(writer.notices)
    counts["referrals_sharing_stopped"] = sum(1 for r in writer.referrals if r.sharing_stopped_at)
    return dict(counts)


def _write_one(
    w: _Writer,
    rng: random.Random,
    cand: _Candidate,
    service: Service,
    status: str,
    sender_ids: list[Any],
    responder_ids: list[Any],
    sent_hours: int,
    stalled_hours: int,
) -> None:
    now = w.now
    case, person, consent = cand.link.case, cand.link.person, cand.consent
    need = service.service_type
    to_org = service.organisation
    from_org = case.owner_org
    sender = case.case_owner_id if case.case_owner_id in sender_ids else rng.choice(sender_ids)
    responder = rng.choice(responder_ids)
    kind = ReferralKind.SERVICE
    if need == S.REPATRIATION:
        kind = ReferralKind.REPATRIATION if rng.random() < 0.75 else ReferralKind.TRANSFER
    elif (
        need == S.SHELTER
        and from_org.base_district
        and to_org.base_district
        and (from_org.base_district.state_id != to_org.base_district.state_id)
    ):
        kind = ReferralKind.TRANSFER
    urgency = (
        rng.choice([Urgency.EMERGENCY, Urgency.URGENT])
        if need == S.SHELTER
        else rng.choice([Urgency.URGENT, Urgency.ROUTINE, Urgency.ROUTINE])
    )
    scopes = [s for s in cand.scopes if s == "identity" or rng.random() < 0.5] or cand.scopes[:1]

    # Durations of each step; the referral starts early enough for all of them to have happened.
    answer = rng.uniform(1, 60) * H
    start_after = rng.uniform(0.5, 6) * D
    work = rng.uniform(3, 60) * D
    overdue = False
    stalled = False
    if status == ReferralStatus.SENT:
        overdue = rng.random() < 0.6
        age = (sent_hours + rng.uniform(2, 150)) * H if overdue else rng.uniform(0.5, 40) * H
    elif status == ReferralStatus.ACCEPTED:
        stalled = rng.random() < 0.5
        wait = (stalled_hours + rng.uniform(2, 200)) * H if stalled else rng.uniform(1, 50) * H
        age = answer + wait
    elif status == ReferralStatus.DECLINED:
        age = answer + rng.uniform(0, 200) * D
    elif status == ReferralStatus.IN_PROGRESS:
        age = answer + start_after + rng.uniform(1, 40) * D
    elif status == ReferralStatus.COMPLETED:
        age = answer + start_after + work + rng.uniform(0, 150) * D
    else:
        age = answer + start_after + rng.uniform(1, 120) * D
    if age > cand.max_age:
        # The consent is too recent for this history: send it recently instead.
        status, overdue = ReferralStatus.SENT, False
        age = min(cand.max_age, rng.uniform(0.5, 40) * H)
    sent_at = now - age
    withdrawn_at = None
    if consent.withdrawn_on is not None:
        withdrawn_at = datetime.datetime.combine(
            consent.withdrawn_on, datetime.time(12), now.tzinfo
        )
        if sent_at >= withdrawn_at - H:
            return  # sent after she withdrew: it could not have been sent
    referral = Referral(
        from_org=from_org, to_org=to_org, to_service=service, case=case, person=person,
        kind=kind, need=need, urgency=urgency, message=rng.choice(MESSAGES[need]),
        shared_scopes=scopes, consent=consent, status=ReferralStatus.SENT, sent_by_id=sender,
        sent_at=sent_at,
    )  # fmt: skip
    w.referrals.append(referral)
    w.created[referral.pk] = sent_at
    w.event(referral, EventKind.SENT, sent_at, sender, from_org.pk, note=referral.message)
    at = sent_at

    def move(to: str, when: datetime.datetime, user: Any, org: Any, note: str = "") -> None:
        before = referral.status
        referral.status = to
        w.event(referral, to, when, user, org, before, note)

    if status == ReferralStatus.DECLINED:
        at = sent_at + answer
        no_bed = need == S.SHELTER and rng.random() < 0.6
        reason = NO_BED_REASON if no_bed else rng.choice(DECLINE_REASONS)
        referral.declined_at, referral.decline_reason = at, reason
        move(ReferralStatus.DECLINED, at, responder, to_org.pk, reason)
    elif status == ReferralStatus.CLOSED and rng.random() < 0.4:
        at = sent_at + answer
        referral.closed_at, referral.close_reason = at, rng.choice(CLOSE_REASONS)
        move(ReferralStatus.CLOSED, at, sender, from_org.pk, referral.close_reason)
    elif status != ReferralStatus.SENT:
        at = sent_at + answer
        referral.accepted_at = at
        move(ReferralStatus.ACCEPTED, at, responder, to_org.pk)
        if status in (ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED) or (
            status == ReferralStatus.CLOSED and rng.random() < 0.5
        ):
            at = at + start_after
            referral.started_at = at
            move(ReferralStatus.IN_PROGRESS, at, responder, to_org.pk)
        if status == ReferralStatus.COMPLETED:
            if referral.needs_handover:
                _handover(w, rng, referral, at + work * 0.5, sender, responder, done=True)
            at = at + work
            referral.completed_at, referral.outcome_note = at, OUTCOMES[need]
            move(ReferralStatus.COMPLETED, at, responder, to_org.pk, referral.outcome_note)
        elif status == ReferralStatus.CLOSED:
            at = min(now - H, at + rng.uniform(1, 30) * D)
            referral.closed_at, referral.close_reason = at, rng.choice(CLOSE_REASONS)
            closer, org = (sender, from_org.pk) if rng.random() < 0.6 else (responder, to_org.pk)
            move(ReferralStatus.CLOSED, at, closer, org, referral.close_reason)
        elif status == ReferralStatus.IN_PROGRESS and referral.needs_handover:
            _handover(w, rng, referral, min(now - H, at + D), sender, responder, done=False)
        elif status == ReferralStatus.ACCEPTED and referral.needs_handover and rng.random() < 0.5:
            referral.escort_arranged = True
            referral.escort_details = "Women constable from the district police, booked"
            w.event(referral, EventKind.HANDOVER, min(now - H, at + 2 * H), sender, from_org.pk)
    # Reminders the sweep would have sent (a referral left overdue, or stalled after accepting).
    waited_since = sent_at if referral.status == ReferralStatus.SENT else referral.accepted_at
    period = sent_hours if referral.status == ReferralStatus.SENT else stalled_hours
    w.waiting += int(overdue or stalled)
    # Every other one that waited too long was already reminded once (by the sweep).
    if (overdue or stalled) and waited_since and w.waiting % 2 == 1:
        reminded = waited_since + period * H + rng.uniform(0, 2) * H
        if reminded < now:
            referral.last_reminded_at, referral.reminder_count = reminded, 1
            w.event(referral, EventKind.REMINDER, reminded, None, None,
                    note=str(ReferralStatus(referral.status).label))  # fmt: skip
    if withdrawn_at is not None:
        # The withdrawal stopped the sharing that day (registry.consent_withdraw does it at once).
        referral.sharing_stopped_at = min(withdrawn_at, now)
        w.event(referral, EventKind.SHARING_STOPPED, referral.sharing_stopped_at, None, None)


def _handover(
    w: _Writer,
    rng: random.Random,
    referral: Referral,
    at: datetime.datetime,
    sender: Any,
    responder: Any,
    *,
    done: bool,
) -> None:
    """Fill the handover checklist of a transfer or repatriation (complete when ``done``)."""
    referral.escort_arranged = True
    referral.escort_details = rng.choice(
        ["Women constable and a caseworker of the sending NGO",
         "Escort from the receiving NGO, travelling by train",
         "Police escort ordered by the CWC"]
    )  # fmt: skip
    referral.documents_handed_over = rng.sample(DOCUMENTS, k=rng.randint(2, 4))
    district = referral.to_org.base_district
    referral.receiving_authority = (
        f"Child Welfare Committee, {district.name}" if district and rng.random() < 0.5
        else referral.to_org.name
    )  # fmt: skip
    referral.travel_date = timezone.localdate(at)
    w.event(referral, EventKind.HANDOVER, at, sender, referral.from_org_id)
    if done:
        referral.received_confirmed_at = at + rng.uniform(4, 20) * H
        referral.received_confirmed_by_id = responder
        w.event(referral, EventKind.RECEIVED, referral.received_confirmed_at, responder,
                referral.to_org_id)  # fmt: skip


def _notice(user: Any, referral: Referral, text: str) -> Notification:
    """A referral notice as ``referrals.services`` leaves it in the one inbox."""
    return Notification(
        recipient_id=user,
        kind=NoticeKind.REFERRAL,
        message=text[:300],
        url=reverse("referrals:referral-detail", kwargs={"referral_id": referral.pk}),
        subject=f"referrals.referral:{referral.pk}",
    )


def _notify_recent(w: _Writer, contacts: dict[Any, list[Any]]) -> None:
    """Unread notices of the last fortnight, as the services leave them (no personal data)."""
    since = w.now - 7 * D
    for referral in w.referrals:
        if referral.sent_at < since:
            continue
        text = (
            f"New {Urgency(referral.urgency).label} referral for {S(referral.need).label} "
            f"from {referral.from_org.name}."
        )
        for user in contacts.get(referral.to_org_id, []):
            w.notices.append((_notice(user, referral, text), referral.sent_at))
        if referral.accepted_at:
            text = f"{referral.to_org.name} accepted your referral for {S(referral.need).label}."
            for user in {*contacts.get(referral.from_org_id, []), referral.sent_by_id}:
                w.notices.append((_notice(user, referral, text), referral.accepted_at))


def _steps() -> list[tuple[str, Callable[..., dict[str, int]]]]:
    from setu.directory import demo as directory_demo
    from setu.entitlements import demo as entitlements_demo
    from setu.feedback import demo as feedback_demo
    from setu.fieldops import demo as fieldops_demo
    from setu.intel import demo as intel_demo
    from setu.legal import demo as legal_demo
    from setu.registry import demo as registry_demo
    from setu.shelters import demo as shelters_demo

    return [
        ("directory", directory_demo.load_demo),
        ("referrals", load_demo),
        ("shelters", shelters_demo.load_demo),
        ("entitlements", entitlements_demo.load_demo),
        ("legal", legal_demo.load_demo),
        ("fieldops", fieldops_demo.load_demo),
        ("attachments", registry_demo.load_demo),
        ("intel", intel_demo.load_demo),
        ("feedback", feedback_demo.load_demo),
    ]


@transaction.atomic
def load_network_demo(
    *, seed: int = 0, now: datetime.datetime | None = None, record_audit: bool = True
) -> dict[str, int]:
    """The referral network's demo data (directory, referrals, beds, entitlements) for the
    organisations, accounts and cases already loaded; deterministic for a seed and a day.

    ``record_audit=False`` lets the demo loader cover this in its own single audit entry."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for name, step in _steps():
        counts.update(step(rng=random.Random(f"setu-network-demo:{seed}:{name}"), now=now))
    if not record_audit:
        return counts
    # One entry for the whole load, as the demo loader does for its part (rows are fictional).
    audit.record(
        actor=None,
        action=AuditAction.ADMIN,
        target=("demo.network", "", None),
        details={"network_demo_loaded": counts, "seed": seed},
    )
    return counts
