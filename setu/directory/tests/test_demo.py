"""The directory's demo entries are checked in ``setu/referrals/tests/test_demo.py`` together with
the rest of the network demo; this module keeps the directory's own contract in view."""

import random

import pytest
from django.utils import timezone

from setu.directory import demo
from setu.directory.models import Service
from setu.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_every_active_organisation_gets_entries_and_inactive_ones_none():
    active = OrganisationFactory(org_type="legal_aid")
    gone = OrganisationFactory(org_type="legal_aid", is_active=False)
    counts = demo.load_demo(rng=random.Random(1), now=timezone.now())
    assert counts["directory_services"] == Service.objects.count() >= 2
    assert Service.objects.filter(organisation=active).count() == 2
    assert not Service.objects.filter(organisation=gone).exists()
