"""Writes to shelter capacity: counts, admissions, discharges, bed holds, nudges, unmet demand.

Every change to a bed group's counters happens with the group's row locked
(``select_for_update``; on SQLite the IMMEDIATE transaction mode already serialises writers) and
is checked again by the database constraint ``bed_group_counts_fit_total``. A change writes a
``CapacitySnapshot`` and an audit entry in the same transaction.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction, Outcome
from setu.core import changes
from setu.core.errors import InvalidInput
from setu.orgs import selectors as orgs
from setu.referrals import hooks as referral_hooks
from setu.referrals.hooks import ReferralEnded
from setu.registry import services as registry_services
from setu.registry.selectors import EventKind
from setu.shelters.models import (
    BedGroup,
    BedHold,
    BedKind,
    CapacitySnapshot,
    HoldStatus,
    ShelterStay,
    UnmetDemand,
    UnmetReason,
)
from setu.shelters.models import ReleaseReason as ReleaseReason

if TYPE_CHECKING:
    from setu.orgs.models import District, Organisation
    from setu.referrals.models import Referral
    from setu.registry.models import Case, Person

logger = logging.getLogger(__name__)

COUNTERS = ("total", "occupied", "out_of_service")
# Referral needs for which a bed hold makes sense.
SHELTER_NEEDS = frozenset({"shelter"})
CLOSED_REFERRAL_STATUSES = frozenset({"declined", "completed", "closed"})


class NoBedFree(InvalidInput):
    """The bed group has no free bed (a hold or admission would overbook it)."""


class AlreadyAdmitted(InvalidInput):
    """The person already has an open stay (a double tap, or two people admitting at once)."""

    def __init__(self) -> None:
        super().__init__({"person": [str(_("This person is already admitted."))]})


def _counts(group: BedGroup) -> dict[str, int]:
    return {
        "total": group.total,
        "held": group.held,
        "occupied": group.occupied,
        "out_of_service": group.out_of_service,
    }


def _lock(group: BedGroup | Any) -> BedGroup:
    """The group's row, locked until the end of the transaction; fresh counters."""
    pk = group.pk if isinstance(group, BedGroup) else group
    return BedGroup.objects.select_for_update().select_related("shelter").get(pk=pk)


def _snapshot(group: BedGroup) -> CapacitySnapshot:
    district = group.shelter.base_district
    return CapacitySnapshot.objects.create(
        bed_group=group,
        shelter_id=group.shelter_id,
        district=district,
        state_id=district.state_id if district else None,
        kind=group.kind,
        total=group.total,
        held=group.held,
        occupied=group.occupied,
        out_of_service=group.out_of_service,
        free=max(group.free, 0),
        is_active=group.is_active,
    )


def _save_counts(group: BedGroup, fields: list[str]) -> None:
    """Save counter fields; refused (before and by the database) if they would overbook."""
    counters = (group.total, group.held, group.occupied, group.out_of_service)
    if min(counters) < 0 or group.free < 0:
        raise NoBedFree(_overbook_message())
    try:
        with transaction.atomic():
            group.save(update_fields=[*fields, "updated_at"])
    except IntegrityError as exc:  # the constraint caught what the check above did not
        raise NoBedFree(_overbook_message()) from exc


def _overbook_message() -> str:
    return str(_("Beds held, occupied and out of service cannot exceed the beds in total."))


# --- Bed groups (the shelter's own counts) ---------------------------------------------------


@transaction.atomic
def bed_group_create(
    *,
    actor: Actor,
    kind: str,
    total: int,
    label: str = "",
    occupied: int = 0,
    out_of_service: int = 0,
    languages: list[str] | None = None,
    disability_access: bool = False,
    notes: str = "",
) -> BedGroup:
    """Add a group of beds of one kind to the actor's own shelter."""
    policy.require_allowed(actor, Action.CREATE, "shelters.bedgroup")
    group = BedGroup(
        shelter_id=actor.organisation_id,
        kind=kind,
        label=label,
        total=total,
        occupied=occupied,
        out_of_service=out_of_service,
        languages=list(languages or []),
        disability_access=disability_access,
        notes=notes,
        counts_confirmed_by=actor.user,
        counts_confirmed_at=timezone.now(),
    )
    changes.clean(group)
    group.save()
    group = BedGroup.objects.select_related("shelter__base_district").get(pk=group.pk)
    _snapshot(group)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=group,
        changes={"after": {"kind": kind, "label": label, **_counts(group)}},
    )
    return group


