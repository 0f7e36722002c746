"""Demo proceedings: every stage and story, consistent with the services' rules."""

import random

import pytest
from django.utils import timezone

from setu.core.errors import InvalidInput
from setu.entitlements import demo as entitlements_demo
from setu.legal import demo, selectors, services
from setu.legal.models import Appeal, Hearing, Judgment, Proceeding, Stage, Track, WitnessPlan
from setu.referrals.tests.demo_network import build

pytestmark = pytest.mark.django_db


def test_demo_has_every_stage_and_story_and_passes_the_services_checks():
    build(cases_per_org=10)
    now = timezone.now()
    entitlements_demo.load_demo(rng=random.Random(5), now=now)
    counts = demo.load_demo(rng=random.Random(5), now=now)
    for story in demo.STORIES:
        assert counts.get(f"story_{story}") == 1, story
    for stage in (Stage.FIR, Stage.CHARGESHEET, Stage.TRIAL, Stage.JUDGMENT):
        assert counts.get(f"stage_{stage}", 0) > 0, stage
    assert counts["compensation_tracks"] > 0
    # The convicted accused appealed to the High Court, in time, against their convictions.
    (appeal,) = Appeal.objects.all()
    assert appeal.proceeding.stage == Stage.APPEAL and counts["appeals"] == 1
    assert appeal.proceeding.appeal_filed_on == appeal.filed_on
    assert {j.verdict for j in appeal.judgments.all()} == {"convicted"}
    assert selectors.appeal_window(appeal, appeal.proceeding).late_by == 0
    assert not services.cnr_errors(appeal.cnr_number)
    assert Judgment.objects.filter(verdict="convicted").exists()
    assert Judgment.objects.filter(verdict="acquitted").exists()
    assert Hearing.objects.filter(adjournment_reason="witness_absent").exists()
    assert Hearing.objects.filter(proceeding__measures__kind="travel").exists()
    # The inter-state witness agreed to SMS in Bengali: her status can be sent to her.
    interstate = Proceeding.objects.filter(measures__kind="travel").get()
    assert interstate.reminder_consent_on >= interstate.fir_date
    assert selectors.her_language(interstate)[0] == "bn" and interstate.reminder_phone
    # Her coming hearing has a witness plan that is not ready within the week: it is flagged.
    plan = WitnessPlan.objects.get(proceeding=interstate)
    assert plan.status == "not_started" and plan.video_requested and plan.allowance_rupees
    assert selectors.witness_unready(
        plan.status, on=plan.hearing.on, outcome=plan.hearing.outcome, today=timezone.localdate()
    )
    assert Proceeding.objects.values("district__state").distinct().count() > 1
    for p in Proceeding.objects.filter(track=Track.CRIMINAL):
        try:
            services._check(p)
        except InvalidInput as exc:  # pragma: no cover - the message says which row and why
            pytest.fail(f"{p.fir_number}: {exc.errors}")
        first = p.hearings.order_by("on").first()
        assert first is None or first.on >= p.fir_date
        for j in Judgment.objects.filter(accused__proceeding=p):
            assert p.charges_framed_on and j.decided_on >= p.charges_framed_on


def test_demo_gives_the_desk_something_to_flag():
    build(cases_per_org=10)
    demo.load_demo(rng=random.Random(5), now=timezone.now())
    custody = Proceeding.objects.filter(accused__custody="custody", chargesheet_on__isnull=True)
    assert custody.exists()
    p = custody.first()
    assert selectors.proceeding_deadlines(p)[0].code.startswith("default_bail")
