"""Outcome statistics: counts per place, conviction rate, durations, suppression, CSV."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.access.actor import actor_for_user
from setu.legal import selectors
from setu.legal.models import Verdict
from setu.legal.tests.factories import (
    AccusedFactory,
    HearingFactory,
    JudgmentFactory,
    ProceedingFactory,
)
from setu.orgs.tests.factories import MembershipFactory
from setu.registry.tests.factories import CaseFactory, CasePersonFactory, ConsentFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _judged(case, verdict, district_id=482):
    p = ProceedingFactory(
        case=case,
        district_id=district_id,
        chargesheet_on=D(2026, 3, 11),  # 60 days after the FIR of 10-01-2026
        charges_framed_on=D(2026, 4, 1),
        trial_started_on=D(2026, 4, 2),
        judgment_on=D(2026, 7, 9),  # 180 days after the FIR
        stage="judgment",
    )
    JudgmentFactory(accused=AccusedFactory(proceeding=p), verdict=verdict, decided_on=p.judgment_on)
    return p


def test_own_organisation_sees_exact_small_counts_and_rates(personas):
    _judged(personas.case, Verdict.CONVICTED)
    _judged(personas.case, Verdict.ACQUITTED)
    ProceedingFactory(case=personas.case, district_id=482)
    out = selectors.outcomes(actor=personas["lead"], by="district")
    [row] = out.rows
    assert row.label == "Mumbai"
    assert row.counts == {
        "proceedings": 3,
        "chargesheet": 2,
        "trial": 2,
        "judgment": 2,
        "convicted": 1,
    }
    assert row.conviction_rate == 50
    assert row.days_to_chargesheet == 60 and row.days_to_judgment == 180
    # Each stage on its own: 11-03 to 01-04 (charges), 01-04 to 09-07 (the trial).
    assert (row.days_chargesheet_to_charges, row.days_charges_to_judgment) == (21, 99)
    assert not out.suppressed_any


def test_other_organisations_small_cells_are_suppressed(personas):
    # The other organisation's case counts only with the survivor's statistics consent.
    other_case = CaseFactory(owner_org=personas.other_org)
    link = CasePersonFactory(case=other_case)
    ConsentFactory(person=link.person, scopes=["statistics"])
    for _ in range(12):
        ProceedingFactory(case=other_case, district_id=482)
    _judged(other_case, Verdict.CONVICTED)
    no_consent = CaseFactory(owner_org=personas.other_org)
    ProceedingFactory(case=no_consent, district_id=482)
    HearingFactory(
        proceeding=ProceedingFactory(case=other_case, district_id=482),
        outcome="adjourned",
        adjournment_reason="witness_absent",
    )
    out = selectors.outcomes(actor=personas["analyst"], by="district")
    [row] = out.rows
    assert row.counts["proceedings"] == 14  # not the case without statistics consent
    assert row.counts["judgment"] is None and row.counts["convicted"] is None
    assert row.conviction_rate is None
    # One judged case of theirs: its durations would be its own dates, so they are hidden;
    # FIR to chargesheet is an average over nothing here (no chargesheet among the 13 others).
    assert row.days_to_judgment is None and row.days_charges_to_judgment is None
    assert row.days_chargesheet_to_charges is None and row.days_to_chargesheet is None
    assert out.reasons == [("Witness absent", None, 0.0)]
    assert out.suppressed_any


def test_outcomes_page_and_csv(personas):
    _judged(personas.case, Verdict.CONVICTED)
    client = Client()
    client.force_login(personas.users["org_admin"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    page = client.get(reverse("legal:outcomes"), {"by": "court"})
    assert b"Sessions Court, Mumbai" in page.content and b"100%" in page.content
    csv = client.get(reverse("legal:outcomes-csv"), {"by": "court"}).content.decode()
    assert csv.splitlines()[1] == '"Sessions Court, Mumbai",1,1,1,1,1,100,60,180,21,99,'
    assert b"Average days, chargesheet to charges framed" in page.content


def _adjourned(proceeding, reason, court="", n=1):
    for _ in range(n):
        HearingFactory(
            proceeding=proceeding, court=court, outcome="adjourned", adjournment_reason=reason
        )


def _counted_case(org):
    """Another organisation's case whose survivor consented to anonymous statistics."""
    case = CaseFactory(owner_org=org)
    ConsentFactory(person=CasePersonFactory(case=case).person, scopes=["statistics"])
    return case


