"""The legal API: a legal officer records a case from FIR to verdict; others are refused."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from setu.legal.tests.factories import HearingFactory, JudgmentFactory, ProceedingFactory

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_fir_to_verdict_through_the_api(personas, legal_officer):
    api = _api(legal_officer.user)
    r = api.post(
        "/api/v1/legal/proceedings/",
        {
            "case": str(personas.case.pk),
            "track": "criminal",
            "fir_number": "0005/2026",
            "fir_date": "2026-01-05",
            "sections": ["BNS-143"],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    r = api.patch(
        f"/api/v1/legal/proceedings/{pid}/",
        {"judgment_on": "2026-03-01"},
        format="json",
    )
    assert r.status_code == 400 and "judgment_on" in r.content.decode()
    r = api.patch(
        f"/api/v1/legal/proceedings/{pid}/",
        {"chargesheet_on": "2026-02-01", "charges_framed_on": "2026-02-20", "cnr_number": "XX"},
        format="json",
    )
    assert r.status_code == 400 and "cnr_number" in r.content.decode()
    r = api.patch(
        f"/api/v1/legal/proceedings/{pid}/",
        {"chargesheet_on": "2026-02-01", "charges_framed_on": "2026-02-20"},
        format="json",
    )
    assert r.json()["stage"] == "charges"
    r = api.post(
        f"/api/v1/legal/proceedings/{pid}/accused/",
        {"name": "K.", "custody": "custody", "arrested_on": "2026-01-06"},
        format="json",
    )
    aid = r.json()["id"]
    r = api.post(
        f"/api/v1/legal/accused/{aid}/judgments/",
        {"section": "BNS-143", "verdict": "convicted", "decided_on": "2026-04-01"},
        format="json",
    )
    assert r.status_code == 201
    detail = api.get(f"/api/v1/legal/proceedings/{pid}/").json()
    assert detail["stage"] == "judgment"
    assert detail["accused"][0]["judgments"][0]["verdict"] == "convicted"


def test_hearing_before_fir_is_refused_and_calendar_lists_hearings(personas, legal_officer):
    p = ProceedingFactory(case=personas.case, legal_officer=legal_officer.user)
    api = _api(legal_officer.user)
    r = api.post(f"/api/v1/legal/proceedings/{p.pk}/hearings/", {"on": "2026-01-01"}, format="json")
    assert r.status_code == 400 and "on" in r.json()["error"]["fields"]
    r = api.post(f"/api/v1/legal/proceedings/{p.pk}/hearings/", {"on": "2026-02-11"}, format="json")
    assert r.status_code == 201
    r = api.get("/api/v1/legal/calendar/", {"month": "2026-02"})
    assert [h["on"] for h in r.json()] == ["2026-02-11"]
    assert api.get("/api/v1/legal/calendar/", {"month": "Feb"}).status_code == 400


def test_calendar_api_answers_a_busy_month_in_a_few_queries(
    personas, legal_officer, django_assert_max_num_queries
):
    p = ProceedingFactory(case=personas.case, legal_officer=legal_officer.user)
    for day in range(1, 29):
        HearingFactory(
            proceeding=p,
            on=datetime.date(2026, 2, day),
            outcome="adjourned",
            adjournment_reason="no_escort",
        )
    api = _api(legal_officer.user)
    # Every field of a hearing, the adjournment reason included, from one read of the rows
    # (it was once left out of the read and fetched again for each hearing).
    # (The rest is signing in and the session: about 16 queries on PostgreSQL.)
    with django_assert_max_num_queries(20):
        body = api.get("/api/v1/legal/calendar/", {"month": "2026-02"}).json()
    assert len(body) == 28
    assert body[0] == {
        "id": body[0]["id"],
        "proceeding": str(p.pk),
        "on": "2026-02-01",
        "court": "Sessions Court, Mumbai",
        "purpose": body[0]["purpose"],
        "outcome": "adjourned",
        "adjournment_reason": "no_escort",
        "survivor_needed": False,
        "witness_unready": False,
    }


def test_partner_without_legal_consent_gets_404_and_lists_nothing(personas):
    p = ProceedingFactory(case=personas.case)
    api = _api(personas.users["partner"])
    assert api.get(f"/api/v1/legal/proceedings/{p.pk}/").status_code == 404
    body = api.get("/api/v1/legal/proceedings/").json()
    assert body["count"] == 0 if isinstance(body, dict) else body == []
    # Nor its hearings in the calendar, though the owning organisation's reader sees them.
    HearingFactory(proceeding=p, on=datetime.date(2026, 2, 11))
    month = {"month": "2026-02", "all": "1"}
    assert api.get("/api/v1/legal/calendar/", month).json() == []
    seen = _api(personas.users["lead"]).get("/api/v1/legal/calendar/", month).json()
    assert [h["proceeding"] for h in seen] == [str(p.pk)]


def test_deadlines_endpoint(personas):
    today = datetime.date.today()
    accused = ProceedingFactory(
        case=personas.case,
        judgment_on=today - datetime.timedelta(days=10),
        stage="judgment",
    ).accused.create(name="A")
    JudgmentFactory(
        accused=accused, verdict="acquitted", decided_on=today - datetime.timedelta(days=10)
    )
    rows = _api(personas.users["lead"]).get("/api/v1/legal/deadlines/").json()
    assert rows == []  # 80 days left: running, not yet flagged
