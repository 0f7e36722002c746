"""Demo shelter capacity: bed groups with realistic occupancy and 60 days of history, bed holds
for open shelter referrals, stays, and unmet demand.

Runs after the directory and referrals demo (``setu.referrals.demo.load_network_demo``). A
shelter is any organisation whose directory lists a shelter service. Counters are set as the
services would leave them: ``held`` is the number of live holds, ``occupied`` is at least the
number of open stays, and nothing exceeds the beds in total (the database would refuse it).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.utils import timezone

from setu.access.policy import HOLD_ROLES, SHELTER_ROLES
from setu.directory.models import Service, ServiceType
from setu.orgs.models import Membership, Organisation, OrganisationType
from setu.referrals.demo import NO_BED_REASON
from setu.referrals.models import Referral, ReferralStatus
from setu.registry.models import EventKind, Gender, TraffickingEvent
from setu.shelters.models import (
    BedGroup,
    BedHold,
    BedKind,
    CapacitySnapshot,
    HoldStatus,
    ReleaseReason,
    ShelterStay,
    UnmetDemand,
    UnmetReason,
)

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)
HISTORY_DAYS = 60

# How full each shelter is, in turn; the first two make the "nearly full" and "stale" warnings.
PROFILES = ("nearly_full", "stale", "moderate", "full", "roomy", "moderate")
TARGET_USE = {"nearly_full": (0.88, 0.97), "full": (1.0, 1.0), "moderate": (0.55, 0.8),
              "roomy": (0.25, 0.5), "stale": (0.6, 0.85)}  # fmt: skip


def _kinds(org: Organisation, rng: random.Random) -> list[tuple[str, str, int]]:
    """(kind, label, total) of a shelter's bed groups, by the kind of organisation."""
    if org.org_type == OrganisationType.SHELTER_HOME:
        groups = [(BedKind.GIRLS_UNDER_18, "", rng.randint(16, 30)),
                  (BedKind.WOMEN, "", rng.randint(8, 16))]  # fmt: skip
        if rng.random() < 0.7:
            groups.append((BedKind.MOTHER_WITH_CHILD, "", rng.randint(2, 6)))
        if rng.random() < 0.5:
            groups.append((BedKind.GIRLS_UNDER_18, "Ground floor, step-free", rng.randint(3, 5)))
        return groups
    groups = [(BedKind.WOMEN, "", rng.randint(6, 14))]
    if rng.random() < 0.5:
        # Destination NGOs rescue boys from factories too; they need a few transit beds.
        groups.append((BedKind.BOYS_UNDER_18, "Transit beds", rng.randint(3, 8)))
    return groups


def _history(
    rng: random.Random, group: BedGroup, start: datetime.datetime, end: datetime.datetime
) -> list[tuple[datetime.datetime, int, int]]:
    """(time, occupied, out of service) before ``end``, when the counts were last confirmed.

    Walks backwards from today's counts, a few admissions or discharges a day."""
    cap = group.total
    occupied, oos = group.occupied, group.out_of_service
    points = []
    day = end - D
    while day > start:
        for _ in range(rng.choice((0, 1, 1, 2))):
            occupied = min(max(occupied + rng.choice((-2, -1, -1, 1, 1)), 0), cap - oos)
            points.append((day.replace(hour=rng.randint(8, 20), minute=rng.randint(0, 59)),
                           occupied, oos))  # fmt: skip
        day -= D
    points.append((start, occupied, oos))
    return sorted(points)


