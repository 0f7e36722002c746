"""Reads of shelter capacity, holds and stays, through the access policy.

Free beds are computed from the counters, treating holds whose time ran out as free even before
the sweep has ended them: a lost task must never make a bed look taken.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.core.errors import Forbidden, NotFound
from setu.insights.selectors import SMALL_CELL
from setu.orgs import selectors as orgs
from setu.shelters.models import (
    BedGroup,
    BedHold,
    BedKind,
    CapacitySnapshot,
    HoldStatus,
    ShelterStay,
    UnmetDemand,
)

if TYPE_CHECKING:
    from setu.orgs.models import District, Organisation, State


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(hours=int(getattr(settings, "SETU_CAPACITY_STALE_HOURS", 24)))


def hold_hours() -> int:
    """How long a bed hold lasts unless the shelter confirms the admission."""
    return int(getattr(settings, "SETU_BED_HOLD_HOURS", 4))


def holds_per_worker() -> int:
    """Live holds one worker may have at once."""
    return int(getattr(settings, "SETU_BED_HOLDS_PER_WORKER", 3))


def nearly_full_percent() -> int:
    return int(getattr(settings, "SETU_SHELTER_NEARLY_FULL_PERCENT", 85))


def _with_live_counts(qs: QuerySet[BedGroup]) -> QuerySet[BedGroup]:
    """Annotate ``expired_holds`` (active but past due) and ``free_now`` (treating those as free)."""
    expired = (
        BedHold.objects.filter(
            bed_group=OuterRef("pk"), status=HoldStatus.ACTIVE, expires_at__lte=timezone.now()
        )
        .order_by()
        .values("bed_group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        expired_holds=Coalesce(Subquery(expired, output_field=IntegerField()), Value(0))
    ).annotate(
        free_now=F("total") - F("held") - F("occupied") - F("out_of_service") + F("expired_holds"),
        held_now=F("held") - F("expired_holds"),
    )


def bed_group_list(
    *,
    actor: Actor,
    shelter_id: UUID | None = None,
    state_id: int | None = None,
    district_id: int | None = None,
    kind: str = "",
    only_free: bool = False,
) -> QuerySet[BedGroup]:
    """Active bed groups the actor may see, with live free counts; filters are not identifying."""
    qs = BedGroup.objects.filter(is_active=True, shelter__is_active=True)
    if shelter_id:
        qs = qs.filter(shelter_id=shelter_id)
    if district_id:
        qs = qs.filter(shelter__base_district_id=district_id)
    if state_id:
        qs = qs.filter(shelter__base_district__state_id=state_id)
    if kind:
        qs = qs.filter(kind=kind)
    qs = _with_live_counts(policy.scope(actor, qs, Action.VIEW))
    if only_free:
        qs = qs.filter(free_now__gt=0)
    return qs.select_related("shelter__base_district__state", "counts_confirmed_by").order_by(
        "shelter__name", "kind", "label"
    )


def bed_group_get(*, actor: Actor, bed_group_id: UUID, action: Action = Action.VIEW) -> BedGroup:
    """One bed group the actor may ``action`` (404 if not visible, 403 if visible only)."""
    base = BedGroup.objects.select_related("shelter__base_district__state", "counts_confirmed_by")
    group = (
        _with_live_counts(policy.scope(actor, base, Action.VIEW)).filter(pk=bed_group_id).first()
    )
    if group is None:
        raise NotFound(action=action, target=("shelters.bedgroup", str(bed_group_id), None))
    if action != Action.VIEW:
        policy.require(actor, action, group)
    return group


def own_bed_groups(*, actor: Actor) -> QuerySet[BedGroup]:
    """The groups of beds the actor manages (their own shelter), inactive ones too."""
    qs = policy.scope(actor, BedGroup.objects.all(), Action.EDIT)
    return _with_live_counts(qs).select_related("shelter", "counts_confirmed_by")


@dataclass
class ShelterRow:
    """One shelter on the capacity board: its groups, totals, and warnings."""

    shelter: Organisation
    address: str
    groups: list[BedGroup] = field(default_factory=list)
    total: int = 0
    free: int = 0
    in_service: int = 0
    stale: bool = False
    nearly_full: bool = False
    confirmed_at: datetime.datetime | None = None

    @property
    def used_percent(self) -> int:
        return (
            round(100 * (self.in_service - self.free) / self.in_service) if self.in_service else 0
        )


def shelter_address(*, actor: Actor, shelter: Organisation) -> str:
    """A shelter's address, unless it is a high-risk home and the actor is not its own staff."""
    if shelter.address_is_confidential and shelter.pk != actor.organisation_id:
        return ""
    return shelter.address


