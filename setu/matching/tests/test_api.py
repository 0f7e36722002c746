"""Matching API: scoped lists, decisions, alerts; the other side's person never appears."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setu.core.tests.apiclient import token_client
from setu.matching import services
from setu.matching.models import MatchPair, PairStatus
from setu.matching.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    net = f.network()
    missing, _ = f.missing_girl(net.source)
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(missing)
    f.consent_matching(rescued)
    services.records_refresh([missing.pk, rescued.pk])
    services.person_check(person_id=rescued.pk)
    return net, missing, rescued, MatchPair.objects.get()


def test_notices_are_scoped_to_the_two_organisations(scene):
    net, missing, _rescued, pair = scene
    source = token_client(net.source_contact.user).get(reverse("api:match-notice-list")).json()
    assert [r["id"] for r in source["results"]] == [str(pair.pk)]
    assert source["results"][0]["our_person_id"] == str(missing.pk)
    third = token_client(net.third_member.user).get(reverse("api:match-notice-list")).json()
    assert third["results"] == []
    detail = token_client(net.third_member.user).get(
        reverse("api:match-notice-detail", args=[pair.pk])
    )
    assert detail.status_code == 404


def test_confirm_dismiss_and_unlink_over_the_api(scene):
    net, _missing, _rescued, pair = scene
    source, dest = token_client(net.source_contact.user), token_client(net.dest_contact.user)
    assert source.post(reverse("api:match-notice-confirm", args=[pair.pk])).json()["status"] == (
        PairStatus.LINK_REQUESTED
    )
    body = dest.post(reverse("api:match-notice-confirm", args=[pair.pk])).json()
    assert body["status"] == PairStatus.LINKED
    bad = dest.post(reverse("api:match-notice-unlink", args=[pair.pk]), {}, format="json")
    assert bad.status_code == 400
    done = dest.post(
        reverse("api:match-notice-unlink", args=[pair.pk]), {"reason": "wrong"}, format="json"
    )
    assert done.json()["status"] == PairStatus.UNLINKED


def test_missing_and_alert_lists(scene):
    net, missing, _rescued, pair = scene
    source = token_client(net.source_contact.user)
    rows = source.get(reverse("api:match-missing-list")).json()["results"]
    assert [r["id"] for r in rows] == [str(pair.pk)]
    alerts = source.get(reverse("api:match-alert-list")).json()["results"]
    assert (
        alerts
        and alerts[0]["kind"] == "missing_found"
        and alerts[0]["person_id"] == str(missing.pk)
    )
    ack = source.post(reverse("api:match-alert-acknowledge", args=[alerts[0]["id"]]))
    assert ack.json()["acknowledged_at"]
    assert source.get(reverse("api:match-alert-list"), {"open": "1"}).json()["results"] == []


def test_the_evidence_keeps_stable_codes_and_english_whatever_the_language(scene):
    # The pages translate the evidence; the API keeps field codes and English sentences.
    net, _missing, _rescued, pair = scene
    client = token_client(net.source_contact.user)
    url = reverse("api:match-notice-detail", args=[pair.pk])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="bn").json()
    assert set(body) >= {"summary", "evidence"}
    rows = {r["field"]: r for r in body["evidence"]}
    assert rows["given_name"]["text"] == "Given names sound the same"
    assert set(rows) <= {
        "given_name", "sex", "birth", "family_name", "father_name", "mother_name", "village",
        "place", "phone",
    }  # fmt: skip
    assert all(set(r) == {"field", "text", "weight", "ours"} for r in body["evidence"])
    assert body["summary"] and body["summary"].isascii()
    assert client.get(url).json()["evidence"] == body["evidence"]
