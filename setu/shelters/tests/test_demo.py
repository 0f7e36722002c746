"""Demo shelter data: realistic occupancy, history, holds and stays, and nothing overbooked."""

import datetime
import random
from collections import Counter

import pytest
from django.utils import timezone

from setu.access.actor import actor_for_user
from setu.directory import demo as directory_demo
from setu.orgs.models import OrganisationType, Role
from setu.referrals import demo as referrals_demo
from setu.referrals.models import ReferralStatus
from setu.referrals.tests.demo_network import build
from setu.shelters import demo, selectors
from setu.shelters.models import (
    BedGroup,
    BedHold,
    CapacitySnapshot,
    HoldStatus,
    ShelterStay,
    UnmetDemand,
    UnmetReason,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    net = build()
    now = timezone.now()
    counts = {}
    for step in (directory_demo.load_demo, referrals_demo.load_demo, demo.load_demo):
        counts.update(step(rng=random.Random(11), now=now))
    return net, counts


def test_no_bed_group_is_overbooked_and_counters_match_the_rows(loaded):
    _net, counts = loaded
    assert counts["bed_groups"] > 0
    live = Counter(
        BedHold.objects.filter(status=HoldStatus.ACTIVE).values_list("bed_group_id", flat=True)
    )
    staying = Counter(
        ShelterStay.objects.filter(discharged_at__isnull=True).values_list(
            "bed_group_id", flat=True
        )
    )
    for group in BedGroup.objects.all():
        assert group.free >= 0
        assert group.held == live[group.pk]
        assert group.occupied >= staying[group.pk]
        last = CapacitySnapshot.objects.filter(bed_group=group).order_by("taken_at", "id").last()
        assert (last.total, last.held, last.occupied, last.free) == (
            group.total, group.held, group.occupied, group.free,
        )  # fmt: skip
        assert not CapacitySnapshot.objects.filter(bed_group=group, free__lt=0).exists()


def test_holds_are_live_and_within_the_per_worker_limit(loaded):
    active = BedHold.objects.filter(status=HoldStatus.ACTIVE).select_related("referral")
    assert active.exists()
    for hold in active:
        assert hold.is_live
        assert hold.referral.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED)
        assert hold.holder_org_id == hold.referral.from_org_id
        assert hold.bed_group.shelter_id == hold.referral.to_org_id
    per_worker = Counter(active.values_list("held_by_id", flat=True))
    assert max(per_worker.values()) <= selectors.holds_per_worker()
    for hold in BedHold.objects.exclude(status=HoldStatus.ACTIVE):
        assert hold.ended_at is not None and hold.ended_at <= timezone.now()
    assert ShelterStay.objects.filter(case__isnull=False, discharged_at__isnull=True).exists()


def test_board_shows_nearly_full_stale_and_a_confidential_home(loaded):
    net, _counts = loaded
    coordinator = actor_for_user(net.staff[(OrganisationType.POLICE_AHTU, Role.CASEWORKER)])
    rows = selectors.capacity_board(actor=coordinator)
    assert any(r.nearly_full for r in rows)
    assert any(r.stale for r in rows)
    home = net.orgs[OrganisationType.SHELTER_HOME]
    row = next(r for r in rows if r.shelter.pk == home.pk)
    assert row.address == ""  # a high-risk home: address shown to its own staff only
    trend = selectors.capacity_trend(actor=coordinator, days=60)
    assert len(trend) == 60 and len({free for _day, free in trend}) > 1


def test_unmet_demand_comes_from_declines_and_searches(loaded):
    reasons = set(UnmetDemand.objects.values_list("reason", flat=True))
    assert UnmetReason.SEARCH_FOUND_NONE in reasons
    since = timezone.now() - datetime.timedelta(days=91)
    assert not UnmetDemand.objects.filter(created_at__lt=since).exists()
    for demand in UnmetDemand.objects.filter(reason=UnmetReason.DECLINED_NO_BED):
        assert demand.referral.status == ReferralStatus.DECLINED
