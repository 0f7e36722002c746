"""The one consent rule, in memory and as a row filter, agrees with itself on every database."""

import datetime

import pytest

from setu.consent import rules
from setu.consent.models import Consent
from setu.orgs.tests.factories import OrganisationFactory
from setu.registry.tests.factories import ConsentFactory, PersonFactory

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("fields", "in_force"),
    [
        ({}, True),
        ({"given_on": TODAY + DAY}, False),  # recorded ahead of time: not yet given
        ({"withdrawn_on": TODAY}, False),
        ({"expires_on": TODAY - DAY}, False),
        ({"expires_on": TODAY}, True),
    ],
)
def test_query_and_instance_agree_on_what_is_in_force(db, fields, in_force):
    consent = ConsentFactory(**fields)
    assert consent.is_active_on() is in_force
    assert Consent.objects.in_force().filter(pk=consent.pk).exists() is in_force


@pytest.mark.parametrize(
    ("named", "scopes", "for_named", "covered"),
    [
        (False, ["identity"], True, True),  # network-wide covers every organisation
        (True, ["identity"], True, True),
        (True, ["identity"], False, False),  # a named consent covers only that organisation
        (False, ["identity", "contact"], True, False),  # every scope asked must be consented
        (False, ["case_history"], True, True),
        (False, [], False, True),
    ],
)
def test_covers_and_covering_agree(db, named, scopes, for_named, covered):
    org, elsewhere = OrganisationFactory(), OrganisationFactory()
    consent = ConsentFactory(
        scopes=["identity", "case_history"], recipient_org=org if named else None
    )
    asked = org if for_named else elsewhere
    assert rules.covers(consent, scopes=scopes, organisation_id=asked.pk) is covered
    rows = Consent.objects.filter(rules.covering(scopes=scopes, organisation_id=asked.pk))
    assert rows.filter(pk=consent.pk).exists() is covered


def test_a_scope_name_inside_another_is_not_covered(db):
    """SQLite has no JSON containment: the row filter must not match a scope by substring."""
    consent = ConsentFactory(scopes=["case_history"])
    assert not rules.covers(consent, scopes=["case"])
    assert not Consent.objects.filter(rules.covering(scopes=["case"]), pk=consent.pk).exists()


def test_covering_reaches_consents_through_a_prefix(db):
    from setu.consent.models import CaseShare
    from setu.registry.tests.factories import CaseShareFactory

    live = CaseShareFactory()
    CaseShareFactory(consent=ConsentFactory(withdrawn_on=TODAY))
    found = CaseShare.objects.filter(rules.covering(prefix="consent__"))
    assert list(found) == [live]


def test_narrowest_first_puts_named_consents_first_on_every_database(db):
    """NULL sorts first on SQLite and last on PostgreSQL; the order must not depend on it."""
    person, org = PersonFactory(), OrganisationFactory()
    network = ConsentFactory(person=person, recipient_org=None, given_on=TODAY)
    named = ConsentFactory(person=person, recipient_org=org, given_on=TODAY - DAY)
    ordered = list(rules.narrowest_first(Consent.objects.filter(person=person)))
    assert ordered == [named, network]
