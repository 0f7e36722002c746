"""The referral network's demo data on a small factory-built network: every state of the flow,
no referral beyond its consent, no bed overbooked, entitlements consistent with the services."""

import random

import pytest
from django.utils import timezone

from setu.directory import demo as directory_demo
from setu.directory.models import Service, ServiceType
from setu.orgs.models import OrganisationType
from setu.referrals import demo, selectors
from setu.referrals.models import EventKind, Referral, ReferralStatus
from setu.referrals.tests.demo_network import build

pytestmark = pytest.mark.django_db


def _load(*steps):
    now = timezone.now()
    counts = {}
    for step in steps:
        counts.update(step(rng=random.Random(7), now=now))
    return counts


def test_directory_lists_services_for_every_organisation_by_its_type():
    net = build(cases_per_org=2)
    counts = _load(directory_demo.load_demo)
    assert counts["directory_services"] > 0
    for org in net.orgs.values():
        assert Service.objects.filter(organisation=org).exists(), org.org_type
    types = lambda t: set(  # noqa: E731
        Service.objects.filter(organisation=net.orgs[t]).values_list("service_type", flat=True)
    )
    assert {ServiceType.SHELTER, ServiceType.COUNSELLING} <= types(OrganisationType.SHELTER_HOME)
    assert {ServiceType.LEGAL_AID, ServiceType.COMPENSATION} <= types(OrganisationType.LEGAL_AID)
    assert ServiceType.FAMILY_TRACING in types(OrganisationType.SOURCE_NGO)
    for service in Service.objects.all():
        assert service.districts.exists() or service.states.exists()
        service.full_clean()
    # Loading again adds nothing: organisations that list services are left alone.
    assert _load(directory_demo.load_demo)["directory_services"] == 0


def test_referrals_cover_every_state_and_never_share_beyond_consent():
    net = build()
    counts = _load(directory_demo.load_demo, demo.load_demo)
    for status in ReferralStatus.values:
        assert counts.get(f"referrals_{status}", 0) > 0, status
    referrals = list(Referral.objects.select_related("consent", "case", "to_service"))
    assert len(referrals) == counts["referrals"]
    unusable = {c.pk for c in net.statistics_only}
    for r in referrals:
        consent = r.consent
        assert consent.pk not in unusable
        assert consent.person_id == r.person_id
        assert set(r.shared_scopes) <= set(consent.scopes) & set(selectors.REFERRAL_SCOPES)
        assert r.shared_scopes
        assert consent.recipient_org_id in (None, r.to_org_id)
        assert r.from_org_id == r.case.owner_org_id != r.to_org_id
        assert r.to_service.organisation_id == r.to_org_id and r.need == r.to_service.service_type
        assert r.sent_at.date() >= consent.given_on
        assert r.sent_at <= timezone.now()
        if not selectors.consent_in_force(r):
            # Anything whose consent lapsed has stopped sharing, as the registry would see to.
            assert r.sharing_stopped_at is not None, r.pk
        if consent.withdrawn_on:
            assert r.sent_at.date() < consent.withdrawn_on
        events = list(r.events.order_by("created_at"))
        assert events[0].kind == EventKind.SENT
        assert events[0].created_at == r.sent_at
        if r.status == ReferralStatus.COMPLETED:
            assert r.handover_missing() == []
        stamps = [r.sent_at, r.accepted_at, r.started_at, r.completed_at]
        present = [s for s in stamps if s]
        assert present == sorted(present)
    # Some wait past the reminder time; the reminder sweep finds them.
    assert selectors.referrals_overdue().exists()
    assert Referral.objects.filter(kind__in=["transfer", "repatriation"]).exists()
    assert Referral.objects.filter(reminder_count__gt=0).exists()


def test_the_whole_network_demo_loads_in_one_step():
    # Its load time is a benchmark's business (docs/testing.md: no timed tests).
    build()
    counts = demo.load_network_demo(seed=3)
    for key in ("directory_services", "referrals", "bed_groups", "capacity_snapshots",
                "scheme_applications", "compensation_claims", "unmet_demand"):  # fmt: skip
        assert counts[key] > 0, key
    assert counts == {**counts, "referrals": Referral.objects.count()}