def capacity_board(
    *,
    actor: Actor,
    state_id: int | None = None,
    district_id: int | None = None,
    kind: str = "",
    only_free: bool = False,
) -> list[ShelterRow]:
    """Shelters with their bed groups, free beds, staleness and nearly-full warnings."""
    groups = bed_group_list(
        actor=actor, state_id=state_id, district_id=district_id, kind=kind, only_free=only_free
    )
    rows: dict[Any, ShelterRow] = {}
    for group in groups:
        row = rows.get(group.shelter_id)
        if row is None:
            row = rows[group.shelter_id] = ShelterRow(
                shelter=group.shelter, address=shelter_address(actor=actor, shelter=group.shelter)
            )
        row.groups.append(group)
        row.total += group.total
        row.free += max(group.free_now, 0)
        row.in_service += group.total - group.out_of_service
        row.stale = row.stale or group.is_stale
        if row.confirmed_at is None or group.counts_confirmed_at < row.confirmed_at:
            row.confirmed_at = group.counts_confirmed_at
    for row in rows.values():
        row.nearly_full = row.in_service > 0 and row.used_percent >= nearly_full_percent()
    return list(rows.values())


@dataclass(frozen=True)
class AreaCapacity:
    """Beds in one district or state right now."""

    area_id: int | None
    name: str
    shelters: int
    total: int
    free: int
    nearly_full: int


def capacity_by_area(*, actor: Actor, level: str = "district") -> list[AreaCapacity]:
    """Free beds by district (or by state) now; counts of beds, never of people."""
    board = capacity_board(actor=actor)
    grouped: dict[Any, list[ShelterRow]] = defaultdict(list)
    names: dict[Any, str] = {}
    for row in board:
        district = row.shelter.base_district
        if level == "state":
            key = district.state_id if district else None
            names[key] = district.state.name if district else "—"
        else:
            key = district.pk if district else None
            names[key] = str(district) if district else "—"
        grouped[key].append(row)
    result = [
        AreaCapacity(
            area_id=key,
            name=names[key],
            shelters=len(rows),
            total=sum(r.total for r in rows),
            free=sum(r.free for r in rows),
            nearly_full=sum(1 for r in rows if r.nearly_full),
        )
        for key, rows in grouped.items()
    ]
    return sorted(result, key=lambda a: a.name)


def capacity_trend(
    *,
    actor: Actor,
    days: int = 30,
    state_id: int | None = None,
    district_id: int | None = None,
    kind: str = "",
) -> list[tuple[datetime.date, int]]:
    """Free beds at the end of each of the last ``days`` days, from the snapshot history."""
    if not policy.allowed(actor, Action.VIEW, "shelters.bedgroup"):
        raise Forbidden(action=Action.VIEW, target=("shelters.capacitysnapshot", "", None))
    today = timezone.localdate()
    start_day = today - datetime.timedelta(days=days - 1)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(start_day, datetime.time.min, tzinfo=tz)
    qs = CapacitySnapshot.objects.all()
    if state_id:
        qs = qs.filter(state_id=state_id)
    if district_id:
        qs = qs.filter(district_id=district_id)
    if kind:
        qs = qs.filter(kind=kind)
    # Each group's state when the window opens: its latest snapshot before the start.
    # Each group's state when the window opens: its latest snapshot before the start (snapshots
    # are appended in time order, so the highest id is the latest).
    latest_before = (
        qs.filter(taken_at__lt=start).values("bed_group_id").annotate(last=Max("id")).values("last")
    )
    current: dict[Any, int] = {}
    for group_id, free, active in qs.filter(id__in=latest_before).values_list(
        "bed_group_id", "free", "is_active"
    ):
        current[group_id] = free if active else 0
    changes = qs.filter(taken_at__gte=start).order_by("taken_at", "id")
    points: list[tuple[datetime.date, int]] = []
    rows = iter(changes.values_list("bed_group_id", "free", "is_active", "taken_at"))
    pending = next(rows, None)
    for offset in range(days):
        day = start_day + datetime.timedelta(days=offset)
        end = datetime.datetime.combine(day, datetime.time.max, tzinfo=tz)
        while pending is not None and pending[3] <= end:
            current[pending[0]] = pending[1] if pending[2] else 0
            pending = next(rows, None)
        points.append((day, sum(current.values())))
    return points


