"""Demo field operations: a past rescue with its debrief, an interception under way with a
missed check-in whose escalation the sweep carries on."""

import random

import pytest
from django.utils import timezone

from setu.access.actor import actor_for_user
from setu.fieldops import demo, selectors, services
from setu.fieldops.models import Alert, Operation
from setu.orgs.models import Organisation, OrganisationType, Role
from setu.orgs.tests.factories import MembershipFactory
from setu.referrals.tests.demo_network import build

pytestmark = pytest.mark.django_db


def test_demo_has_a_debriefed_rescue_and_a_missed_checkin_under_way():
    build(cases_per_org=2)
    ngo = Organisation.objects.filter(org_type=OrganisationType.DESTINATION_NGO).first()
    ahtu = Organisation.objects.filter(org_type=OrganisationType.POLICE_AHTU).first()
    MembershipFactory(organisation=ngo, role=Role.FIELD_OFFICER)
    MembershipFactory(organisation=ahtu, role=Role.POLICE_LIAISON)
    now = timezone.now()
    assert demo.load_demo(rng=random.Random(3), now=now) == {"fieldops_operations": 2}
    past = Operation.objects.get(status="closed")
    assert past.debrief.lesson and past.steps.filter(state="skipped").exclude(skip_reason="")
    outsider = MembershipFactory(role=Role.CASEWORKER).user
    assert selectors.lesson_list(actor=actor_for_user(outsider))[0].text == past.debrief.lesson
    alert = Alert.objects.get(status="open")
    assert alert.reason == "missed" and alert.operation.status == "active"
    # The sweep carries the escalation on from where the demo left it: the team lead is next.
    assert services.checkin_sweep(now=now).steps == 1
    assert list(alert.steps.values_list("tier", flat=True)) == ["self", "buddy", "lead"]
