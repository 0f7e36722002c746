import pytest

from setu.consent.models import ConsentScope
from setu.core.errors import Forbidden
from setu.insights import selectors
from setu.registry.tests.factories import CaseFactory, CasePersonFactory, ConsentFactory


def _survivor_cases(org, n, *, statistics_consent):
    for _ in range(n):
        link = CasePersonFactory(case=CaseFactory(owner_org=org))
        scopes = [ConsentScope.STATISTICS] if statistics_consent else [ConsentScope.IDENTITY]
        ConsentFactory(person=link.person, scopes=scopes)


def test_caseworkers_get_no_aggregates(personas):
    with pytest.raises(Forbidden):
        selectors.network_overview(actor=personas["lead"])


def test_other_orgs_cases_count_only_with_statistics_consent(personas):
    _survivor_cases(personas.other_org, 6, statistics_consent=True)
    _survivor_cases(personas.other_org, 7, statistics_consent=False)
    # The analyst's own organisation has one case (the personas case).
    counted = selectors.counted_cases(actor=personas["analyst"])
    assert counted.count() == 1 + 6


def test_small_counts_are_suppressed(personas):
    overview = selectors.network_overview(actor=personas["analyst"])
    assert overview.cases_counted is None  # one case: fewer than five
    _survivor_cases(personas.own_org, 5, statistics_consent=False)
    overview = selectors.network_overview(actor=personas["analyst"])
    assert overview.cases_counted == 6
    statuses = next(t for t in overview.tables if t.cells and "status" in t.title)
    assert statuses.cells[0].count == 6


def test_withdrawn_statistics_consent_is_not_counted(personas):
    import datetime

    _survivor_cases(personas.other_org, 5, statistics_consent=True)
    from setu.consent.models import Consent

    Consent.objects.filter(person__owner_org=personas.other_org).update(
        withdrawn_on=datetime.date.today()
    )
    assert selectors.counted_cases(actor=personas["analyst"]).count() == 1