def bed_hold_list(*, actor: Actor, active_only: bool = False) -> QuerySet[BedHold]:
    """Holds the actor's organisation made or that are on its shelter's beds."""
    qs = policy.scope(actor, BedHold.objects.all(), Action.VIEW)
    if active_only:
        qs = qs.filter(status=HoldStatus.ACTIVE, expires_at__gt=timezone.now())
    return qs.select_related("bed_group__shelter", "holder_org", "held_by", "referral").order_by(
        "-created_at"
    )


def bed_hold_get(*, actor: Actor, hold_id: UUID) -> BedHold:
    """One hold the actor may see."""
    hold = (
        policy.scope(actor, BedHold.objects.all(), Action.VIEW)
        .select_related("bed_group__shelter", "holder_org", "held_by", "referral")
        .filter(pk=hold_id)
        .first()
    )
    if hold is None:
        raise NotFound(action=Action.VIEW, target=("shelters.bedhold", str(hold_id), None))
    return hold


def holdable_referral_list(*, actor: Actor, shelter_id: UUID | None = None) -> QuerySet[Any]:
    """Open shelter referrals the actor's organisation sent (to ``shelter_id``) with no live hold."""
    from setu.referrals import selectors as referrals

    live = BedHold.objects.filter(
        referral=OuterRef("pk"), status=HoldStatus.ACTIVE, expires_at__gt=timezone.now()
    )
    return referrals.referral_list_for_hold(actor=actor, shelter_id=shelter_id).exclude(
        Exists(live)
    )


def referral_for_hold(*, actor: Actor, referral_id: UUID) -> Any:
    """A referral the actor may hold a bed for."""
    from setu.referrals import selectors as referrals

    return referrals.referral_get_for_hold(actor=actor, referral_id=referral_id)


@dataclass
class ReferralBeds:
    """The bed side of a shelter referral, as the actor may see and act on it."""

    holds: list[BedHold]
    active: BedHold | None
    free: int
    can_hold: bool
    can_admit: bool
    can_release: bool


def referral_beds(*, actor: Actor, referral: Any) -> ReferralBeds | None:
    """Holds on a shelter referral and what the actor may do about them; None if not for shelter."""
    if referral.need != "shelter":
        return None
    holds = list(
        policy.scope(actor, BedHold.objects.filter(referral=referral), Action.VIEW)
        .select_related("bed_group", "held_by")
        .order_by("-created_at")
    )
    active = next((h for h in holds if h.status == HoldStatus.ACTIVE), None)
    free = sum(
        max(g.free_now, 0) for g in bed_group_list(actor=actor, shelter_id=referral.to_org_id)
    )
    return ReferralBeds(
        holds=holds,
        active=active,
        free=free,
        # A run-out hold the sweep has not ended yet may still be admitted on or replaced:
        # holding a bed first ends the run-out holds (``services.bed_hold_create``).
        can_hold=(active is None or not active.is_live)
        and policy.can(actor, Action.HOLD_BED, referral),
        can_admit=active is not None and policy.can(actor, Action.EDIT, active.bed_group),
        can_release=active is not None and policy.can(actor, Action.EDIT, active),
    )


def free_beds_by_shelter(*, actor: Actor) -> dict[Any, int]:
    """Free beds now per shelter (organisation id), for choosing where to refer."""
    if not policy.allowed(actor, Action.VIEW, "shelters.bedgroup"):
        return {}
    free: dict[Any, int] = defaultdict(int)
    for shelter_id, free_now in bed_group_list(actor=actor).values_list("shelter_id", "free_now"):
        free[shelter_id] += max(free_now, 0)
    return dict(free)


