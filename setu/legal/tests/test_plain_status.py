"""Her case in plain words: in her language on the page, and sent to her by SMS only with her
recorded agreement, by the owning organisation's case team; audited without number or text."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.access.actor import actor_for_user
from setu.audit.models import AuditEntry
from setu.core.errors import ConsentRequired, NotFound
from setu.legal import selectors, services
from setu.legal.tests.factories import HearingFactory, ProceedingFactory

pytestmark = pytest.mark.django_db

PHONE = "+919800000034"


@pytest.fixture
def sms(monkeypatch):
    from setu.notifications import services as notifications

    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        notifications, "sms_send", lambda *, number, text: sent.append((number, text))
    )
    return sent


def _consented(personas, **kwargs):
    fields = {
        "case": personas.case,
        "reminder_consent_on": datetime.date(2026, 1, 12),
        "reminder_phone": PHONE,
        "reminder_language": "bn",
        "chargesheet_on": datetime.date(2026, 3, 1),
    }
    return ProceedingFactory(**(fields | kwargs))


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_status_in_her_language_differs_from_the_page_and_names_nobody(personas):
    p = _consented(personas, police_station="Sonagachi PS")
    english = selectors.plain_status(p)
    bengali = selectors.plain_status(p, language="bn")
    assert english.startswith("The police filed their report (chargesheet) in court on")
    assert bengali != english and "chargesheet" not in bengali.lower()
    assert "Sonagachi" not in bengali and "Sonagachi" not in english
    assert selectors.her_language(p) == ("bn", "বাংলা")
    assert selectors.her_language(_consented(personas, reminder_language="")) == ("", "")


def test_caseworker_sends_it_in_her_language_with_consent(personas, sms):
    p = _consented(personas)
    HearingFactory(proceeding=p, on=datetime.date.today() + datetime.timedelta(days=9))
    lead = personas["lead"]
    text = services.plain_status_send(actor=lead, proceeding=p)
    assert sms == [(PHONE, text)]
    assert selectors.plain_status(p, language="bn") in text
    entry = AuditEntry.objects.filter(target_id=str(p.pk), action="export").latest("seq")
    assert entry.details == {"what": "plain_status", "channel": "sms", "language": "bn"}
    # The trail keeps neither the number nor the message.
    assert PHONE not in str(entry.details) and PHONE not in str(entry.changes)


def test_nothing_is_sent_without_her_agreement(personas, sms):
    p = _consented(personas, reminder_consent_on=None)
    with pytest.raises(ConsentRequired):
        services.plain_status_send(actor=personas["lead"], proceeding=p)
    assert sms == []
    assert not selectors.can_send_status(actor=personas["lead"], proceeding=p)


def test_only_the_owning_case_team_may_send(personas, sms, legal_officer, police_liaison):
    p = _consented(personas)
    assert selectors.can_send_status(actor=legal_officer, proceeding=p)
    assert not selectors.can_send_status(actor=police_liaison, proceeding=p)
    for who in ("partner", "other_org", "counsellor"):
        with pytest.raises(NotFound):
            services.plain_status_send(actor=personas[who], proceeding=p)
    assert sms == []


def test_page_shows_her_language_and_the_send_confirmation(personas, sms):
    p = _consented(personas)
    client = _client(personas.users["lead"])
    page = client.get(reverse("legal:proceeding-detail", args=[p.pk])).content.decode()
    assert "In her language (বাংলা)" in page and 'lang="bn"' in page
    assert selectors.plain_status(p, language="bn") in page
    url = reverse("legal:plain-status-send", args=[p.pk])
    assert url in page
    confirm = client.get(url).content.decode()
    # Where it goes (the last two digits only) and what it says, before anything is sent.
    assert "ending in 34" in confirm and PHONE not in confirm and sms == []
    response = client.post(url)
    assert response.status_code == 302 and len(sms) == 1


def test_page_without_consent_offers_no_send(personas, sms):
    p = _consented(personas, reminder_consent_on=None)
    client = _client(personas.users["lead"])
    page = client.get(reverse("legal:proceeding-detail", args=[p.pk])).content.decode()
    assert reverse("legal:plain-status-send", args=[p.pk]) not in page
    assert "She has not agreed to SMS from us" in page
    refused = client.post(reverse("legal:plain-status-send", args=[p.pk]))
    assert refused.status_code == 200 and sms == []
    assert "nothing was sent" in refused.content.decode()


def test_api_reads_and_sends(personas, sms, police_liaison):
    from rest_framework.test import APIClient

    p = _consented(personas)
    api = APIClient()
    api.force_authenticate(personas.users["lead"])
    url = reverse("api:legal-plain-status", args=[p.pk])
    body = api.get(url).json()
    assert body["language"] == "bn" and body["can_send"] is True
    assert body["status_in_her_language"] == selectors.plain_status(p, language="bn")
    assert api.post(url).status_code == 202 and len(sms) == 1
    liaison = APIClient()
    liaison.force_authenticate(police_liaison.user)
    assert liaison.get(url).json()["can_send"] is False
    assert liaison.post(url).status_code == 403 and len(sms) == 1
    without = _consented(personas, reminder_consent_on=None)
    refused = api.post(reverse("api:legal-plain-status", args=[without.pk]))
    assert refused.status_code == 403 and len(sms) == 1


def test_personas_lead_is_a_caseworker(personas):
    # The send rule is written for caseworkers; the tests above rely on "lead" being one.
    assert actor_for_user(personas.users["lead"]).role == "caseworker"


def test_her_agreement_is_recorded_through_the_api_and_checked(personas, legal_officer):
    from rest_framework.test import APIClient

    p = ProceedingFactory(case=personas.case)
    api = APIClient()
    api.force_authenticate(legal_officer.user)
    url = reverse("api:legal-proceeding-detail", args=[p.pk])
    bad = api.patch(url, {"reminder_consent_on": "2026-01-12", "reminder_phone": "12345"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"reminder_phone"}
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    later = api.patch(url, {"reminder_consent_on": future, "reminder_phone": "9800000034"})
    assert set(later.json()["error"]["fields"]) == {"reminder_consent_on"}
    no_number = api.patch(url, {"reminder_consent_on": "2026-01-12"})
    assert set(no_number.json()["error"]["fields"]) == {"reminder_phone"}
    ok = api.patch(
        url,
        {
            "reminder_consent_on": "2026-01-12",
            "reminder_phone": "+91 98000 00034",
            "reminder_language": "te",
        },
    )
    assert ok.status_code == 200
    p.refresh_from_db()
    assert (p.reminder_phone, p.reminder_language) == ("+919800000034", "te")
    status = api.get(reverse("api:legal-plain-status", args=[p.pk])).json()
    assert status["language"] == "te" and status["can_send"] is True
