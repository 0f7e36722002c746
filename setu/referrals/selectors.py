"""Reads of referrals; every one takes the acting user and goes through the access policy.

The receiving organisation cannot see the referred person's case through the registry policy
(there is no case share). It sees what ``referral_shared_view`` builds: only the consented
scopes, and only while the consent behind the referral is in force. That function reads registry
rows directly, after ``policy.require(actor, VIEW, referral)``: the referral, backed by consent,
is the grant.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.consent import rules
from setu.consent import selectors as consent_selectors
from setu.consent.selectors import ConsentScope
from setu.core.errors import NotFound
from setu.directory.selectors import Language
from setu.referrals import hooks
from setu.referrals.models import (
    OPEN_STATUSES,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from setu.registry import selectors as registry

if TYPE_CHECKING:
    from setu.consent.models import Consent
    from setu.registry.models import Case, Person

# What a referral may carry. Matching and statistics consents are not about a referral.
REFERRAL_SCOPES = (
    ConsentScope.IDENTITY,
    ConsentScope.CONTACT,
    ConsentScope.CASE_HISTORY,
    ConsentScope.SERVICES,
    ConsentScope.HEALTH,
    ConsentScope.LEGAL,
)


def _base() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "from_org", "to_org", "to_service", "case", "person", "consent", "sent_by"
    )


def referral_list(
    *, actor: Actor, direction: str = "", status: str = "", case_id: uuid.UUID | None = None
) -> QuerySet[Referral]:
    """Referrals the actor may see: ``direction`` is "sent", "received" or both."""
    policy.require_allowed(actor, Action.VIEW, "referrals.referral")
    qs = policy.scope(actor, _base(), Action.VIEW)
    if direction == "sent":
        qs = qs.filter(from_org_id=actor.organisation_id)
    elif direction == "received":
        qs = qs.filter(to_org_id=actor.organisation_id)
    if status:
        qs = qs.filter(status=status)
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    return qs


def referral_get(*, actor: Actor, referral_id: uuid.UUID) -> Referral:
    """One referral the actor may see, or NotFound."""
    referral = policy.scope(actor, _base(), Action.VIEW).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound(action=Action.VIEW, target=("referrals.referral", str(referral_id), None))
    return referral


def referral_count(*, actor: Actor, direction: str = "received", open_only: bool = True) -> int:
    """How many referrals wait on the actor's organisation (for the home page and nav)."""
    qs = referral_list(actor=actor, direction=direction)
    return qs.filter(status__in=OPEN_STATUSES).count() if open_only else qs.count()


def referral_events(*, actor: Actor, referral: Referral) -> QuerySet[ReferralEvent]:
    """The history both sides see."""
    qs = ReferralEvent.objects.filter(referral=referral).select_related("actor", "actor_org")
    return policy.scope(actor, qs, Action.VIEW).order_by("created_at")


def referral_permissions(*, actor: Actor, referral: Referral) -> dict[str, bool]:
    """What the actor may do on this referral (the template shows buttons from this)."""
    respond = policy.can(actor, Action.RESPOND, referral)
    edit = policy.can(actor, Action.EDIT, referral)
    status = referral.status
    return {
        "accept": respond and status == ReferralStatus.SENT,
        "decline": respond and status == ReferralStatus.SENT,
        "start": respond and status == ReferralStatus.ACCEPTED,
        "complete": respond and status == ReferralStatus.IN_PROGRESS,
        "close": (respond or edit) and status in OPEN_STATUSES,
        "handover": (respond or edit) and referral.needs_handover and status in OPEN_STATUSES,
        "confirm_received": respond
        and referral.needs_handover
        and status in OPEN_STATUSES
        and referral.received_confirmed_at is None,
    }


def case_get_for_referral(*, actor: Actor, case_id: uuid.UUID) -> Case:
    """A case the actor may refer from (its organisation's, and the actor may share it)."""
    return registry.case_get_in_scope(actor=actor, case_id=case_id, action=Action.SHARE)


def case_persons(*, actor: Actor, case: Case) -> QuerySet[Person]:
    """Persons of a case the actor may refer (visible to the actor)."""
    return registry.case_person_list(actor=actor, case_id=case.pk)


