"""Demo entitlements: every application status and claim story, as the services keep them."""

import itertools
import random

import pytest
from django.utils import timezone

from setu.entitlements import demo, services
from setu.entitlements.models import (
    ApplicationStatus,
    CompensationClaim,
    CompensationStage,
    SchemeApplication,
)
from setu.referrals.tests.demo_network import build

pytestmark = pytest.mark.django_db


def test_applications_and_claims_in_every_stage_with_consistent_history():
    build(cases_per_org=10)
    counts = demo.load_demo(rng=random.Random(5), now=timezone.now())
    today = timezone.localdate()
    for status in ApplicationStatus.values:
        assert counts.get(f"applications_{status}", 0) > 0, status
    for app in SchemeApplication.objects.prefetch_related("changes"):
        assert app.owner_org_id == app.case.owner_org_id
        changes = list(app.changes.order_by("changed_on", "created_at"))
        assert changes[0].changed_on == app.applied_on and changes[0].from_status == ""
        assert [c.changed_on for c in changes] == sorted(c.changed_on for c in changes)
        assert (
            changes[-1].to_status == app.status and changes[-1].changed_on == app.status_changed_on
        )
        assert app.status_changed_on <= today
        for before, after in itertools.pairwise(changes):
            assert after.from_status == before.to_status
    assert counts["compensation_appeals"] > 0
    for claim in CompensationClaim.objects.all():
        assert claim.status == services._claim_status(claim), claim.pk
    for stage in CompensationStage.objects.select_related("appeal_of"):
        assert stage.amount_paid <= stage.amount_awarded or stage.outcome == "pending"
        assert stage.filed_on <= today
        if stage.outcome != "pending":
            assert stage.order_on and stage.order_on <= today
        if stage.appeal_of:
            assert stage.filed_on >= stage.appeal_of.order_on
            assert stage.appeal_of.outcome != "pending"
