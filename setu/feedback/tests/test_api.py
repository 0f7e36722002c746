"""The feedback API: items for those who code and answer them (her words only in one item's
read, which is audited), reports with counts under 11 hidden, and "you said, we did"."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from setu.audit.models import AuditEntry
from setu.feedback.models import ChangeNote, Feedback
from setu.feedback.tests.factories import FeedbackFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


@pytest.fixture
def items(network):
    """Open feedback about the police station (the organisation concerned), and a serious
    complaint about it routed to the network body's handler."""
    open_item = FeedbackFactory(subject=network.subject, comment="They laughed at me.")
    serious = FeedbackFactory(
        subject=network.subject,
        lane="serious",
        serious_kind="bribery",
        handler=network.users["handler"],
        comment="The constable asked for 2,000 rupees.",
    )
    return network, open_item, serious


def test_the_coordinator_lists_codes_and_answers_open_feedback(items):
    network, open_item, _serious = items
    api = _api(network.users["body_coordinator"])
    listed = api.get("/api/v1/feedback/items/")
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [r["id"] for r in rows] == [str(open_item.pk)]  # the routed complaint is not hers
    assert rows[0]["subject"]["name"] == "Canning Police Station"
    assert "comment" not in rows[0]  # her words only in one item's read
    before = AuditEntry.objects.filter(target_id=str(open_item.pk), action="view").count()
    one = api.get(f"/api/v1/feedback/items/{open_item.pk}/").json()
    assert one["comment"] == "They laughed at me."
    assert AuditEntry.objects.filter(target_id=str(open_item.pk), action="view").count() == (
        before + 1
    )
    coded = api.post(
        f"/api/v1/feedback/items/{open_item.pk}/themes/",
        {"themes": ["blamed", "delay"]},
        format="json",
    )
    assert coded.status_code == 200, coded.content
    assert coded.json()["themes"] == ["blamed", "delay"]
    assert coded.json()["status"] == "acknowledged"
    bad = api.post(
        f"/api/v1/feedback/items/{open_item.pk}/themes/", {"themes": ["gossip"]}, format="json"
    )
    assert bad.status_code == 400 and "themes" in bad.json()["error"]["fields"]
    answered = api.post(
        f"/api/v1/feedback/items/{open_item.pk}/response/",
        {"note": "The officer was spoken to."},
        format="json",
    )
    assert answered.json()["status"] == "responded"
    open_item.refresh_from_db()
    assert open_item.response_note == "The officer was spoken to."


def test_a_serious_complaint_is_read_only_by_its_handler(items):
    network, _open_item, serious = items
    handler = _api(network.users["handler"])
    assert [r["id"] for r in handler.get("/api/v1/feedback/items/?lane=serious").json()[
        "results"
    ]] == [str(serious.pk)]  # fmt: skip
    assert handler.get(f"/api/v1/feedback/items/{serious.pk}/").json()["serious_kind"] == "bribery"
    for who in ("body_coordinator", "police_coordinator", "police_admin", "leader"):
        assert (
            _api(network.users[who]).get(f"/api/v1/feedback/items/{serious.pk}/").status_code == 404
        )


def test_the_organisation_concerned_never_reads_feedback_about_itself(items):
    network, open_item, _serious = items
    police = _api(network.users["police_coordinator"])
    assert police.get("/api/v1/feedback/items/").json()["results"] == []
    assert police.get(f"/api/v1/feedback/items/{open_item.pk}/").status_code == 404
    refused = police.post(
        f"/api/v1/feedback/items/{open_item.pk}/response/", {"note": "x"}, format="json"
    )
    assert refused.status_code == 404
    assert Feedback.objects.get(pk=open_item.pk).response_note == ""


def test_the_report_hides_counts_under_eleven_and_carries_no_free_text(network):
    day = timezone.localdate().replace(day=1) - datetime.timedelta(days=3)
    court = SubjectFactory(kind="court", name="Alipore Court")
    cwc = SubjectFactory(kind="cwc", name="CWC South 24 Parganas")
    for n in range(12):
        FeedbackFactory(subject=network.subject, given_on=day, treated=2 if n % 2 else 3)
    for _n in range(11):
        FeedbackFactory(subject=court, given_on=day, treated=4)
    for _n in range(4):
        FeedbackFactory(subject=cwc, given_on=day, treated=5)
    api = _api(network.personas.users["analyst"])
    response = api.get("/api/v1/feedback/reports/?by=subject")
    assert response.status_code == 200
    report = response.json()
    rows = {r["label"]: r for r in report["rows"]}
    assert rows["Canning Police Station"]["count"] == 12
    assert rows["Canning Police Station"]["rating"] == 2.5
    # 4 answers about the CWC are hidden; the court's 11 too, or the total would give them away.
    for hidden in ("CWC South 24 Parganas", "Alipore Court"):
        assert rows[hidden]["count"] is None and rows[hidden]["rating"] is None
    assert report["total"] == 27 and report["small_cell"] == 11
    assert all(m["count"] in (None, 0) or m["count"] >= 11 for m in report["per_month"])
    assert "They made me wait all day." not in response.content.decode()
    assert _api(network.personas.users["lead"]).get("/api/v1/feedback/reports/").status_code == 403


def test_you_said_we_did_is_published_for_the_actors_own_organisation(network):
    api = _api(network.users["police_admin"])
    made = api.post(
        "/api/v1/feedback/changes/",
        {"theme": "language", "you_said": "Nobody spoke Bengali.", "we_did": "Now someone does."},
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["organisation"] == "Police AHTU"
    assert ChangeNote.objects.get().organisation == network.police
    listed = api.get("/api/v1/feedback/changes/").json()["results"]
    assert [n["we_did"] for n in listed] == ["Now someone does."]
    # Another organisation does not see it in its own list, and a caseworker may not publish.
    assert _api(network.users["body_coordinator"]).get("/api/v1/feedback/changes/").json()[
        "results"
    ] == []  # fmt: skip
    lead = _api(network.personas.users["lead"])
    assert (
        lead.post("/api/v1/feedback/changes/", {"you_said": "a", "we_did": "b"}).status_code == 403
    )