def case_person_get(*, actor: Actor, case: Case, person_id: object) -> Person:
    """One person of the case the actor may refer; NotFound otherwise."""
    person = case_persons(actor=actor, case=case).filter(pk=person_id).first()
    if person is None:
        raise NotFound(action=Action.SHARE, target=("registry.person", str(person_id), None))
    return person


def consent_covering(
    *, actor: Actor, person: Person, to_org_id: uuid.UUID, scopes: list[str]
) -> Consent | None:
    """The narrowest consent in force today covering every scope for this organisation."""
    return consent_selectors.person_consent_covering(
        actor=actor, person_id=person.pk, organisation_id=to_org_id, scopes=scopes
    )


def consent_in_force(referral: Referral) -> bool:
    """Whether the consent behind a referral still allows sharing what it shared, today."""
    if referral.sharing_stopped_at is not None:
        return False
    # Only the referred person's own consent speaks for her (docs/sharing.md).
    if referral.consent.person_id != referral.person_id:
        return False
    return rules.covers(
        referral.consent, scopes=referral.shared_scopes, organisation_id=referral.to_org_id
    )


@dataclass(frozen=True)
class ReferralRow:
    """A referral in a list, with who it is about as far as the actor may know."""

    referral: Referral
    # The person's name: the sending side's own record; for the receiving side only while the
    # consent behind the referral is in force and covers identity. Empty otherwise.
    person_name: str
    # The sending side's own case; the receiving side is not told it (empty).
    case_reference: str


def referral_rows(*, actor: Actor, referrals: Iterable[Referral]) -> list[ReferralRow]:
    """List rows for referrals already scoped by ``referral_list`` (one page of them)."""
    rows = []
    for referral in referrals:
        sender = referral.from_org_id == actor.organisation_id
        shared = ConsentScope.IDENTITY in referral.shared_scopes and consent_in_force(referral)
        name = referral.person.display_name if sender or shared else ""
        rows.append(ReferralRow(referral, name, referral.case.reference if sender else ""))
    return rows


@dataclass
class SharedView:
    """What the receiving organisation may see of the person: consented scopes only."""

    consent_in_force: bool
    scopes: list[str] = field(default_factory=list)
    identity: dict[str, Any] | None = None
    contact: dict[str, Any] | None = None
    case_history: list[dict[str, Any]] | None = None
    services: list[dict[str, Any]] | None = None
    health: dict[str, Any] | None = None
    legal: dict[str, Any] | None = None


def _identity(person: Person) -> dict[str, Any]:
    identity = registry.shared_identity(person=person)
    # Language names, not codes: the receiving side reads them (unknown codes shown as is).
    identity["languages"] = [
        str(Language(code).label) if code in Language.values else code
        for code in identity["languages"]
    ]
    return identity


def _contact(person: Person) -> dict[str, Any]:
    return registry.shared_contact(person_id=person.pk)


def _case_history(referral: Referral) -> list[dict[str, Any]]:
    return registry.shared_case_events(case_id=referral.case_id, person_id=referral.person_id)


def _services(referral: Referral) -> list[dict[str, Any]]:
    return registry.shared_case_services(
        case_id=referral.case_id, person_id=referral.person_id, health=False
    )


def _health(referral: Referral) -> dict[str, Any]:
    return {
        "disability": referral.person.disability,
        "care": registry.shared_case_services(
            case_id=referral.case_id, person_id=referral.person_id, health=True
        ),
    }


def _legal(referral: Referral) -> dict[str, Any]:
    return registry.shared_legal(case=referral.case)


def referral_shared_view(*, actor: Actor, referral: Referral) -> SharedView:
    """The person as the receiving organisation may see her: the consented scopes, read now.

    Consent is checked at every read: once it is withdrawn or has expired nothing is shown.
    """
    policy.require(actor, Action.VIEW, referral)
    if not consent_in_force(referral):
        return SharedView(consent_in_force=False)
    scopes = [s for s in REFERRAL_SCOPES if s in referral.shared_scopes]
    view = SharedView(consent_in_force=True, scopes=list(scopes))
    person = referral.person
    if ConsentScope.IDENTITY in scopes:
        view.identity = _identity(person)
    if ConsentScope.CONTACT in scopes:
        view.contact = _contact(person)
    if ConsentScope.CASE_HISTORY in scopes:
        view.case_history = _case_history(referral)
    if ConsentScope.SERVICES in scopes:
        view.services = _services(referral)
    if ConsentScope.HEALTH in scopes:
        view.health = _health(referral)
    if ConsentScope.LEGAL in scopes:
        view.legal = _legal(referral)
    return view


