"""A further appeal (High Court to Supreme Court) is linked to the appeal whose decision it is
against: validated, windowed from that decision, shown in the timeline, bundle and API; and the
appeal form lists only the chosen state's districts (orgs' place fields), the server refusing
a district outside the state without JavaScript."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from setu.core.errors import InvalidInput
from setu.legal import selectors, services
from setu.legal.models import Appeal, AppealStatus
from setu.legal.tests.test_appeals import _judged
from setu.orgs.models import District, State

pytestmark = pytest.mark.django_db
D = datetime.date


def _high_court(proceeding, verdicts, legal_officer, **fields):
    """The convicted accused's appeal to the High Court, decided (conviction upheld) on 1-9-2026."""
    return services.appeal_file(
        actor=legal_officer,
        proceeding=proceeding,
        **{
            "judgments": [verdicts["a_convicted"].pk],
            "appellant": "accused",
            "court_level": "high_court",
            "court": "High Court of Bombay",
            "filed_on": D(2026, 6, 20),
            "status": AppealStatus.CONVICTION_UPHELD,
            "decided_on": D(2026, 9, 1),
            **fields,
        },
    )


def _supreme(earlier, **fields):
    return {
        "appellant": "accused",
        "court_level": "supreme_court",
        "court": "Supreme Court of India",
        "filed_on": D(2026, 10, 15),
        "appeal_from_id": earlier.pk,
        **fields,
    }


def test_a_further_appeal_is_linked_windowed_and_shown(personas, legal_officer):
    proceeding, verdicts = _judged(personas)
    high = _high_court(proceeding, verdicts, legal_officer)
    supreme = services.appeal_file(actor=legal_officer, proceeding=proceeding, **_supreme(high))
    assert supreme.appeal_from == high
    # Against the same verdicts as the appeal it follows, unless others are chosen.
    assert list(supreme.judgments.all()) == [verdicts["a_convicted"]]
    read = selectors.proceeding_get(actor=legal_officer, proceeding_id=proceeding.pk)
    windows = dict(selectors.appeal_list(read))
    window = windows[next(a for a in windows if a.pk == supreme.pk)]
    # 90 days from the High Court's decision of 1 September, not from the trial's judgment.
    assert window.period.code == "appeal_further" and window.period.due_on == D(2026, 11, 30)
    assert window.late_by == 0
    data = selectors.bundle(actor=legal_officer, proceeding_id=proceeding.pk)
    [linked] = [a for a in data["appeals"] if a["id"] == str(supreme.pk)]
    assert linked["appeal_from"] == str(high.pk)
    assert "High Court of Bombay of 01-09-2026" in linked["appeal_from_label"]
    [event] = [e for e in data["timeline"] if e["date"] == "2026-10-15"]
    assert "Supreme Court of India" in event["text"] and "High Court of Bombay" in event["text"]


@pytest.mark.parametrize(
    ("earlier_fields", "fields", "field"),
    [
        # The earlier appeal is still pending.
        ({"status": AppealStatus.PENDING, "decided_on": None}, {}, "appeal_from"),
        # Filed before the earlier appeal was decided.
        ({}, {"filed_on": D(2026, 8, 31)}, "filed_on"),
    ],
)
def test_a_further_appeal_that_cannot_be_is_refused(
    personas, legal_officer, earlier_fields, fields, field
):
    proceeding, verdicts = _judged(personas)
    high = _high_court(proceeding, verdicts, legal_officer, **earlier_fields)
    with pytest.raises(InvalidInput) as exc:
        services.appeal_file(actor=legal_officer, proceeding=proceeding, **_supreme(high, **fields))
    assert field in exc.value.errors
    assert Appeal.objects.filter(court_level="supreme_court").count() == 0


def test_an_appeal_of_another_case_cannot_be_the_earlier_one(personas, legal_officer):
    proceeding, verdicts = _judged(personas)
    high = _high_court(proceeding, verdicts, legal_officer)
    other, _verdicts = _judged(personas)
    with pytest.raises(InvalidInput) as exc:
        services.appeal_file(actor=legal_officer, proceeding=other, **_supreme(high))
    assert "appeal_from" in exc.value.errors


def test_the_earlier_appeal_stays_decided_and_is_not_removed_under_a_further_one(
    personas, legal_officer
):
    proceeding, verdicts = _judged(personas)
    high = _high_court(proceeding, verdicts, legal_officer)
    services.appeal_file(actor=legal_officer, proceeding=proceeding, **_supreme(high))
    with pytest.raises(InvalidInput) as exc:
        services.appeal_update(
            actor=legal_officer, appeal=high, status=AppealStatus.PENDING, decided_on=None
        )
    assert "status" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        services.appeal_update(actor=legal_officer, appeal=high, decided_on=D(2026, 10, 20))
    assert "decided_on" in exc.value.errors
    with pytest.raises(InvalidInput):
        services.appeal_delete(actor=legal_officer, appeal=high)
    assert Appeal.objects.filter(pk=high.pk, status=AppealStatus.CONVICTION_UPHELD).exists()


