"""Reports: counts under 11 hidden (and whatever would give one away), whole months only."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from setu.core.errors import Forbidden
from setu.feedback import selectors
from setu.feedback.models import SubjectKind
from setu.feedback.tests.factories import FeedbackFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def _last_month() -> datetime.date:
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=3)


@pytest.fixture
def answers(network):
    day = _last_month()
    court = SubjectFactory(kind=SubjectKind.COURT, name="Alipore Court")
    cwc = SubjectFactory(kind=SubjectKind.CWC, name="CWC South 24 Parganas")
    for n in range(12):
        FeedbackFactory(
            subject=network.subject,
            given_on=day,
            treated=2 if n % 2 else 3,
            entitled="no",
            themes=["delay"],
        )
    for _n in range(11):
        FeedbackFactory(subject=court, given_on=day, treated=4)
    for _n in range(3):
        FeedbackFactory(subject=cwc, given_on=day, treated=5)
    # This month's answers are not counted yet.
    FeedbackFactory(subject=cwc, given_on=timezone.localdate(), treated=5)
    return network


def test_small_groups_are_hidden_and_so_is_the_one_that_would_give_them_away(answers):
    report = selectors.report(actor=answers.actors["analyst"], dimension="subject")
    rows = {r.label: r for r in report.rows}
    police = rows["Canning Police Station"]
    assert police.count == 12 and police.rating == 2.5 and police.entitled_yes == 0
    assert ("Delay", 12) in police.themes
    # 3 answers about the CWC are hidden; the court's 11 too, or total minus police gives 3.
    assert rows["CWC South 24 Parganas"].count is None
    assert rows["Alipore Court"].count is None and rows["Alipore Court"].rating is None
    assert report.total == 26  # this month's answer is not in it


def test_reports_by_kind_district_and_scheme(answers):
    by_kind = selectors.report(actor=answers.actors["coordinator"], dimension="kind")
    labels = {r.label: r.count for r in by_kind.rows}
    assert labels["Police station"] == 12
    assert selectors.report(actor=answers.actors["coordinator"], dimension="scheme").rows == []


def test_reports_are_for_the_statistics_roles_and_collective_leaders(answers):
    selectors.report(actor=answers.actors["leader"], campaign_org=True)
    with pytest.raises(Forbidden):
        selectors.report(actor=answers.actors["lead"])
    with pytest.raises(Forbidden):
        selectors.report(actor=answers.actors["platform_admin"])


def test_response_times_are_hidden_for_small_groups(answers):
    timings = selectors.response_times(actor=answers.actors["analyst"], by="organisation")
    labels = {t.label: t for t in timings}
    assert labels["Police AHTU"].count == 12
    assert labels["Not recorded"].count == 15  # court and CWC are no member organisation


def test_the_report_page_draws_a_chart_with_a_table_behind_it(answers):
    client = Client()
    client.force_login(
        answers.personas.users["analyst"], backend=settings.AUTHENTICATION_BACKENDS[-1]
    )
    page = client.get("/feedback/reports/?by=subject")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg class="chart"' in html and "<table" in html
    assert "Canning Police Station" in html and "fewer than 11" in html
    assert "They made me wait all day." not in html  # no free text in reports