@transaction.atomic
def bed_group_update(
    *,
    actor: Actor,
    bed_group: BedGroup,
    label: str,
    languages: list[str],
    disability_access: bool,
    notes: str,
    is_active: bool = True,
) -> BedGroup:
    """Change what a bed group offers (label, languages, access); not its counts."""
    policy.require(actor, Action.EDIT, bed_group)
    group = _lock(bed_group)
    before = {
        "label": group.label,
        "languages": group.languages,
        "disability_access": group.disability_access,
        "notes": group.notes,
        "is_active": group.is_active,
    }
    group.label, group.languages, group.notes = label, list(languages), notes
    group.disability_access, group.is_active = disability_access, is_active
    changes.clean(group)
    group.save()
    after = {k: getattr(group, k) for k in before}
    if before["is_active"] != is_active:
        _snapshot(group)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=group,
        changes={"before": before, "after": after},
    )
    return group


def _apply_counts(actor: Actor, group: BedGroup, new: dict[str, int], event: str) -> BedGroup:
    before = _counts(group)
    for name, value in new.items():
        if value < 0:
            raise InvalidInput({name: [str(_("A count cannot be below zero."))]})
        setattr(group, name, value)
    group.counts_confirmed_at = timezone.now()
    group.counts_confirmed_by = actor.user
    _save_counts(group, [*new, "counts_confirmed_at", "counts_confirmed_by"])
    _snapshot(group)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=group,
        changes={"before": before, "after": _counts(group)},
        details={"event": event},
    )
    return group


@transaction.atomic
def bed_group_adjust(*, actor: Actor, bed_group: BedGroup, counter: str, delta: int) -> BedGroup:
    """Add ``delta`` to one counter (the +/- buttons); refused if it would overbook."""
    if counter not in COUNTERS or delta not in (-1, 1):
        raise InvalidInput({"counter": [str(_("Unknown counter."))]})
    policy.require(actor, Action.EDIT, bed_group)
    group = _lock(bed_group)
    return _apply_counts(actor, group, {counter: getattr(group, counter) + delta}, "adjust")


@transaction.atomic
def bed_group_set_counts(
    *, actor: Actor, bed_group: BedGroup, total: int, occupied: int, out_of_service: int
) -> BedGroup:
    """Set the counts at once (the plain form); active holds stay counted."""
    policy.require(actor, Action.EDIT, bed_group)
    group = _lock(bed_group)
    new = {"total": total, "occupied": occupied, "out_of_service": out_of_service}
    return _apply_counts(actor, group, new, "set")


@transaction.atomic
def bed_group_confirm(*, actor: Actor, bed_group: BedGroup) -> BedGroup:
    """Confirm the counts are still right; resets the "call to confirm" warning."""
    policy.require(actor, Action.EDIT, bed_group)
    group = _lock(bed_group)
    group.counts_confirmed_at = timezone.now()
    group.counts_confirmed_by = actor.user
    group.save(update_fields=["counts_confirmed_at", "counts_confirmed_by", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=group,
        details={"event": "confirm", **_counts(group)},
    )
    return group


# --- Admissions and discharges of the shelter's own cases ---------------------------------------


def _lock_groups(shelter_id: Any, bed_kind: str) -> list[BedGroup]:
    """Lock the shelter's groups of this kind, always in the same order."""
    groups = list(
        BedGroup.objects.select_for_update()
        .select_related("shelter")
        .filter(shelter_id=shelter_id, kind=bed_kind, is_active=True)
        .order_by("label", "pk")
    )
    if not groups:
        raise InvalidInput({"bed_kind": [str(_("This shelter has no beds of this kind."))]})
    return groups


def _group_with_free_bed(groups: list[BedGroup]) -> BedGroup:
    """The first locked group with a free bed (expired holds freed)."""
    for group in groups:
        _expire_due_holds_locked(group)
        if group.free > 0:
            return group
    raise NoBedFree({"bed_kind": [str(_("There is no free bed of this kind."))]})


def shelter_admit(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    bed_kind: str,
    occurred_on: datetime.date | None = None,
) -> ShelterStay:
    """Admit a person of the shelter's own case: record the admission event, occupy a bed.

    A second admission of someone already admitted (a double tap) is refused and audited.
    """
    try:
        return _admit(
            actor=actor, case=case, person=person, bed_kind=bed_kind, occurred_on=occurred_on
        )
    except AlreadyAdmitted:
        # The admission rolled back; the refusal is recorded in a transaction of its own.
        with transaction.atomic():
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                outcome=Outcome.FAILED,
                target=case,
                details={"event": "admit", "refused": "already_admitted"},
            )
        raise


