"""Demo feedback: cells past the threshold, a complaint in the second lane, a campaign."""

import random

import pytest
from django.utils import timezone

from setu.feedback import demo, selectors
from setu.feedback.models import Feedback, Lane
from setu.orgs.models import OrganisationType, Role
from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_demo_feedback_passes_the_threshold_somewhere_and_routes_its_complaint(personas):
    body = OrganisationFactory(org_type=OrganisationType.NETWORK_BODY)
    collective = OrganisationFactory(org_type=OrganisationType.SURVIVOR_COLLECTIVE)
    OrganisationFactory(org_type=OrganisationType.SHELTER_HOME)
    MembershipFactory(organisation=body, role=Role.CASEWORKER, user__username="network.caseworker")
    MembershipFactory(
        organisation=collective,
        role=Role.COLLECTIVE_LEADER,
        user__username="survivor-collective.collective_leader",
    )
    counts = demo.load_demo(rng=random.Random(3), now=timezone.now())
    assert counts["feedback"] > 450 and counts["feedback_serious"] == 1
    assert counts["feedback_campaigns"] == 1
    complaint = Feedback.objects.get(lane=Lane.SERIOUS)
    assert complaint.handler.username == "network.caseworker"
    assert complaint.concerns_org_id != body.pk
    report = selectors.report(actor=personas["analyst"], dimension="subject")
    shown = [r for r in report.rows if r.count is not None]
    hidden = [r for r in report.rows if r.count is None]
    assert shown and all(r.count >= selectors.SMALL_CELL for r in shown)
    assert any(r.rating is not None and r.themes for r in shown)
    assert hidden or len(shown) == len(report.rows)
    # Every row is valid as the services would leave it.
    for row in Feedback.objects.all()[:50]:
        row.full_clean()