def load_demo(*, rng: random.Random, now: datetime.datetime) -> dict[str, int]:
    """Bed groups, history, holds, stays and unmet demand for the demo shelters; returns counts."""
    shelter_ids = set(
        Service.objects.filter(
            service_type=ServiceType.SHELTER, is_active=True, organisation__is_active=True
        ).values_list("organisation_id", flat=True)
    )
    shelters = list(
        Organisation.objects.filter(pk__in=shelter_ids)
        .exclude(bed_groups__isnull=False)
        .select_related("base_district")
        .order_by("name")
    )
    managers: dict[Any, Any] = {}
    for org_id, user_id in (
        Membership.objects.filter(organisation__in=shelters, is_active=True, role__in=SHELTER_ROLES)
        .order_by("-role", "id")  # shelter manager before organisation admin
        .values_list("organisation_id", "user_id")
    ):
        managers.setdefault(org_id, user_id)
    start = now - HISTORY_DAYS * D
    groups: list[BedGroup] = []
    profile_of: dict[Any, str] = {}
    for index, shelter in enumerate(shelters):
        profile_of[shelter.pk] = PROFILES[index % len(PROFILES)]
        for kind, label, total in _kinds(shelter, rng):
            groups.append(
                BedGroup(
                    shelter=shelter,
                    kind=kind,
                    label=label,
                    total=total,
                    out_of_service=rng.choice((0, 0, 0, 1)) if total > 6 else 0,
                    languages=["hi", "en"],
                    disability_access=bool(label) or rng.random() < 0.3,
                    counts_confirmed_by_id=managers.get(shelter.pk),
                )
            )
    by_shelter_kind: dict[tuple[Any, str], list[BedGroup]] = defaultdict(list)
    for group in groups:
        by_shelter_kind[(group.shelter_id, group.kind)].append(group)

    # Beds taken today by open stays and live holds, shared so no group is overbooked.
    taken: dict[int, int] = defaultdict(int)
    stays = _stays(rng, now, by_shelter_kind, taken)
    holds, hold_stays, demand = _holds(rng, now, shelters, by_shelter_kind, taken)
    stays += hold_stays

    # Today's counts: live holds are held; open stays are at least part of the occupied beds.
    open_stays: dict[int, int] = defaultdict(int)
    for stay in stays:
        if stay.discharged_at is None:
            open_stays[id(stay.bed_group)] += 1
    live: dict[int, int] = defaultdict(int)
    last_hold: dict[int, datetime.datetime] = {}
    for hold in holds:
        if hold.status == HoldStatus.ACTIVE:
            live[id(hold.bed_group)] += 1
            held_at = hold.expires_at - _hold_hours() * H
            last_hold[id(hold.bed_group)] = max(last_hold.get(id(hold.bed_group), held_at), held_at)
    for group in groups:
        low, high = TARGET_USE[profile_of[group.shelter_id]]
        in_service = group.total - group.out_of_service
        target = round(in_service * rng.uniform(low, high))
        group.held = live[id(group)]
        group.occupied = max(open_stays[id(group)], min(target, in_service) - group.held)
        if profile_of[group.shelter_id] == "stale":
            group.counts_confirmed_at = now - rng.uniform(30, 120) * H
        else:
            group.counts_confirmed_at = now - rng.uniform(0.5, 18) * H
        group.full_clean(exclude=["shelter", "counts_confirmed_by"])
    BedGroup.objects.bulk_create(groups)
    for group in groups:
        group.created_at = start
    BedGroup.objects.bulk_update(groups, ["created_at"])
    for stay in stays:
        stay.bed_group_id = stay.bed_group.pk
    for hold in holds:
        hold.bed_group_id = hold.bed_group.pk
    BedHold.objects.bulk_create(holds)
    for stay in stays:
        if stay.hold is not None:
            stay.hold_id = stay.hold.pk
    ShelterStay.objects.bulk_create(stays)
    _backdate(BedHold, holds, lambda h: h.expires_at - _hold_hours() * H)
    _backdate(ShelterStay, stays, lambda s: s.admitted_at)

    snapshots: list[CapacitySnapshot] = []
    for group in groups:
        district = group.shelter.base_district
        # Before the last confirmation the counts changed as people came and went (no holds
        # are left over from then); the last snapshot is today's counts exactly.
        for at, occupied, oos in _history(rng, group, start, group.counts_confirmed_at):
            snapshots.append(
                CapacitySnapshot(
                    bed_group=group,
                    shelter_id=group.shelter_id,
                    district=district,
                    state_id=district.state_id if district else None,
                    kind=group.kind,
                    total=group.total,
                    held=0,
                    occupied=occupied,
                    out_of_service=oos,
                    free=group.total - occupied - oos,
                    taken_at=at,
                )
            )
        snapshots.append(
            CapacitySnapshot(
                bed_group=group,
                shelter_id=group.shelter_id,
                district=district,
                state_id=district.state_id if district else None,
                kind=group.kind,
                total=group.total,
                held=group.held,
                occupied=group.occupied,
                out_of_service=group.out_of_service,
                free=group.free,
                taken_at=max(group.counts_confirmed_at, last_hold.get(id(group), start)),
            )
        )
    CapacitySnapshot.objects.bulk_create(snapshots, batch_size=2000)
    demand += _searches(rng, now, shelters)
    UnmetDemand.objects.bulk_create([d for d, _at in demand])
    for row, at in demand:
        row.created_at = row.updated_at = at
    UnmetDemand.objects.bulk_update([d for d, _at in demand], ["created_at", "updated_at"])
    return {
        "shelters": len(shelters),
        "bed_groups": len(groups),
        "beds": sum(g.total for g in groups),
        "beds_free": sum(g.free for g in groups),
        "capacity_snapshots": len(snapshots),
        "bed_holds_active": sum(1 for h in holds if h.status == HoldStatus.ACTIVE),
        "bed_holds": len(holds),
        "shelter_stays": len(stays),
        "unmet_demand": len(demand),
    }