@transaction.atomic
def _admit(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    bed_kind: str,
    occurred_on: datetime.date | None,
) -> ShelterStay:
    policy.require(actor, Action.EDIT, case)
    policy.require_allowed(actor, Action.CREATE, "shelters.shelterstay")
    if case.owner_org_id != actor.organisation_id:
        raise InvalidInput(str(_("Only the shelter's own cases are admitted here.")))
    if not case.participants.filter(person=person).exists():
        raise InvalidInput({"person": [str(_("This person is not part of the case."))]})
    if bed_kind not in BedKind.values:
        raise InvalidInput({"bed_kind": [str(_("Unknown kind of bed."))]})
    # Lock first, then look: a concurrent admission of the same person has committed by the
    # time the lock is ours, so the check below sees it.
    groups = _lock_groups(actor.organisation_id, bed_kind)
    if ShelterStay.objects.filter(person=person, discharged_at__isnull=True).exists():
        raise AlreadyAdmitted()
    group = _group_with_free_bed(groups)
    district = group.shelter.base_district
    event = registry_services.event_add(
        actor=actor,
        case=case,
        kind=EventKind.SHELTER_ADMISSION,
        person=person,
        occurred_on=occurred_on or timezone.localdate(),
        place=str(group.shelter),
        district=district,
        state=district.state if district else None,
    )
    _apply_counts(actor, group, {"occupied": group.occupied + 1}, "admit")
    try:
        with transaction.atomic():
            stay = ShelterStay.objects.create(
                bed_group=group,
                case=case,
                person=person,
                admission_event=event,
                admitted_by=actor.user,
            )
    except IntegrityError as exc:
        # one_open_stay_per_person: an admission at another shelter won the race.
        raise AlreadyAdmitted() from exc
    audit.record(actor=actor, action=AuditAction.CREATE, target=stay, details={"event": "admit"})
    return stay


@transaction.atomic
def shelter_discharge(
    *,
    actor: Actor,
    stay: ShelterStay | None = None,
    case: Case | None = None,
    person: Person | None = None,
) -> ShelterStay:
    """Discharge a person from the shelter and free their bed (by stay, or by case and person)."""
    if stay is None:
        if case is None or person is None:
            raise InvalidInput(str(_("Say whom to discharge.")))
        policy.require(actor, Action.EDIT, case)
        stay = (
            ShelterStay.objects.filter(case=case, person=person, discharged_at__isnull=True)
            .select_related("bed_group")
            .first()
        )
        if stay is None:
            raise InvalidInput({"person": [str(_("This person is not in the shelter."))]})
    policy.require(actor, Action.EDIT, stay)
    stay = ShelterStay.objects.select_for_update().get(pk=stay.pk)
    if stay.discharged_at is not None:
        raise InvalidInput(str(_("Already discharged.")))
    group = _lock(stay.bed_group_id)
    stay.discharged_at = timezone.now()
    stay.discharged_by = actor.user
    stay.save(update_fields=["discharged_at", "discharged_by", "updated_at"])
    if group.occupied > 0:
        _apply_counts(actor, group, {"occupied": group.occupied - 1}, "discharge")
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=stay, details={"event": "discharge"}
    )
    return stay


# --- Bed holds ------------------------------------------------------------------------------


def _hold_hours() -> int:
    return int(getattr(settings, "SETU_BED_HOLD_HOURS", 4))


def _holds_per_worker() -> int:
    return int(getattr(settings, "SETU_BED_HOLDS_PER_WORKER", 3))


def _expire_due_holds_locked(group: BedGroup) -> int:
    """With ``group`` locked: end its active holds whose time ran out; returns how many."""
    now = timezone.now()
    due = list(
        BedHold.objects.select_for_update().filter(
            bed_group=group, status=HoldStatus.ACTIVE, expires_at__lte=now
        )
    )
    for hold in due:
        _end_hold_locked(None, group, hold, HoldStatus.EXPIRED, ReleaseReason.EXPIRED)
    return len(due)


