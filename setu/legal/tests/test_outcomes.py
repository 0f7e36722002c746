"""Outcome statistics: counts per place, conviction rate, durations, suppression, CSV."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.legal import selectors
from setu.legal.models import Verdict
from setu.legal.tests.factories import AccusedFactory, HearingFactory, ProceedingFactory
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
    AccusedFactory(proceeding=p).judgments.create(
        section="BNS-143", verdict=verdict, decided_on=p.judgment_on
    )
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
    assert csv.splitlines()[1] == '"Sessions Court, Mumbai",1,1,1,1,1,100,60,180,21,99'
    assert b"Average days, chargesheet to charges framed" in page.content
