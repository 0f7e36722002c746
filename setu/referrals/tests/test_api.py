import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from setu.consent.models import Consent
from setu.directory.tests.factories import ServiceFactory
from setu.referrals.models import Referral
from setu.referrals.tests.factories import referral_for

pytestmark = pytest.mark.django_db


def _api(personas, who):
    client = APIClient()
    client.force_authenticate(personas.users[who])
    return client


def test_send_through_the_api(personas):
    service = ServiceFactory(organisation=personas.partner_org)
    response = _api(personas, "lead").post(
        "/api/v1/referrals/",
        {"case_id": str(personas.case.pk), "person_id": str(personas.person.pk),
         "to_service_id": str(service.pk), "scopes": ["identity"], "urgency": "emergency"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "sent" and response.json()["need"] == "shelter"


def test_api_refuses_without_consent_with_a_clear_message(personas):
    response = _api(personas, "lead").post(
        "/api/v1/referrals/",
        {"case_id": str(personas.case.pk), "person_id": str(personas.person.pk),
         "to_org_id": str(personas.partner_org.pk), "need": "legal_aid", "scopes": ["health"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403
    assert "consented" in response.json()["error"]["message"]
    assert not Referral.objects.exists()


def test_transitions_and_invalid_ones(personas):
    referral = referral_for(personas)
    client = _api(personas, "partner")
    url = f"/api/v1/referrals/{referral.pk}/transition/"
    assert client.post(url, {"to": "accepted"}, format="json").json()["status"] == "accepted"
    response = client.post(url, {"to": "completed"}, format="json")
    assert response.status_code == 400
    assert "cannot be marked" in str(response.json()["error"]["fields"])
    assert client.post(url, {"to": "in_progress"}, format="json").status_code == 200


def test_detail_carries_only_what_was_shared(personas):
    referral = referral_for(personas)
    body = _api(personas, "partner").get(f"/api/v1/referrals/{referral.pk}/").json()
    assert body["shared"]["identity"]["name"] == personas.person.display_name
    assert body["shared"]["contact"] is None
    assert [e["kind"] for e in body["events"]] == []
    Consent.objects.filter(pk=referral.consent_id).update(withdrawn_on=timezone.localdate())
    body = _api(personas, "partner").get(f"/api/v1/referrals/{referral.pk}/").json()
    assert body["shared"]["consent_in_force"] is False and body["shared"]["identity"] is None
    assert body["sharing_stopped_at"] is None or body["events"][-1]["kind"] == "sharing_stopped"


def test_unrelated_org_gets_404(personas):
    referral = referral_for(personas)
    response = _api(personas, "other_org").get(f"/api/v1/referrals/{referral.pk}/")
    assert response.status_code == 404