def _end_hold_locked(
    actor: Actor | None, group: BedGroup, hold: BedHold, status: str, reason: str
) -> BedHold:
    """With ``group`` locked: end an active hold and give its bed back (or to an admission)."""
    before = {"status": hold.status}
    hold.status = status
    hold.ended_at = timezone.now()
    hold.ended_by = actor.user if actor else None
    hold.release_reason = reason if status != HoldStatus.ADMITTED else ""
    hold.save(update_fields=["status", "ended_at", "ended_by", "release_reason", "updated_at"])
    group.held -= 1
    fields = ["held"]
    if status == HoldStatus.ADMITTED:
        group.occupied += 1
        fields.append("occupied")
    _save_counts(group, fields)
    _snapshot(group)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=hold,
        changes={"before": before, "after": {"status": status}},
        details={"event": "expire" if status == HoldStatus.EXPIRED else str(status), "why": reason}
        | ({"by": "system"} if actor is None else {}),
    )
    return hold


def _enqueue_expiry(hold: BedHold) -> None:
    """After commit, ask the task queue to end the hold when it is due (if it can wait)."""
    from setu.shelters import tasks

    hold_id, run_after = str(hold.pk), hold.expires_at

    def enqueue() -> None:
        if not tasks.expire_bed_hold.get_backend().supports_defer:
            # The sweep (setu shelters release-expired) ends it; nothing can wait on this backend.
            return
        try:
            tasks.expire_bed_hold.using(run_after=run_after).enqueue(hold_id)
        except Exception:  # the hold is still released by the sweep; never fail the request
            logger.exception("could not enqueue the expiry of a bed hold")

    transaction.on_commit(enqueue)


def _repeat_window() -> datetime.timedelta:
    return datetime.timedelta(
        minutes=int(getattr(settings, "SETU_UNMET_DEMAND_REPEAT_MINUTES", 30))
    )


def _already_counted(
    actor: Actor, *, kind: str, referral: Referral | None, district: District | None
) -> UnmetDemand | None:
    """The same worker's count of the same need (referral, or district without one) just now.

    The worker's row is locked first, so two taps at once cannot both miss each other.
    """
    from django.contrib.auth import get_user_model

    get_user_model().objects.select_for_update().filter(pk=actor.user.pk).first()
    same = UnmetDemand.objects.filter(
        recorded_by=actor.user,
        kind=kind,
        created_at__gte=timezone.now() - _repeat_window(),
    )
    same = (
        same.filter(referral=referral)
        if referral
        else same.filter(referral__isnull=True, district=district)
    )
    return same.first()


def _create_unmet(
    actor: Actor, *, district: District | None, kind: str, reason: str, referral: Referral | None
) -> UnmetDemand:
    """Count a need once: a retry by the same worker within the window is audited, not counted."""
    earlier = _already_counted(actor, kind=kind, referral=referral, district=district)
    if earlier is not None:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            outcome=Outcome.FAILED,
            target=earlier,
            details={"event": "unmet_demand", "counted": False, "repeat_of": str(earlier.pk)},
        )
        return earlier
    demand = UnmetDemand.objects.create(
        district=district,
        state_id=district.state_id if district else None,
        kind=kind,
        reason=reason,
        referral=referral,
        recorded_by_org_id=actor.organisation_id,
        recorded_by=actor.user,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=demand)
    return demand


def _record_unmet(actor: Actor, group: BedGroup, referral: Referral | None, reason: str) -> None:
    """Count a bed that was needed and not found, in its own transaction (the hold rolled back)."""
    with transaction.atomic():
        _create_unmet(
            actor,
            district=group.shelter.base_district,
            kind=group.kind,
            reason=reason,
            referral=referral,
        )


_FEMALE = ("Feminine", "TransgenderFeminine")
_MALE = ("Masculine", "TransgenderMasculine")
# Who each kind of bed is for: (sexes it is for, or None for any; minors only, adults only, or
# either). Shelters in India are licensed by age and sex (a children's home is not a women's).
_BED_FOR: dict[str, tuple[tuple[str, ...] | None, bool | None]] = {
    BedKind.GIRLS_UNDER_18: (_FEMALE, True),
    BedKind.BOYS_UNDER_18: (_MALE, True),
    BedKind.WOMEN: (_FEMALE, False),
    BedKind.MEN: (_MALE, False),
    BedKind.MOTHER_WITH_CHILD: (_FEMALE, None),
}