def holds_in_use(*, actor: Actor) -> int:
    """How many live holds the actor has (against the per-worker limit)."""
    return BedHold.objects.filter(
        held_by=actor.user, status=HoldStatus.ACTIVE, expires_at__gt=timezone.now()
    ).count()


def stay_list(*, actor: Actor, current_only: bool = True) -> QuerySet[ShelterStay]:
    """Stays in the actor's shelter."""
    qs = policy.scope(actor, ShelterStay.objects.all(), Action.VIEW)
    if current_only:
        qs = qs.filter(discharged_at__isnull=True)
    return qs.select_related(
        "bed_group",
        "case",
        "person",
        "hold__referral__person",
        "hold__referral__consent",
        "hold__holder_org",
    )


@dataclass(frozen=True)
class StayRow:
    """Someone staying in the actor's shelter, named when the policy says she is its resident."""

    stay: ShelterStay
    name: str  # "" when the shelter may not know who she is (``policy.shelter_resident_named``)
    case_reference: str  # the shelter's own case ("" for someone referred by another org)


def stay_rows(*, actor: Actor) -> list[StayRow]:
    """Current stays in the actor's shelter, each with the resident's name where allowed."""
    rows = []
    for stay in stay_list(actor=actor):
        referral = stay.hold.referral if stay.hold_id else None
        person = stay.person or (referral.person if referral else None)
        named = person is not None and policy.shelter_resident_named(actor, stay)
        name = person.display_name if named and person else ""
        rows.append(StayRow(stay, name, stay.case.reference if stay.case else ""))
    return rows


@dataclass(frozen=True)
class AdmissionChoice:
    """A survivor of one of the shelter's own open cases who is not staying anywhere now."""

    case: Any
    person: Any

    @property
    def value(self) -> str:
        return f"{self.case.pk}:{self.person.pk}"

    @property
    def label(self) -> str:
        return f"{self.case.reference} — {self.person.display_name}"


def admission_choices(
    *, actor: Actor, case_id: UUID | None = None, limit: int = 300
) -> list[AdmissionChoice]:
    """Whom the shelter may admit: survivors of its own open cases (newest cases first)."""
    from setu.registry import selectors as registry

    policy.require_allowed(actor, Action.CREATE, "shelters.shelterstay")
    staying = ShelterStay.objects.filter(discharged_at__isnull=True, person__isnull=False)
    pairs = registry.own_open_case_survivors(
        actor=actor, case_id=case_id, exclude_person_ids=staying.values("person_id"), limit=limit
    )
    return [AdmissionChoice(case, person) for case, person in pairs]


def own_bed_kinds(*, actor: Actor) -> list[tuple[str, str]]:
    """The kinds of bed the actor's own shelter has in use (for the admission form)."""
    kinds = set(
        policy.scope(actor, BedGroup.objects.filter(is_active=True), Action.EDIT).values_list(
            "kind", flat=True
        )
    )
    return [(value, label) for value, label in BedKind.choices if value in kinds]


def stay_get(*, actor: Actor, stay_id: UUID) -> ShelterStay:
    """One stay in the actor's shelter."""
    stay = (
        policy.scope(actor, ShelterStay.objects.all(), Action.VIEW)
        .select_related("bed_group")
        .filter(pk=stay_id)
        .first()
    )
    if stay is None:
        raise NotFound(action=Action.VIEW, target=("shelters.shelterstay", str(stay_id), None))
    return stay


# --- Network view: counts only, small numbers suppressed ---------------------------------------


def require_network_view(actor: Actor) -> None:
    """Coordinators and analysts only; raises Forbidden otherwise."""
    policy.require_allowed(actor, Action.VIEW_AGGREGATES, "shelters.network")


def suppress(count: int) -> int | None:
    """A count safe to show: None (shown as "fewer than 5") for 1–4, which could identify."""
    return None if 0 < count < SMALL_CELL else count


@dataclass(frozen=True)
class DemandRow:
    """Unmet demand in one district over a period (``count`` is None when fewer than 5)."""

    district: str
    state: str
    count: int | None