def test_the_api_links_a_further_appeal_and_refuses_one_before_the_decision(
    personas, legal_officer
):
    proceeding, verdicts = _judged(personas)
    high = _high_court(proceeding, verdicts, legal_officer, status="pending", decided_on=None)
    client = APIClient()
    client.force_authenticate(legal_officer.user)
    url = f"/api/v1/legal/proceedings/{proceeding.pk}/appeals/"
    body = {
        "appellant": "accused",
        "court_level": "supreme_court",
        "court": "Supreme Court of India",
        "filed_on": "2026-10-15",
        "appeal_from": str(high.pk),
    }
    refused = client.post(url, body, format="json")
    assert refused.status_code == 400 and "appeal_from" in str(refused.json())
    decided = client.patch(
        f"/api/v1/legal/appeals/{high.pk}/",
        {"status": "upheld", "decided_on": "2026-09-01"},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    made = client.post(url, body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["appeal_from"] == str(high.pk)
    assert made.json()["window"]["title"] == "Further appeal against an appellate decision"
    detail = client.get(f"/api/v1/legal/proceedings/{proceeding.pk}/").json()
    assert [a["appeal_from"] for a in detail["appeals"]] == [None, str(high.pk)]


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_the_appeal_form_lists_the_chosen_states_districts_only(personas, legal_officer):
    proceeding, _verdicts = _judged(personas)
    maharashtra = State.objects.get(name="Maharashtra")
    client = _client(legal_officer.user)
    page = client.get(reverse("legal:proceeding-detail", args=[proceeding.pk])).content.decode()
    # The state select asks for its districts (htmx); none are listed before a state is chosen.
    assert 'hx-get="{}"'.format(reverse("registry:district-options")) in page
    assert 'hx-target="#id_p-district"' in page
    assert "Mumbai</option>" not in page
    options = client.get(reverse("registry:district-options"), {"p-state": maharashtra.pk})
    names = options.content.decode()
    assert "Mumbai" in names and "Murshidabad" not in names


def test_without_javascript_a_district_outside_the_state_is_refused(personas, legal_officer):
    proceeding, verdicts = _judged(personas)
    maharashtra = State.objects.get(name="Maharashtra")
    elsewhere = District.objects.exclude(state=maharashtra).order_by("pk").first()
    answer = _client(legal_officer.user).post(
        reverse("legal:proceeding-add", args=[proceeding.pk, "appeal"]),
        {
            "p-judgments": [str(verdicts["b_acquitted"].pk)],
            "p-appellant": "state",
            "p-court_level": "sessions",
            "p-court": "Sessions Court",
            "p-state": maharashtra.pk,
            "p-district": elsewhere.pk,
            "p-filed_on": "2026-07-20",
            "p-status": "pending",
        },
    )
    assert answer.status_code == 200
    assert answer.context["form"].errors["district"] == ["Choose a district of the state chosen."]
    assert "Choose a district of the state chosen." in answer.content.decode()
    assert not Appeal.objects.exists()
    # And the service refuses it too, whoever calls it.
    with pytest.raises(InvalidInput) as exc:
        services.appeal_file(
            actor=legal_officer,
            proceeding=proceeding,
            judgments=[verdicts["b_acquitted"].pk],
            appellant="state",
            court_level="sessions",
            court="Sessions Court",
            state_id=maharashtra.pk,
            district_id=elsewhere.pk,
            filed_on=D(2026, 7, 20),
        )
    assert exc.value.errors["district"] == ["This district is not in that state."]


def test_the_page_records_a_further_appeal_against_the_same_verdicts(personas, legal_officer):
    proceeding, verdicts = _judged(personas)
    high = _high_court(proceeding, verdicts, legal_officer)
    client = _client(legal_officer.user)
    page = client.get(reverse("legal:proceeding-detail", args=[proceeding.pk])).content.decode()
    assert "Supreme Court" in page  # the appellate court's choices
    posted = client.post(
        reverse("legal:proceeding-add", args=[proceeding.pk, "appeal"]),
        {
            "p-appellant": "accused",
            "p-court_level": "supreme_court",
            "p-appeal_from": str(high.pk),
            "p-court": "Supreme Court of India",
            "p-filed_on": "2026-10-15",
            "p-status": "pending",
        },
    )
    assert posted.status_code == 302, posted.context["form"].errors
    supreme = Appeal.objects.get(court_level="supreme_court")
    assert supreme.appeal_from == high
    assert list(supreme.judgments.all()) == [verdicts["a_convicted"]]
    page = client.get(reverse("legal:proceeding-detail", args=[proceeding.pk])).content.decode()
    assert "against the decision of High Court of Bombay of" in page