def bed_kind_misfit(kind: str, person: Any) -> str:
    """Why a bed of ``kind`` does not fit ``person`` as recorded (their sex and age today), or
    "" when it fits or the record does not say. A warning to confirm, not a refusal: ages are
    often estimates, and the shelter decides whom its licence lets it take in."""
    sexes, minor = _BED_FOR.get(kind, (None, None))
    label = BedKind(kind).label if kind in BedKind.values else kind
    name = person.display_name
    gender = person.gender
    if sexes is not None and (gender in _FEMALE or gender in _MALE) and gender not in sexes:
        return str(
            _("This bed is for “%(kind)s”, but %(name)s is recorded as %(sex)s.")
            % {"kind": label, "name": name, "sex": person.get_gender_display().lower()}
        )
    age = person.age_on()
    if minor is not None and age is not None and (age < 18) != minor:
        return str(
            _("This bed is for “%(kind)s”, but %(name)s is recorded as %(age)d years old.")
            % {"kind": label, "name": name, "age": age}
        )
    return ""


def bed_hold_create(
    *, actor: Actor, referral: Referral, bed_group: BedGroup, confirm_misfit: bool = False
) -> BedHold:
    """Hold a free bed for a referral the actor's organisation sent; fails rather than overbook.

    When no bed is free, the miss is recorded as unmet demand for the shelter's district. A bed
    whose kind does not fit the person as recorded (``bed_kind_misfit``) is held only with
    ``confirm_misfit``, and the trail says so.
    """
    policy.require(actor, Action.HOLD_BED, referral)
    policy.require(actor, Action.VIEW, bed_group)
    if referral.to_org_id != bed_group.shelter_id:
        raise InvalidInput(str(_("The referral is addressed to another organisation.")))
    if referral.need not in SHELTER_NEEDS:
        raise InvalidInput(str(_("Beds are held only for referrals for shelter.")))
    misfit = bed_kind_misfit(bed_group.kind, referral.person)
    if misfit and not confirm_misfit:
        raise InvalidInput({"confirm_misfit": [misfit]})
    try:
        return _hold_locked(actor, referral, bed_group.pk, previous=None, misfit=bool(misfit))
    except NoBedFree:
        _record_unmet(actor, bed_group, referral, UnmetReason.NO_FREE_BED)
        raise


# The furthest ahead a bed may be held for persons not yet recorded: a plan for next month
# must not take a bed out of the network's count for weeks.
UNREFERRED_HOLD_MAX_DAYS = 7


def bed_hold_create_unreferred(
    *, actor: Actor, bed_group: BedGroup, held_for: str, expires_at: datetime.datetime
) -> BedHold:
    """Hold a free bed for persons not yet recorded, such as those a planned rescue will bring
    (the caller says what for, without names or places); held until ``expires_at``, at most
    ``UNREFERRED_HOLD_MAX_DAYS`` ahead. Fails rather than overbook, and counts the miss as
    unmet demand like any hold. There is no person yet, so no consent to check: the shelter
    learns only the kind of bed, the holding organisation and ``held_for``."""
    policy.require_allowed(actor, Action.CREATE, "shelters.bedhold")
    policy.require(actor, Action.VIEW, bed_group)
    now = timezone.now()
    if not held_for.strip():
        raise InvalidInput({"held_for": [str(_("Say what the bed is held for."))]})
    if not now < expires_at <= now + datetime.timedelta(days=UNREFERRED_HOLD_MAX_DAYS):
        raise InvalidInput({"expires_at": [str(_("A bed is held for at most a week ahead."))]})
    try:
        return _hold_locked(
            actor, None, bed_group.pk, previous=None, expires_at=expires_at, held_for=held_for
        )
    except NoBedFree:
        _record_unmet(actor, bed_group, None, UnmetReason.NO_FREE_BED)
        raise


