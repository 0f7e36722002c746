from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEntry
from setu.registry.tests.factories import CasePersonFactory
from setu.shelters.models import BedHold
from setu.shelters.tests.factories import BedGroupFactory, ReferralFactory


def _client(personas, who):
    client = Client()
    client.force_login(personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_capacity_lists_free_beds_without_addresses(personas):
    personas.partner_org.address = "7 Secret Street"
    personas.partner_org.save()
    group = BedGroupFactory(shelter=personas.partner_org, total=3, occupied=1)
    response = _client(personas, "other_org").get(reverse("api:shelters-capacity-list"))
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["id"] == str(group.pk) and row["free"] == 2
    assert "Secret" not in response.text


def test_holding_a_bed_through_the_api(personas):
    group = BedGroupFactory(shelter=personas.partner_org, total=1)
    referral = ReferralFactory(
        link=CasePersonFactory(case__owner_org=personas.own_org), to_org=personas.partner_org
    )
    client = _client(personas, "lead")
    url = reverse("api:shelters-hold-list")
    response = client.post(url, {"referral": referral.pk, "bed_group": group.pk})
    assert response.status_code == 201, response.json()
    assert BedHold.objects.get().referral == referral
    second = ReferralFactory(
        link=CasePersonFactory(case__owner_org=personas.own_org), to_org=personas.partner_org
    )
    response = client.post(url, {"referral": second.pk, "bed_group": group.pk})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_an_api_refusal_is_audited(personas):
    group = BedGroupFactory(shelter=personas.partner_org)
    response = _client(personas, "lead").post(
        reverse("api:shelters-capacity-adjust", args=[group.pk]), {"counter": "total", "delta": 1}
    )
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="denied", target_id=str(group.pk)).exists()