def test_adjournment_reasons_per_court_and_per_police_station(personas):
    kamathipura = ProceedingFactory(case=personas.case)
    colaba = ProceedingFactory(case=personas.case, police_station="Colaba PS")
    # Before committal the case was heard by the magistrate: that court counts the hearing.
    _adjourned(kamathipura, "witness_absent", court="CJM Court, Mumbai", n=2)
    _adjourned(kamathipura, "no_escort")  # no court recorded: the proceeding's court
    _adjourned(colaba, "witness_absent", court="Sessions Court, Mumbai")

    by_court = selectors.outcomes(actor=personas["lead"], by="court")
    assert by_court.reason_columns == [
        ("witness_absent", "Witness absent"),
        ("no_escort", "No police escort"),
    ]
    rows = {r.label: (r.total, r.counts) for r in by_court.reason_rows}
    assert rows == {
        "CJM Court, Mumbai": (2, {"witness_absent": 2, "no_escort": 0}),
        "Sessions Court, Mumbai": (2, {"witness_absent": 1, "no_escort": 1}),
    }
    assert by_court.reasons == [("Witness absent", 3, 1.0), ("No police escort", 1, 1 / 3)]

    by_station = selectors.outcomes(actor=personas["lead"], by="police_station")
    rows = {r.label: r.cells for r in by_station.reason_rows}
    assert rows == {
        "Colaba PS": [("Witness absent", 1), ("No police escort", 0)],
        "Kamathipura PS": [("Witness absent", 2), ("No police escort", 1)],
    }
    assert not by_station.suppressed_any  # all the organisation's own


def test_year_of_fir_or_of_judgment_narrows_counts_and_reasons(personas):
    judged = _judged(personas.case, Verdict.CONVICTED)  # FIR 10-01-2026, judged 09-07-2026
    older = ProceedingFactory(case=personas.case, fir_date=D(2025, 12, 30))
    _adjourned(older, "accused_absent")
    _adjourned(judged, "witness_absent")

    fir_2025 = selectors.outcomes(actor=personas["lead"], by="district", year=2025)
    [row] = fir_2025.rows
    assert row.counts["proceedings"] == 1 and row.counts["judgment"] == 0
    assert [label for label, _n, _s in fir_2025.reasons] == ["Accused absent or absconding"]

    judged_2026 = selectors.outcomes(
        actor=personas["lead"], by="district", year=2026, year_of="judgment"
    )
    [row] = judged_2026.rows
    assert row.counts == {
        "proceedings": 1,
        "chargesheet": 1,
        "trial": 1,
        "judgment": 1,
        "convicted": 1,
    }
    assert row.days_to_judgment == 180
    assert judged_2026.reasons == [("Witness absent", 1, 1.0)]

    assert selectors.outcomes(actor=personas["lead"], year=2026, year_of="judgment").rows
    nothing = selectors.outcomes(actor=personas["lead"], year=2025, year_of="judgment")
    assert nothing.rows == [] and nothing.reason_rows == []
    # An unknown grouping or year basis falls back to the defaults, never into the query.
    fallback = selectors.outcomes(actor=personas["lead"], by="x; drop", year_of="nope")
    assert (fallback.by, fallback.year_of) == ("state", "fir")