@transaction.atomic
def bed_hold_end_unreferred(*, actor: Actor | None, hold_id: Any) -> bool:
    """Give back a bed held without a referral when what it was held for ended without an
    admission (the holding app calls it when, say, its operation closes). No policy check: the
    caller ended its own purpose under its own rules; the trail records who. Returns whether a
    hold was ended."""
    try:
        group_id = BedHold.objects.values_list("bed_group_id", flat=True).get(
            pk=hold_id, referral__isnull=True
        )
    except BedHold.DoesNotExist:
        return False
    group = _lock(group_id)
    hold = BedHold.objects.select_for_update().get(pk=hold_id)
    if hold.status != HoldStatus.ACTIVE:
        return False
    _end_hold_locked(actor, group, hold, HoldStatus.RELEASED, ReleaseReason.BY_HOLDER)
    return True


@transaction.atomic
def _hold_locked(
    actor: Actor,
    referral: Referral | None,
    group_id: Any,
    previous: BedHold | None,
    misfit: bool = False,
    expires_at: datetime.datetime | None = None,
    held_for: str = "",
) -> BedHold:
    from django.contrib.auth import get_user_model

    # Lock order: the worker, then the bed group. The worker lock makes the per-worker limit
    # hold under concurrency; every hold path takes the two locks in this order.
    get_user_model().objects.select_for_update().filter(pk=actor.user.pk).first()
    group = _lock(group_id)
    _expire_due_holds_locked(group)
    if previous is not None:
        previous = BedHold.objects.select_for_update().get(pk=previous.pk)
        if previous.status == HoldStatus.ACTIVE:
            _end_hold_locked(actor, group, previous, HoldStatus.RELEASED, ReleaseReason.REHOLD)
    elif (
        referral is not None
        and BedHold.objects.filter(referral=referral, status=HoldStatus.ACTIVE).exists()
    ):
        raise InvalidInput(str(_("A bed is already held for this referral.")))
    active = BedHold.objects.filter(
        held_by=actor.user, status=HoldStatus.ACTIVE, expires_at__gt=timezone.now()
    ).count()
    if active >= _holds_per_worker():
        raise InvalidInput(
            str(_("You already hold %(n)d beds, the most one worker may hold at once."))
            % {"n": active}
        )
    if group.free <= 0:
        raise NoBedFree({"bed_group": [str(_("There is no free bed of this kind."))]})
    hold = BedHold(
        bed_group=group,
        referral=referral,
        held_for=held_for[:80],
        holder_org_id=actor.organisation_id,
        held_by=actor.user,
        expires_at=expires_at or timezone.now() + datetime.timedelta(hours=_hold_hours()),
        replaces=previous,
    )
    hold.full_clean(exclude=["replaces"])
    hold.save()
    group.held += 1
    _save_counts(group, ["held"])
    _snapshot(group)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=hold,
        changes={"after": {"status": hold.status, "expires_at": hold.expires_at.isoformat()}},
        details={"event": "rehold" if previous else "hold"}
        | ({"referral": str(referral.pk)} if referral else {"held_for": hold.held_for})
        | ({"replaces": str(previous.pk)} if previous else {})
        | ({"bed_kind_misfit_confirmed": True} if misfit else {}),
    )
    _enqueue_expiry(hold)
    return hold


def bed_hold_rehold(*, actor: Actor, hold: BedHold) -> BedHold:
    """Hold the bed again for the same referral with a fresh expiry (the old hold ends)."""
    policy.require(actor, Action.EDIT, hold)
    referral = hold.referral
    if referral is None:
        raise InvalidInput(str(_("Hold this bed again from where it was held.")))
    policy.require(actor, Action.HOLD_BED, referral)
    if hold.status == HoldStatus.ADMITTED:
        raise InvalidInput(str(_("The person has already been admitted.")))
    if hasattr(hold, "replaced_by"):
        raise InvalidInput(str(_("This hold was already renewed.")))
    try:
        return _hold_locked(actor, referral, hold.bed_group_id, previous=hold)
    except NoBedFree:
        _record_unmet(actor, hold.bed_group, referral, UnmetReason.NO_FREE_BED)
        raise


@transaction.atomic
def bed_hold_release(
    *, actor: Actor, hold: BedHold, reason: str = ReleaseReason.BY_HOLDER
) -> BedHold:
    """Give a held bed back (by the holding caseworker or the shelter)."""
    policy.require(actor, Action.EDIT, hold)
    group = _lock(hold.bed_group_id)
    hold = BedHold.objects.select_for_update().get(pk=hold.pk)
    if hold.status != HoldStatus.ACTIVE:
        raise InvalidInput(str(_("This hold has already ended.")))
    return _end_hold_locked(actor, group, hold, HoldStatus.RELEASED, reason)