def _hold_hours() -> int:
    from setu.shelters.selectors import hold_hours

    return hold_hours()


def _backdate(model: Any, rows: list[Any], when: Any) -> None:
    for row in rows:
        row.created_at = row.updated_at = when(row)
    model.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=1000)


def _bed_kind(gender: str, age: int | None) -> str:
    minor = age is not None and age < 18
    if gender == Gender.MASCULINE:
        return BedKind.BOYS_UNDER_18 if minor else BedKind.MEN
    return BedKind.GIRLS_UNDER_18 if minor else BedKind.WOMEN


def _free(group: BedGroup, taken: dict[int, int]) -> bool:
    return group.total - group.out_of_service - taken[id(group)] > 0


def _stays(
    rng: random.Random,
    now: datetime.datetime,
    groups: dict[tuple[Any, str], list[BedGroup]],
    taken: dict[int, int],
) -> list[ShelterStay]:
    """Residents from the shelters' own cases: admissions recorded in the last 120 days."""
    shelter_ids = {key[0] for key in groups}
    since = timezone.localdate(now) - 120 * D
    events = (
        TraffickingEvent.objects.filter(
            kind=EventKind.SHELTER_ADMISSION,
            case__owner_org_id__in=shelter_ids,
            case__archived_at__isnull=True,
            person__isnull=False,
            occurred_on__gte=since,
            occurred_on__lte=timezone.localdate(now),
        )
        .select_related("case", "person")
        .order_by("occurred_on", "id")
    )
    stays: list[ShelterStay] = []
    seen: set[Any] = set()
    for event in events:
        person = event.person
        if person.pk in seen:
            continue
        kind = _bed_kind(person.gender, person.age_on(event.occurred_on))
        group = next(
            (g for g in groups.get((event.case.owner_org_id, kind), []) if _free(g, taken)), None
        )
        if group is None:
            continue
        seen.add(person.pk)
        admitted = datetime.datetime.combine(event.occurred_on, datetime.time(15), now.tzinfo)
        discharged = None
        if rng.random() < 0.35:
            discharged = min(admitted + rng.uniform(10, 90) * D, now - H)
        else:
            taken[id(group)] += 1
        stays.append(
            ShelterStay(
                bed_group=group,
                case=event.case,
                person=person,
                admission_event=event,
                admitted_at=admitted,
                admitted_by_id=event.recorded_by_id,
                discharged_at=discharged,
                discharged_by_id=event.recorded_by_id if discharged else None,
            )
        )
    return stays


