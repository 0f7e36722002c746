from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.entitlements.tests.factories import SchemeFactory


def _client(personas, who):
    client = Client()
    client.force_login(personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_applications_through_the_api(personas):
    scheme = SchemeFactory()
    client = _client(personas, "lead")
    response = client.post(
        reverse("api:entitlements-application-list"),
        {"case": personas.case.pk, "person": personas.person.pk, "scheme": scheme.pk},
    )
    assert response.status_code == 201, response.json()
    application_id = response.json()["id"]
    response = client.post(
        reverse("api:entitlements-application-status", args=[application_id]),
        {"status": "approved"},
    )
    assert [c["to_status"] for c in response.json()["changes"]] == ["applied", "approved"]
    listed = _client(personas, "partner").get(reverse("api:entitlements-application-list"))
    assert [a["id"] for a in listed.json()["results"]] == [application_id]
    assert (
        _client(personas, "other_org")
        .get(reverse("api:entitlements-application-detail", args=[application_id]))
        .status_code
        == 404
    )


def test_a_partner_cannot_open_a_claim(personas):
    response = _client(personas, "partner").post(
        reverse("api:entitlements-claim-list"),
        {"case": personas.case.pk, "person": personas.person.pk},
    )
    assert response.status_code == 403