@transaction.atomic
def bed_hold_admit(*, actor: Actor, hold: BedHold) -> ShelterStay:
    """The shelter confirms the person arrived: the held bed becomes an occupied one."""
    policy.require(actor, Action.VIEW, hold)
    policy.require(actor, Action.EDIT, hold.bed_group)
    group = _lock(hold.bed_group_id)
    hold = BedHold.objects.select_for_update().get(pk=hold.pk)
    if hold.status != HoldStatus.ACTIVE:
        raise InvalidInput(str(_("This hold has ended; hold a bed again first.")))
    # An expired hold the sweep has not reached yet is still honoured if the bed is there.
    _end_hold_locked(actor, group, hold, HoldStatus.ADMITTED, "")
    group.counts_confirmed_at, group.counts_confirmed_by = timezone.now(), actor.user
    group.save(update_fields=["counts_confirmed_at", "counts_confirmed_by", "updated_at"])
    stay = ShelterStay.objects.create(bed_group=group, hold=hold, admitted_by=actor.user)
    audit.record(actor=actor, action=AuditAction.CREATE, target=stay, details={"event": "admit"})
    return stay


def bed_holds_release_for_referral(
    *, actor: Actor | None, referral: Referral, reason: str = ReleaseReason.REFERRAL_DECLINED
) -> int:
    """Release the active hold of a referral that was declined or closed (call on decline)."""
    released = 0
    for hold_id, group_id in BedHold.objects.filter(
        referral=referral, status=HoldStatus.ACTIVE
    ).values_list("pk", "bed_group_id"):
        with transaction.atomic():
            group = _lock(group_id)
            hold = BedHold.objects.select_for_update().get(pk=hold_id)
            if hold.status == HoldStatus.ACTIVE:
                _end_hold_locked(actor, group, hold, HoldStatus.RELEASED, reason)
                released += 1
    return released


def bed_hold_expire(*, hold_id: Any) -> bool:
    """End one hold if its time ran out (the task queue's job); safe to run any number of times."""
    try:
        group_id = BedHold.objects.values_list("bed_group_id", flat=True).get(pk=hold_id)
    except BedHold.DoesNotExist:
        return False
    with transaction.atomic():
        group = _lock(group_id)
        hold = BedHold.objects.select_for_update().get(pk=hold_id)
        if hold.status != HoldStatus.ACTIVE or hold.expires_at > timezone.now():
            return False
        _end_hold_locked(None, group, hold, HoldStatus.EXPIRED, ReleaseReason.EXPIRED)
    return True


def bed_holds_release_expired() -> int:
    """Sweep: end every hold past its time, and holds whose referral was declined or closed.

    Idempotent; run by the task queue and by ``setu shelters release-expired`` so that a lost
    task or a restarted worker still frees the beds.
    """
    ended = 0
    due = BedHold.objects.filter(status=HoldStatus.ACTIVE, expires_at__lte=timezone.now())
    for hold_id in list(due.values_list("pk", flat=True)):
        ended += int(bed_hold_expire(hold_id=hold_id))
    finished = BedHold.objects.filter(
        status=HoldStatus.ACTIVE, referral__status__in=CLOSED_REFERRAL_STATUSES
    ).select_related("referral")
    for hold in list(finished):
        reason = (
            ReleaseReason.REFERRAL_DECLINED
            if hold.referral.status == "declined"
            else ReleaseReason.REFERRAL_CLOSED
        )
        ended += bed_holds_release_for_referral(actor=None, referral=hold.referral, reason=reason)
    return ended


# --- Unmet demand ------------------------------------------------------------------------------


