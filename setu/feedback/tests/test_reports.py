"""Reports: counts under 11 hidden (and whatever would give one away), whole months only."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from setu.core.errors import Forbidden
from setu.entitlements.tests.factories import SchemeFactory
from setu.feedback import selectors
from setu.feedback.models import SubjectKind
from setu.feedback.tests.factories import CampaignFactory, FeedbackFactory, SubjectFactory
from setu.orgs.tests.factories import OrganisationFactory

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
    # Court and CWC are no member organisation; this month's answer is not counted yet.
    assert labels["Not recorded"].count == 14


def test_response_times_cannot_be_subtracted_from_the_reports_total(answers):
    """One small organisation beside a shown one would be the report's total minus the other:
    both are hidden, as in the report by organisation."""
    other = OrganisationFactory(name="Small Shelter")
    for _n in range(5):
        FeedbackFactory(
            subject=SubjectFactory(organisation=other, kind=SubjectKind.SHELTER),
            given_on=_last_month(),
        )
    actor = answers.actors["analyst"]
    report = selectors.report(actor=actor, dimension="organisation")
    assert report.total == 31
    shown = {r.label: r.count for r in report.rows}
    timings = {t.label: t.count for t in selectors.response_times(actor=actor, by="organisation")}
    assert timings["Small Shelter"] is None
    # Whatever the report hides, the timings hide too, so no subtraction from 31 gives 5.
    assert {k for k, v in timings.items() if v is None} == {
        k for k, v in shown.items() if v is None
    }
    assert report.total - sum(v for v in timings.values() if v) != 5


def test_schemes_show_what_survivors_said_and_hide_what_would_give_a_small_one_away(answers):
    big, small = SchemeFactory(name="Ujjawala"), SchemeFactory(name="Swadhar Greh")
    about_big = SubjectFactory(kind=SubjectKind.SCHEME, scheme=big, name="Ujjawala")
    for n in range(12):
        FeedbackFactory(
            subject=about_big,
            given_on=_last_month(),
            entitled="no" if n % 3 else "yes",
        )
    actor = answers.actors["coordinator"]
    rows = {r.label: r.count for r in selectors.report(actor=actor, dimension="scheme").rows}
    assert rows == {"Ujjawala": 12}
    perceived = {s.scheme: s for s in selectors.scheme_perception(actor=actor)}
    assert perceived["Ujjawala"].answers == 12 and perceived["Ujjawala"].entitled_yes == 33
    about_small = SubjectFactory(kind=SubjectKind.SCHEME, scheme=small, name="Swadhar Greh")
    for _n in range(4):
        FeedbackFactory(
            subject=about_small,
            given_on=_last_month(),
            entitled="partly",
        )
    perceived = {s.scheme: s for s in selectors.scheme_perception(actor=actor)}
    # 4 answers are hidden, and so are the 12 beside them: 16 minus 12 would give them away.
    assert perceived["Swadhar Greh"].answers is None
    assert perceived["Ujjawala"].answers is None and perceived["Ujjawala"].entitled_no is None


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


def test_a_collective_leader_sees_her_own_campaigns_counted_apart(answers):
    """ "Only our campaigns": the collective's members' answers, not the network's."""
    campaign = CampaignFactory(organisation=answers.collective)
    for _n in range(11):
        FeedbackFactory(subject=answers.subject, campaign=campaign, given_on=_last_month())
    leader = answers.actors["leader"]
    ours = selectors.report(actor=leader, dimension="subject", campaign_org=True)
    assert {r.label: r.count for r in ours.rows} == {"Canning Police Station": 11}
    everyone = selectors.report(actor=leader, dimension="subject")
    assert everyone.total == 37  # the fixture's 26 and the campaign's 11
