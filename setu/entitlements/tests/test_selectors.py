"""The entitlements overview is bounded: its per-scheme summary is counted in the database and
the page's queries do not grow with the number of applications or claims (issue 28; the page
took seconds at 10,000 cases, docs/entitlements.md)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from setu.entitlements import selectors
from setu.entitlements.models import ApplicationStatus, ApplicationStatusChange
from setu.entitlements.tests.factories import ApplicationFactory, ClaimFactory, SchemeFactory
from setu.registry.models import CasePerson
from setu.registry.tests.factories import CasePersonFactory

TODAY = timezone.localdate()


def _days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def _link(personas) -> CasePerson:
    return CasePerson.objects.get(case=personas.case, person=personas.person)


def _approved(application, *after_days: int) -> None:
    """Approval changes ``after_days`` after the application was made (the first one counts)."""
    for days in after_days:
        ApplicationStatusChange.objects.create(
            application=application,
            to_status=ApplicationStatus.APPROVED,
            changed_on=application.applied_on + datetime.timedelta(days=days),
        )


def test_the_summary_counts_statuses_stale_ones_and_the_median_wait_per_scheme(personas):
    link = _link(personas)
    food, pension = SchemeFactory(short_name="Food"), SchemeFactory(short_name="Pension")
    ApplicationFactory(link=link, scheme=food, status="applied", applied_on=_days_ago(120))
    ApplicationFactory(link=link, scheme=food, status="documents_missing", applied_on=_days_ago(91))
    ApplicationFactory(link=link, scheme=food, status="applied", applied_on=_days_ago(90))
    ApplicationFactory(link=link, scheme=food, status="rejected", applied_on=_days_ago(200))
    for wait in (10, 50, 30):
        application = ApplicationFactory(
            link=link, scheme=food, status="approved", applied_on=_days_ago(300)
        )
        _approved(application, wait, wait + 100)
    ApplicationFactory(link=link, scheme=pension, status="paid", applied_on=_days_ago(5))
    # Another organisation's application is not counted.
    ApplicationFactory(link=CasePersonFactory(), scheme=pension, status="applied")

    summary = {s.scheme: s for s in selectors.application_summary(actor=personas["lead"])}

    assert list(summary) == ["Food", "Pension"]
    food_row = summary["Food"]
    assert food_row.by_status["applied"] == 2 and food_row.by_status["approved"] == 3
    assert food_row.by_status["documents_missing"] == 1 and food_row.by_status["rejected"] == 1
    # Approved but not yet paid is still open.
    assert food_row.open_count == 6
    # Open for more than 90 days: 120 and 91 days and the three approved (300), not exactly 90,
    # not the rejected one.
    assert food_row.waiting_over_90_days == 5
    assert food_row.median_days_to_approval == 30
    assert summary["Pension"].by_status["paid"] == 1 and summary["Pension"].open_count == 0
    assert summary["Pension"].median_days_to_approval is None


def test_the_overview_asks_as_many_queries_for_many_applications_as_for_one(personas):
    link = _link(personas)
    ApplicationFactory(link=link, status="applied")
    ClaimFactory(link=link)
    with CaptureQueriesContext(connection) as few:
        small = selectors.overview(actor=personas["lead"])
    for status in ("applied", "documents_missing", "approved") * 4:
        _approved(ApplicationFactory(link=link, status=status), 20)
        ClaimFactory(link=link)
    with CaptureQueriesContext(connection) as many:
        large = selectors.overview(actor=personas["lead"])
    assert (len(small.applications), len(large.applications)) == (1, 9)
    assert len(large.claims) == 13 and large.claims[0].survivor_name
    assert len(many.captured_queries) == len(few.captured_queries)
