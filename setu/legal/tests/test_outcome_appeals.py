"""Appeals in the outcome statistics (filed, pending, decided by outcome, per place, suppressed
as the other tables) on the page, in the CSV and in the outcomes API; the API's input, its
permission and its audit entry."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from setu.audit.models import AuditEntry
from setu.legal import selectors
from setu.legal.models import AppealStatus
from setu.legal.tests.factories import AppealFactory, ProceedingFactory
from setu.registry.tests.factories import CaseFactory, CasePersonFactory, ConsentFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _appealed(case, *statuses, district_id=482):
    """One proceeding of ``case`` with an appeal per status (decided ones on 1-9-2026)."""
    p = ProceedingFactory(case=case, district_id=district_id, judgment_on=D(2026, 5, 1))
    for status in statuses:
        decided = None if status == AppealStatus.PENDING else D(2026, 9, 1)
        AppealFactory(proceeding=p, status=status, decided_on=decided)
    return p


def test_the_owning_organisation_sees_its_appeals_exactly(personas):
    _appealed(personas.case, AppealStatus.CONVICTION_UPHELD, AppealStatus.PENDING)
    _appealed(personas.case, AppealStatus.DISMISSED)
    out = selectors.outcomes(actor=personas["lead"], by="district")
    [row] = out.appeal_rows
    assert row.label == "Mumbai"
    assert row.counts["filed"] == 3 and row.counts["pending"] == 1
    assert row.counts["upheld"] == 1 and row.counts["dismissed"] == 1
    assert row.counts["set_aside"] == 0
    # Only the outcomes counted somewhere are columns on the page.
    assert [code for code, _label in out.appeal_columns] == [
        "filed",
        "pending",
        "dismissed",
        "upheld",
    ]
    assert row.cells == [
        ("Appeals filed", 3),
        ("Pending", 1),
        ("Dismissed", 1),
        ("Conviction upheld", 1),
    ]
    assert not out.suppressed_any


def _their_appeals(org):
    """Another organisation's twelve appealed cases (survivors consented to statistics): eleven
    pending, one conviction set aside."""
    for n in range(12):
        case = CaseFactory(owner_org=org)
        ConsentFactory(person=CasePersonFactory(case=case).person, scopes=["statistics"])
        status = AppealStatus.CONVICTION_SET_ASIDE if n == 0 else AppealStatus.PENDING
        _appealed(case, status)
    # Without the survivor's consent a case is not counted at all.
    _appealed(CaseFactory(owner_org=org), AppealStatus.DISMISSED)


def test_other_organisations_small_appeal_cells_are_hidden_with_a_second_cell(personas):
    _their_appeals(personas.other_org)
    out = selectors.outcomes(actor=personas["analyst"], by="district")
    [row] = out.appeal_rows
    assert row.counts["filed"] == 12  # not the case without consent
    # One set aside is hidden; pending would give it back (12 - 11), so it is hidden too.
    assert row.counts["set_aside"] is None and row.counts["pending"] is None
    assert row.counts["dismissed"] == 0
    assert out.suppressed_any


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_the_page_and_the_csv_show_the_appeals(personas):
    _appealed(personas.case, AppealStatus.CONVICTION_UPHELD, AppealStatus.PENDING)
    client = _client(personas.users["org_admin"])
    page = client.get(reverse("legal:outcomes"), {"by": "court"}).content.decode()
    assert "Appeals in each place" in page and "Conviction upheld" in page
    csv = client.get(reverse("legal:outcomes-csv"), {"by": "court", "table": "appeals"})
    lines = csv.content.decode().splitlines()
    assert lines[0] == (
        "court,filed,pending,dismissed,allowed,upheld,set_aside,sentence_modified,remanded"
    )
    assert lines[1] == '"Sessions Court, Mumbai",2,1,0,0,1,0,0,0'
    assert 'filename="legal-appeals-court.csv"' in csv["Content-Disposition"]
    exported = AuditEntry.objects.filter(target_type="legal.outcomes", action="export").get()
    assert exported.details["channel"] == "csv" and exported.details["by"] == "court"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_gives_the_pages_suppressed_counts_and_is_audited(personas):
    _their_appeals(personas.other_org)
    _appealed(personas.case, AppealStatus.PENDING)  # the analyst.s own organisation, same row
    answer = _api(personas.users["analyst"]).get("/api/v1/legal/outcomes/", {"by": "district"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    page = selectors.outcomes(actor=personas["analyst"], by="district")
    assert body["by"] == "district" and body["suppressed_any"] is True
    assert [r["counts"] for r in body["cases"]] == [r.counts for r in page.rows]
    assert [r["counts"] for r in body["appeals"]] == [r.counts for r in page.appeal_rows]
    [row] = body["appeals"]
    assert row["place"] == "Mumbai" and row["counts"]["set_aside"] is None
    entry = AuditEntry.objects.filter(target_type="legal.outcomes", action="view").get()
    assert entry.details == {"by": "district", "year": None, "year_of": "fir", "channel": "api"}


def test_the_api_narrows_to_a_year_of_judgment(personas):
    _appealed(personas.case, AppealStatus.PENDING)  # judged 1 May 2026
    client = _api(personas.users["org_admin"])
    judged_2026 = client.get("/api/v1/legal/outcomes/", {"year": 2026, "year_of": "judgment"})
    judged_2025 = client.get("/api/v1/legal/outcomes/", {"year": 2025, "year_of": "judgment"})
    assert [r["counts"]["filed"] for r in judged_2026.json()["appeals"]] == [1]
    assert judged_2025.json()["appeals"] == [] and judged_2025.json()["year"] == 2025


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"by": "planet"}, "by"),
        ({"year": "last"}, "year"),
        ({"year": 1999}, "year"),
        ({"year": datetime.date.today().year + 1}, "year"),
        ({"year_of": "arrest"}, "year_of"),
    ],
)
def test_the_api_refuses_bad_filters_naming_them(personas, query, field):
    answer = _api(personas.users["org_admin"]).get("/api/v1/legal/outcomes/", query)
    assert answer.status_code == 400 and field in str(answer.json())
    assert not AuditEntry.objects.filter(target_type="legal.outcomes").exists()
