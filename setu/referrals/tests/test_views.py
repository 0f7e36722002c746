import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.consent.models import Consent
from setu.directory.tests.factories import ServiceFactory
from setu.referrals.models import Referral, ReferralStatus
from setu.referrals.tests.factories import referral_for

pytestmark = pytest.mark.django_db


def _client(personas, who):
    client = Client()
    client.force_login(personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def _form(personas, service, scopes):
    return {"person": str(personas.person.pk), "to_service": str(service.pk), "need": "",
            "urgency": "urgent", "kind": "service", "scopes": scopes, "message": "Bed tonight"}  # fmt: skip


def test_refer_from_a_case(personas):
    service = ServiceFactory(organisation=personas.partner_org)
    url = reverse("referrals:referral-create", kwargs={"case_id": personas.case.pk})
    client = _client(personas, "lead")
    assert service.name.encode() in client.get(url).content
    response = client.post(url, _form(personas, service, ["identity"]))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:referral-detail", args=[referral.pk])
    assert referral.urgency == "urgent" and referral.shared_scopes == ["identity"]


def test_refusal_for_missing_consent_is_explained_on_the_form(personas):
    service = ServiceFactory(organisation=personas.partner_org)
    url = reverse("referrals:referral-create", kwargs={"case_id": personas.case.pk})
    response = _client(personas, "lead").post(url, _form(personas, service, ["contact"]))
    assert response.status_code == 200
    assert b"has not consented" in response.content
    assert not Referral.objects.exists()


def test_receiver_sees_the_shared_name_and_then_consent_withdrawn(personas):
    referral = referral_for(personas)
    url = reverse("referrals:referral-detail", args=[referral.pk])
    client = _client(personas, "partner")
    body = client.get(url).content.decode()
    assert personas.person.display_name in body
    assert personas.case.reference not in body  # the receiving side is not told the case
    Consent.objects.filter(pk=referral.consent_id).update(withdrawn_on=timezone.localdate())
    body = client.get(url).content.decode()
    assert personas.person.display_name not in body
    assert "Consent withdrawn" in body


def test_accept_then_invalid_accept_shows_an_error(personas):
    referral = referral_for(personas)
    client = _client(personas, "partner")
    url = reverse("referrals:referral-accept", args=[referral.pk])
    client.post(url)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    response = client.post(url, follow=True)
    assert b"cannot be marked" in response.content


def test_decline_without_reason_is_refused(personas):
    referral = referral_for(personas)
    response = _client(personas, "partner").post(
        reverse("referrals:referral-decline", args=[referral.pk]), {"reason": ""}, follow=True
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert b"required" in response.content


def test_lists_for_both_sides(personas):
    referral_for(personas)
    received = _client(personas, "partner").get(reverse("referrals:referral-list"))
    assert b"Own NGO" in received.content
    sent = _client(personas, "lead").get(reverse("referrals:referral-list"), {"direction": "sent"})
    assert b"Partner Shelter" in sent.content
