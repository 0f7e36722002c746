"""Demo intelligence: the network spans four organisations and several states, one agreement."""

import random

import pytest
from django.utils import timezone

from setu.intel import demo
from setu.intel.models import Identifier, IntelLink, SharingAgreement
from setu.referrals.tests.demo_network import build

pytestmark = pytest.mark.django_db


def test_demo_network_crosses_four_organisations_with_one_agreement():
    build(cases_per_org=3)
    counts = demo.load_demo(rng=random.Random(3), now=timezone.now())
    assert "intel_skipped" not in counts
    assert Identifier.objects.values("owner_org").distinct().count() == 4
    assert Identifier.objects.values("owner_org__base_district__state").distinct().count() >= 2
    phone = Identifier.objects.filter(kind="phone", value="+919830045671")
    assert phone.count() == 3  # written three ways, one value
    assert Identifier.objects.filter(kind="upi").values("value").distinct().count() == 1
    assert IntelLink.objects.filter(kind="upi").count() == 3
    agreement = SharingAgreement.objects.get()
    assert agreement.accepted_at is not None
    assert IntelLink.objects.filter(kind="name").exists()


def test_demo_writes_no_audit_entry_of_its_own():
    from setu.audit.models import AuditEntry

    build(cases_per_org=3)
    before = AuditEntry.objects.count()
    demo.load_demo(rng=random.Random(3), now=timezone.now())
    assert AuditEntry.objects.count() == before