def test_adjournments_per_place_are_suppressed_outside_the_owning_organisation(personas):
    case = _counted_case(personas.other_org)
    # Court A: 12 cases each adjourned once for a missing witness, one for no escort.
    a = [ProceedingFactory(case=case, court="Court A") for _ in range(12)]
    for p in a:
        _adjourned(p, "witness_absent")
    _adjourned(a[0], "no_escort")
    # Court B: one case adjourned 15 times for an absent accused: many hearings, one case.
    _adjourned(ProceedingFactory(case=case, court="Court B"), "accused_absent", n=15)
    # Court C: 11 cases, each adjourned once for each of two reasons.
    for _ in range(11):
        p = ProceedingFactory(case=case, court="Court C")
        _adjourned(p, "witness_absent")
        _adjourned(p, "no_escort")

    # Court D: 20 of the analyst's own cases and one of theirs adjourned 12 times. She knows her
    # own 20, so the cell's 32 would tell that case's 12: hidden.
    for _ in range(20):
        _adjourned(ProceedingFactory(case=personas.case, court="Court D"), "records")
    _adjourned(ProceedingFactory(case=case, court="Court D"), "records", n=12)

    out = selectors.outcomes(actor=personas["analyst"], by="court")
    rows = {r.label: (r.total, r.counts) for r in out.reason_rows}
    assert rows["Court D"][1]["records"] is None
    assert rows["Court D"][0] is None  # its only cell: the total would tell it
    # A: no escort 1 is small; with A's total shown it would be 13 - 12, so witness absent
    # goes too (the row's secondary suppression).
    assert rows["Court A"][0] == 13
    assert rows["Court A"][1]["witness_absent"] is None and rows["Court A"][1]["no_escort"] is None
    # B: 15 hearings but one case behind them: hidden though over 11.
    assert rows["Court B"][1]["accused_absent"] is None
    # C: both cells are 11 hearings of 11 cases; shown unless a column gives a hidden one away:
    # witness absent overall (23) less C's 11 would give A's 12, so C's is hidden too.
    assert rows["Court C"][1]["witness_absent"] is None
    for total, counts in rows.values():
        shown = [n for n in counts.values() if n]
        assert all(n >= 11 for n in shown)
        assert total is None or total >= 11
    # Overall: accused absent is 15 hearings of one case: hidden.
    overall = {label: n for label, n, _share in out.reasons}
    assert overall["Accused absent or absconding"] is None
    assert out.suppressed_any
    # The owning organisation sees its own exact counts.
    own = {
        r.label: r.counts
        for r in selectors.outcomes(
            actor=actor_for_user(MembershipFactory(organisation=personas.other_org).user),
            by="court",
        ).reason_rows
    }
    assert own["Court A"] == {
        "witness_absent": 12,
        "accused_absent": 0,
        "no_escort": 1,
        "records": 0,
    }
    assert own["Court B"]["accused_absent"] == 15


def test_outcomes_take_a_fixed_number_of_queries(personas, django_assert_max_num_queries):
    for n in range(3):
        p = _judged(personas.case, Verdict.CONVICTED, district_id=482)
        _adjourned(p, "witness_absent", court=f"Court {n}")
    _judged(_counted_case(personas.other_org), Verdict.ACQUITTED)
    with django_assert_max_num_queries(8):
        selectors.outcomes(actor=personas["analyst"], by="district", year=2026)


def test_outcomes_page_filters_by_year_and_swaps_in_place(personas):
    p = _judged(personas.case, Verdict.CONVICTED)
    _adjourned(p, "witness_absent", court="CJM Court, Mumbai")
    client = Client()
    client.force_login(personas.users["org_admin"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    url = reverse("legal:outcomes")
    page = client.get(url, {"by": "police_station", "year": "2026", "year_of": "judgment"})
    html = page.content.decode()
    assert "Criminal cases judged in 2026." in html
    assert '<option value="2026" selected>2026</option>' in html
    assert "Adjournments in each place" in html and "Kamathipura PS" in html
    assert "year=2026&amp;year_of=judgment&amp;table=adjournments" in html
    # With htmx only the results come back, for the form to swap in.
    part = client.get(url, {"year": "2026"}, headers={"HX-Request": "true"}).content.decode()
    assert "<h1>" not in part and "whose FIR was registered in 2026" in part
    restored = client.get(
        url, {"year": "2026"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<h1>" in restored.content.decode()
    # A year that is not offered counts all years.
    assert "registered in" not in client.get(url, {"year": "1857"}).content.decode()
    empty = client.get(url, {"year": "2025", "year_of": "judgment"}).content.decode()
    assert "Nothing to count yet." in empty


def test_adjournments_csv(personas):
    p = _judged(personas.case, Verdict.CONVICTED)
    _adjourned(p, "witness_absent", court="CJM Court, Mumbai", n=2)
    _adjourned(p, "records")
    client = Client()
    client.force_login(personas.users["org_admin"], backend=settings.AUTHENTICATION_BACKENDS[-1])
    response = client.get(
        reverse("legal:outcomes-csv"),
        {"by": "court", "table": "adjournments", "year": "2026", "year_of": "fir"},
    )
    assert response["Content-Disposition"].endswith('legal-adjournments-court-fir-2026.csv"')
    header, *lines = response.content.decode().splitlines()
    assert header == (
        "court,adjourned_hearings,witness_absent,accused_absent,prosecutor_absent,"
        "no_escort,court_leave,defence,records,other"
    )
    assert lines == [
        '"CJM Court, Mumbai",2,2,0,0,0,0,0,0,0',
        '"Sessions Court, Mumbai",1,0,0,0,0,0,0,1,0',
    ]