def _holds(
    rng: random.Random,
    now: datetime.datetime,
    shelters: list[Organisation],
    groups: dict[tuple[Any, str], list[BedGroup]],
    taken: dict[int, int],
) -> tuple[list[BedHold], list[ShelterStay], list[tuple[UnmetDemand, datetime.datetime]]]:
    """Holds as caseworkers and shelters left them: live ones for fresh open referrals,
    admitted ones for referrals in progress or completed, released ones for declines."""
    hours = _hold_hours()
    holders: dict[Any, list[Any]] = defaultdict(list)
    for org_id, user_id in Membership.objects.filter(
        is_active=True, role__in=HOLD_ROLES
    ).values_list("organisation_id", "user_id"):
        holders[org_id].append(user_id)
    referrals = (
        Referral.objects.filter(need=ServiceType.SHELTER, to_org__in=shelters)
        .select_related("to_org__base_district", "person")
        .order_by("sent_at", "id")
    )
    in_use: dict[Any, int] = defaultdict(int)  # live holds per worker (limit 3)
    holds: list[BedHold] = []
    stays: list[ShelterStay] = []
    demand: list[tuple[UnmetDemand, datetime.datetime]] = []
    for referral in referrals:
        kind = _bed_kind(referral.person.gender, referral.person.age_on())
        options = groups.get((referral.to_org_id, kind)) or [
            g for key, gs in groups.items() if key[0] == referral.to_org_id for g in gs
        ]
        if not options:
            continue
        group = rng.choice(options)
        worker = referral.sent_by_id
        if worker not in holders.get(referral.from_org_id, []):
            worker = (holders.get(referral.from_org_id) or [None])[0]
        district = referral.to_org.base_district
        if referral.status == ReferralStatus.DECLINED:
            if referral.decline_reason.startswith(NO_BED_REASON):
                demand.append(
                    (UnmetDemand(district=district, state_id=district.state_id if district
                                 else None, kind=group.kind, reason=UnmetReason.DECLINED_NO_BED,
                                 referral=referral, recorded_by_org_id=referral.to_org_id),
                     referral.declined_at)
                )  # fmt: skip
            elif worker and rng.random() < 0.5:
                held_at = referral.sent_at + 0.5 * H
                holds.append(
                    BedHold(bed_group=group, referral=referral, holder_org_id=referral.from_org_id,
                            held_by_id=worker, status=HoldStatus.RELEASED,
                            expires_at=held_at + hours * H, ended_at=referral.declined_at,
                            release_reason=ReleaseReason.REFERRAL_DECLINED)
                )  # fmt: skip
            continue
        if worker is None:
            continue
        # A few of the open referrals have a bed held right now (made or renewed lately).
        live_now = len([h for h in holds if h.status == HoldStatus.ACTIVE]) < 8
        if referral.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED) and live_now:
            if in_use[worker] >= 3 or not _free(group, taken):
                if not _free(group, taken):
                    demand.append(
                        (UnmetDemand(district=district, state_id=district.state_id if district
                                     else None, kind=group.kind, reason=UnmetReason.NO_FREE_BED,
                                     referral=referral, recorded_by_org_id=referral.from_org_id),
                         referral.sent_at + 0.2 * H)
                    )  # fmt: skip
                continue
            held_at = max(referral.sent_at, now - rng.uniform(0.2, hours - 0.5) * H)
            in_use[worker] += 1
            taken[id(group)] += 1
            holds.append(
                BedHold(bed_group=group, referral=referral, holder_org_id=referral.from_org_id,
                        held_by_id=worker, status=HoldStatus.ACTIVE,
                        expires_at=held_at + hours * H)
            )  # fmt: skip
        elif referral.started_at and referral.status in (
            ReferralStatus.IN_PROGRESS,
            ReferralStatus.COMPLETED,
        ):
            open_stay = referral.status == ReferralStatus.IN_PROGRESS
            if open_stay and not _free(group, taken):
                continue
            held_at = referral.accepted_at or referral.sent_at
            admitted = min(held_at + rng.uniform(1, 3) * H, referral.started_at)
            hold = BedHold(bed_group=group, referral=referral, holder_org_id=referral.from_org_id,
                           held_by_id=worker, status=HoldStatus.ADMITTED,
                           expires_at=held_at + hours * H, ended_at=admitted)  # fmt: skip
            holds.append(hold)
            if open_stay:
                taken[id(group)] += 1
            stays.append(
                ShelterStay(bed_group=group, hold=hold, admitted_at=admitted,
                            discharged_at=None if open_stay else referral.completed_at)
            )  # fmt: skip
        elif referral.sent_at + (hours + 1) * H < now and rng.random() < 0.3:
            # An older hold that ran out before the shelter confirmed (the sweep ended it).
            held_at = referral.sent_at + 0.3 * H
            holds.append(
                BedHold(bed_group=group, referral=referral, holder_org_id=referral.from_org_id,
                        held_by_id=worker, status=HoldStatus.EXPIRED,
                        expires_at=held_at + hours * H, ended_at=held_at + hours * H,
                        release_reason=ReleaseReason.EXPIRED)
            )  # fmt: skip
    return holds, stays, demand


def _searches(
    rng: random.Random, now: datetime.datetime, shelters: list[Organisation]
) -> list[tuple[UnmetDemand, datetime.datetime]]:
    """Searches for a bed in a district that found none, over the last 90 days."""
    districts = [s.base_district for s in shelters if s.base_district]
    searchers = list(
        Membership.objects.filter(is_active=True, role__in=HOLD_ROLES)
        .values_list("organisation_id", flat=True)
        .distinct()
        .order_by("organisation_id")
    )
    if not districts or not searchers:
        return []
    rows = []
    # Most misses happen where the beds are scarce: the first shelters' districts.
    weights = [6 if i == 0 else 3 if i == 1 else 1 for i in range(len(districts))]
    for _ in range(rng.randint(25, 40)):
        district = rng.choices(districts, weights)[0]
        at = now - rng.uniform(0.1, 89) * D
        rows.append(
            (UnmetDemand(district=district, state_id=district.state_id,
                         kind=rng.choice((BedKind.GIRLS_UNDER_18, BedKind.WOMEN,
                                          BedKind.MOTHER_WITH_CHILD, "")),
                         reason=UnmetReason.SEARCH_FOUND_NONE,
                         recorded_by_org_id=rng.choice(searchers)), at)
        )  # fmt: skip
    return rows
