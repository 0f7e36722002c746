"""Cross-organisation notices reveal no personal data of the other side: inspected in the notice
and inbox HTML, the API JSON, emails and SMS/WhatsApp messages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from setu.core.tests.apiclient import token_client
from setu.matching import services
from setu.matching.models import MatchPair
from setu.matching.tests import factories as f
from setu.notifications.channels import ConsoleChannel
from setu.notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db

# The source organisation's girl, as the destination organisation must never see her before a
# link: names (given, family, father's, mother's), village, phone, case reference, birth.
SOURCE_SECRETS = ["Rupa", "Khatun", "Sheikh", "Amina", "Jalangi", "9732012345", "2024-03-02"]


@pytest.fixture
def scene(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    net = f.network()
    NotificationPreference.objects.create(
        user=net.dest_contact.user, email=True, sms=True, sms_number="+919800000001"
    )
    net.dest_contact.user.email = "meera@example.org"
    net.dest_contact.user.save()
    missing, mcase = f.missing_girl(net.source)
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(missing)
    f.consent_matching(rescued)
    ConsoleChannel.sent.clear()
    with_commit = services.records_refresh([missing.pk, rescued.pk])
    assert with_commit
    return net, missing, mcase, rescued


def _no_secrets(text: str, extra: list[str]) -> None:
    for secret in SOURCE_SECRETS + extra:
        assert secret not in text, f"{secret!r} leaked"


def test_notice_html_api_email_and_sms_hold_no_personal_data(
    scene, django_capture_on_commit_callbacks
):
    net, missing, mcase, rescued = scene
    with django_capture_on_commit_callbacks(execute=True):
        services.person_check(person_id=rescued.pk)
    pair = MatchPair.objects.get()
    user = net.dest_contact.user
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    pages = [
        client.get(reverse("notifications:inbox")),
        client.get(reverse("matching:pair-list")),
        client.get(reverse("matching:pair-detail", args=[pair.pk])),
        client.get(reverse("matching:alert-list")),
    ]
    for page in pages:
        assert page.status_code == 200
        _no_secrets(page.content.decode(), [mcase.reference, str(missing.pk)])
    detail = pages[2].content.decode()
    assert "Padma Source NGO" in detail and "Roopa" in detail  # theirs named, ours shown
    api = token_client(user)
    for name, kwargs in [
        ("api:match-notice-list", None),
        ("api:match-review-list", None),
        ("api:match-missing-list", None),
        ("api:match-notice-detail", {"pair_id": pair.pk}),
        ("api:match-alert-list", None),
    ]:
        response = api.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        _no_secrets(response.content.decode(), [mcase.reference, str(missing.pk)])
    body = api.get(reverse("api:match-notice-list")).json()["results"][0]
    assert body["other_organisation"]["name"] == "Padma Source NGO"
    assert body["other_organisation"]["phone"] == "03482 250 100"
    assert body["band"] == "strong"
    # Emails (both sides) and the SMS channel carry no personal data of either person.
    assert mail.outbox and ConsoleChannel.sent
    for message in mail.outbox:
        _no_secrets(message.subject + message.body, ["Roopa", "Khatoon", "Jalangee"])
    for text in ConsoleChannel.sent:
        _no_secrets(text, ["Roopa", "Khatoon", "Jalangee"])


def test_before_a_link_the_evidence_is_words_without_values(scene):
    net, _missing, _mcase, rescued = scene
    services.person_check(person_id=rescued.pk)
    pair = MatchPair.objects.get()
    from setu.matching import selectors

    review = selectors.pair_review(actor=net.actor("dest_contact"), pair_id=pair.pk)
    assert not review.other_revealed
    texts = " ".join(r.text for r in review.rows)
    assert "sound the same" in texts
    _no_secrets(texts, [])
    assert all(r.other is None for r in review.rows)