def unmet_demand_by_district(*, actor: Actor, days: int = 90) -> list[DemandRow]:
    """Times a bed was needed and none found, per district, over the last ``days`` days."""
    require_network_view(actor)
    since = timezone.now() - datetime.timedelta(days=days)
    rows = (
        UnmetDemand.objects.filter(created_at__gte=since)
        .values("district__name", "state__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "state__name", "district__name")
    )
    return [
        DemandRow(r["district__name"] or "—", r["state__name"] or "—", suppress(r["n"]))
        for r in rows
    ]


def nearly_full_shelters(*, actor: Actor) -> list[ShelterRow]:
    """Shelters at or above the nearly-full threshold, for the network's warning list."""
    return [row for row in capacity_board(actor=actor) if row.nearly_full]


def area_choices() -> tuple[QuerySet[State], QuerySet[District]]:
    """States and districts where member shelters are (filters for the board)."""
    districts = orgs.district_list().filter(
        pk__in=BedGroup.objects.values("shelter__base_district_id")
    )
    states = orgs.state_list().filter(pk__in=districts.values("state_id"))
    return states, districts


@dataclass(frozen=True)
class FlowRow:
    """Referrals from one organisation or place to another; None means "fewer than 5"."""

    source: str
    target: str
    sent: int | None
    accepted: int | None
    declined: int | None
    completed: int | None
    acceptance_percent: int | None
    completion_percent: int | None
    median_response_hours: float | None


def _place(org_name: str, district: str | None, state: str | None, by: str) -> str:
    if by == "organisation":
        return org_name
    if by == "state":
        return state or "—"
    return f"{district}, {state}" if district else "—"


def referral_flows(*, actor: Actor, by: str = "organisation", days: int = 365) -> list[FlowRow]:
    """Referral volumes, acceptance and completion rates and response times between
    organisations, districts or states over the last ``days`` days: counts only."""
    from setu.referrals import selectors as referrals

    require_network_view(actor)
    since = timezone.now() - datetime.timedelta(days=days)
    rows = referrals.referral_flow_rows(since=since)
    tally: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"sent": 0, "accepted": 0, "declined": 0, "completed": 0, "hours": []}
    )
    for f_org, f_d, f_s, t_org, t_d, t_s, status, created, sent, accepted, declined, done in rows:
        key = (_place(f_org, f_d, f_s, by), _place(t_org, t_d, t_s, by))
        t = tally[key]
        t["sent"] += 1
        t["accepted"] += int(accepted is not None)
        t["declined"] += int(declined is not None)
        t["completed"] += int(status == "completed" or done is not None)
        answered = accepted or declined
        if answered is not None:
            t["hours"].append((answered - (sent or created)).total_seconds() / 3600)
    result = []
    for (source, target), t in sorted(tally.items()):
        decided = t["accepted"] + t["declined"]
        hours = sorted(t["hours"])
        median = None
        if len(hours) >= SMALL_CELL:
            mid = len(hours) // 2
            median = hours[mid] if len(hours) % 2 else (hours[mid - 1] + hours[mid]) / 2
        result.append(
            FlowRow(
                source=source,
                target=target,
                sent=suppress(t["sent"]),
                accepted=suppress(t["accepted"]),
                declined=suppress(t["declined"]),
                completed=suppress(t["completed"]),
                acceptance_percent=round(100 * t["accepted"] / decided)
                if decided >= SMALL_CELL
                else None,
                completion_percent=round(100 * t["completed"] / t["accepted"])
                if t["accepted"] >= SMALL_CELL
                else None,
                median_response_hours=round(median, 1) if median is not None else None,
            )
        )
    return result


def referrals_per_month(*, actor: Actor, months: int = 12) -> list[tuple[str, int | None]]:
    """Referrals sent across the network per month (None for 1–4)."""
    from setu.referrals import selectors as referrals

    require_network_view(actor)
    today = timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    counts = referrals.referral_count_by_month(first=first)
    points = []
    month = first
    while month <= today:
        points.append((month.strftime("%b %Y"), suppress(counts.get(month, 0))))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return points
