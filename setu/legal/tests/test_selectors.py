"""Selectors of the legal context that the service tests do not cover."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from setu.legal import selectors
from setu.legal.models import Verdict
from setu.legal.tests.factories import AccusedFactory, JudgmentFactory, ProceedingFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_plain_status_follows_the_case_and_names_nobody(personas):
    p = ProceedingFactory(case=personas.case, next_hearing_on=None)
    a = AccusedFactory(proceeding=p, name="Ramesh K.")
    text = selectors.plain_status(p)
    assert "10 Jan 2026" in text and "No next court date" in text
    p.chargesheet_on, p.charges_framed_on, p.next_hearing_on = (
        D(2026, 3, 1),
        D(2026, 4, 1),
        D(2027, 1, 5),
    )
    assert "charged the accused" in selectors.plain_status(p)
    assert "5 Jan 2027" in selectors.plain_status(p)
    p.judgment_on, p.stage = D(2026, 9, 1), "judgment"
    JudgmentFactory(accused=a, verdict=Verdict.CONVICTED, decided_on=p.judgment_on)
    text = selectors.plain_status(p)
    assert "found guilty" in text and "Ramesh" not in text and "next court date" not in text
    with translation.override("hi"):
        assert "found guilty" not in selectors.plain_status(p)


def test_month_weeks_start_on_the_configured_first_weekday():
    from setu.legal.selectors import Day, month_weeks

    day = Day(datetime.date(2026, 2, 28))
    monday_first = month_weeks(year=2026, month=2, days=[day], first_weekday=1)
    # February 2026: Sunday 1st to Saturday 28th; a Monday-first grid needs five rows.
    assert len(monday_first) == 5
    assert monday_first[0][:6] == [None] * 6 and monday_first[0][6].date.day == 1
    assert monday_first[4][5] is day and monday_first[4][6] is None
    sunday_first = month_weeks(year=2026, month=2, days=[], first_weekday=0)
    assert len(sunday_first) == 4 and all(
        cell is not None for week in sunday_first for cell in week
    )