def reminder_hours() -> tuple[int, int]:
    """Hours a referral may wait in ``sent``, and in ``accepted`` without progress."""
    return (
        int(getattr(settings, "SETU_REFERRAL_REMINDER_HOURS", 48)),
        int(getattr(settings, "SETU_REFERRAL_STALLED_HOURS", 72)),
    )


def referrals_overdue(*, now: Any = None) -> QuerySet[Referral]:
    """Referrals waiting too long (a system read for the reminder task; no actor)."""
    now = now or timezone.now()
    sent_hours, accepted_hours = reminder_hours()
    sent_cut = now - timedelta(hours=sent_hours)
    accepted_cut = now - timedelta(hours=accepted_hours)
    waiting = Q(status=ReferralStatus.SENT, sent_at__lte=sent_cut) & (
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=sent_cut)
    )
    stalled = Q(status=ReferralStatus.ACCEPTED, accepted_at__lte=accepted_cut) & (
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=accepted_cut)
    )
    return _base().filter(waiting | stalled)


def referrals_with_lapsed_consent() -> QuerySet[Referral]:
    """Open referrals still sharing although their consent was withdrawn or has expired."""
    in_force = rules.covering(prefix="consent__")
    return _base().filter(sharing_stopped_at__isnull=True).exclude(in_force)


def referral_list_for_hold(
    *, actor: Actor, shelter_id: uuid.UUID | None = None
) -> QuerySet[Referral]:
    """Shelter referrals the actor may hold a bed for (sent to ``shelter_id``), newest first."""
    qs = policy.scope(actor, Referral.objects.filter(need="shelter"), Action.HOLD_BED)
    if shelter_id:
        qs = qs.filter(to_org_id=shelter_id)
    return qs.select_related("to_org").order_by("-created_at")


def referral_get_for_hold(*, actor: Actor, referral_id: uuid.UUID) -> Referral:
    """A referral the actor may hold a bed for; NotFound otherwise."""
    qs = policy.scope(actor, Referral.objects.all(), Action.HOLD_BED).filter(pk=referral_id)
    found = qs.select_related("to_org").first()
    if found is None:
        raise NotFound(
            action=Action.HOLD_BED, target=("referrals.referral", str(referral_id), None)
        )
    return found


@policy.system_read
def referral_flow_rows(*, since: datetime.datetime) -> list[tuple[Any, ...]]:
    """Every referral since ``since``, as places, status and timestamps (no person, no case).

    Network-wide, for suppressed counts only: the caller checks the actor may see aggregates.
    A system read: row-level security shows an organisation only the referrals it sent or
    received (docs/row-level-security.md, "System reads").
    """
    return list(
        Referral.objects.filter(created_at__gte=since).values_list(
            "from_org__name",
            "from_org__base_district__name",
            "from_org__base_district__state__name",
            "to_org__name",
            "to_org__base_district__name",
            "to_org__base_district__state__name",
            "status",
            "created_at",
            "sent_at",
            "accepted_at",
            "declined_at",
            "completed_at",
        )
    )


@policy.system_read
def referral_count_by_month(*, first: datetime.date) -> dict[Any, int]:
    """Referrals sent across the network per month since ``first`` (for suppressed counts; a
    system read, as ``referral_flow_rows``)."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    rows = (
        Referral.objects.filter(created_at__date__gte=first)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["n"]
        for row in rows
    }


def free_beds_by_shelter(*, actor: Actor) -> dict[Any, int]:
    """Free beds now per shelter (organisation id), as the shelters app tells (``hooks``)."""
    return hooks.free_beds(actor)


def referral_beds(*, actor: Actor, referral: Referral) -> Any:
    """The bed side of a shelter referral, as the shelters app tells (``hooks``); or None."""
    return hooks.referral_beds(actor, referral)