@transaction.atomic
def unmet_demand_record(
    *,
    actor: Actor,
    district_id: Any,
    kind: str = "",
    reason: str = UnmetReason.SEARCH_FOUND_NONE,
    referral: Referral | None = None,
) -> UnmetDemand:
    """Record that a bed was needed in a district and none was found (a count, never a name)."""
    policy.require_allowed(actor, Action.CREATE, "shelters.unmetdemand")
    district = orgs.district_get(code=district_id) if str(district_id).isdigit() else None
    if district is None:
        raise InvalidInput({"district": [str(_("Choose a district."))]})
    if kind and kind not in BedKind.values:
        raise InvalidInput({"kind": [str(_("Unknown kind of bed."))]})
    if referral is not None:
        policy.require(actor, Action.VIEW, referral)
    return _create_unmet(actor, district=district, kind=kind, reason=reason, referral=referral)


def referral_declined_for_lack_of_beds(*, actor: Actor, referral: Referral) -> UnmetDemand:
    """For the referrals service: a shelter declined for lack of beds; counts unmet demand."""
    policy.require(actor, Action.VIEW, referral)
    shelter: Organisation = referral.to_org
    district = shelter.base_district
    bed_holds_release_for_referral(
        actor=actor, referral=referral, reason=ReleaseReason.REFERRAL_DECLINED
    )
    with transaction.atomic():
        demand = UnmetDemand.objects.create(
            district=district,
            state_id=district.state_id if district else None,
            reason=UnmetReason.DECLINED_NO_BED,
            referral=referral,
            recorded_by_org_id=actor.organisation_id,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, target=demand)
    return demand


# --- Nudges for stale counts -------------------------------------------------------------------


def _stale_before() -> datetime.datetime:
    hours = int(getattr(settings, "SETU_CAPACITY_STALE_HOURS", 24))
    return timezone.now() - datetime.timedelta(hours=hours)


def capacity_nudge_stale() -> int:
    """Ask each shelter whose counts are stale to confirm them (once per stale period).

    The message goes to the shelter's designated contacts and its public address; it names no
    person. Returns how many shelters were nudged.
    """
    stale_before = _stale_before()
    groups = BedGroup.objects.filter(is_active=True, counts_confirmed_at__lt=stale_before).exclude(
        last_nudged_at__gte=stale_before
    )
    shelter_ids = sorted(set(groups.values_list("shelter_id", flat=True)), key=str)
    nudged = 0
    for shelter_id in shelter_ids:
        with transaction.atomic():
            locked = list(
                BedGroup.objects.select_for_update()
                .filter(shelter_id=shelter_id, is_active=True, counts_confirmed_at__lt=stale_before)
                .exclude(last_nudged_at__gte=stale_before)
            )
            if not locked:
                continue
            now = timezone.now()
            BedGroup.objects.filter(pk__in=[g.pk for g in locked]).update(last_nudged_at=now)
            shelter = orgs.organisation_for_system(organisation_id=shelter_id)
            recipients = _nudge_recipients(shelter)
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                target=shelter,
                details={"event": "capacity_nudge", "groups": len(locked), "by": "system"},
            )
            transaction.on_commit(lambda to=recipients: _send_nudge(to))
            nudged += 1
    return nudged


def _nudge_recipients(shelter: Organisation) -> list[str]:
    emails = {m.user.email for m in orgs.designated_contacts(organisation_id=shelter.pk)}
    if shelter.email:
        emails.add(shelter.email)
    return sorted(e for e in emails if e)


def _send_nudge(recipients: list[str]) -> None:
    if not recipients:
        return
    try:
        send_mail(
            subject=_("Setu: please confirm your free beds"),
            message=_(
                "Your shelter's bed counts in Setu have not been confirmed for a while, so other "
                "organisations see them as 'call to confirm'. Please open Setu, check the counts "
                "and press 'Counts are right' or correct them."
            ),
            from_email=None,
            recipient_list=recipients,
        )
    except Exception:  # a mail outage must not stop the sweep; the banner in Setu remains
        logger.exception("could not send a capacity nudge")


def on_referral_ended(event: ReferralEnded) -> None:
    """A referral was declined or closed (``referrals.hooks``): give its bed back; declined for
    lack of beds also counts unmet demand."""
    if event.how == referral_hooks.DECLINED_NO_BED and event.actor is not None:
        referral_declined_for_lack_of_beds(actor=event.actor, referral=event.referral)
        return
    reason = (
        ReleaseReason.REFERRAL_CLOSED
        if event.how == referral_hooks.CLOSED
        else ReleaseReason.REFERRAL_DECLINED
    )
    bed_holds_release_for_referral(actor=event.actor, referral=event.referral, reason=reason)
