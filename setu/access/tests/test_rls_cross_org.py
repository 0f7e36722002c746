"""Row-level security keeps the network's cross-organisation features working (issue 28,
promise 1): the matcher still finds the same girl in two organisations and both hear of it,
the network's statistics still count consented cases of every organisation, and a user's own
query still sees no other organisation's rows.

PostgreSQL only. Set-up runs as the owner; each test then ``SET ROLE setu_app`` (the web
servers' role, which owns nothing) and acts for an organisation as a request would.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection

from setu.access import rls
from setu.access.actor import actor_for_user
from setu.access.tests import test_rls
from setu.access.tests.test_rls import _as, _sql
from setu.consent.models import Consent, ConsentScope
from setu.insights import selectors as insights
from setu.legal import selectors as legal
from setu.legal.tests.factories import ProceedingFactory
from setu.matching import selectors as matching_selectors
from setu.matching import services as matching
from setu.matching import tasks
from setu.matching.models import MatchPair, PairKind, PairStatus
from setu.matching.tests import factories as f
from setu.notifications.models import Notification
from setu.orgs.models import Role
from setu.orgs.tests.factories import MembershipFactory
from setu.registry.models import Case, EventKind, Person
from setu.registry.tests.factories import CaseFactory, CasePersonFactory, ConsentFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
    ),
    pytest.mark.django_db,
]

roles = test_rls.roles  # the fixture creating setu_app and setu_system


def _person_ids() -> set:
    return set(Person.objects.values_list("pk", flat=True))


@pytest.fixture
def net(roles):
    """Two organisations holding variant records of one girl, both consenting to matching."""
    net = f.network()
    missing, _ = f.missing_girl(net.source)
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(missing)
    f.consent_matching(rescued)
    net.missing, net.rescued = missing, rescued
    return net


# --- matching ---------------------------------------------------------------------------------


def test_the_matcher_run_from_a_request_finds_the_pair_across_organisations_and_notifies(net):
    """A caseworker of the destination saves the rescued girl: the check task runs (here at
    once, inside her request, as setu_app) and must read the source's record to match it."""
    _as("setu_app")
    with rls.acting_for(net.dest.pk):
        tasks.person_changed.enqueue(person_id=str(net.missing.pk))
        tasks.person_changed.enqueue(person_id=str(net.rescued.pk))
        # After the task, the request acts for its organisation again, and only for it.
        assert _person_ids() == {net.rescued.pk}
    _sql("RESET ROLE")
    pair = MatchPair.objects.get()
    assert pair.kind == PairKind.CROSS_ORG and pair.missing_found
    assert {pair.person_a_id, pair.person_b_id} == {net.missing.pk, net.rescued.pk}
    assert Notification.objects.filter(recipient=net.source_contact.user).exists()
    assert Notification.objects.filter(recipient=net.dest_contact.user).exists()
    assert not Notification.objects.filter(recipient=net.third_member.user).exists()


def _paired(net) -> MatchPair:
    matching.records_refresh([net.missing.pk, net.rescued.pk])
    matching.person_check(person_id=net.rescued.pk)
    return MatchPair.objects.get()


def test_both_sides_confirming_links_the_pair_under_setu_app(net):
    """Confirming reads the other organisation's MATCHING consent (a system read)."""
    pair = _paired(net)
    _as("setu_app")
    with rls.acting_for(net.source.pk):
        matching.pair_confirm(actor=net.actor("source_contact"), pair_id=pair.pk)
    with rls.acting_for(net.dest.pk):
        matching.pair_confirm(actor=net.actor("dest_contact"), pair_id=pair.pk)
        history = matching_selectors.linked_history(
            actor=net.actor("dest_contact"), pair_id=pair.pk
        )
        # The system read did not open the request: her own query still sees her rows only.
        assert _person_ids() == {net.rescued.pk}
    _sql("RESET ROLE")
    pair.refresh_from_db()
    assert pair.status == PairStatus.LINKED
    # The source's report of her missing, still open: read from the other organisation.
    assert [(h.kind, h.open) for h in history] == [(str(EventKind.MISSING_REPORTED.label), True)]


def test_the_check_before_create_names_the_other_organisation_under_setu_app(net):
    matching.records_refresh([net.missing.pk, net.rescued.pk])
    draft = matching_selectors.records.draft_record(
        {"given_name": "Rupa", "family_name": "Khatoon", "estimated_age": 16,
         "father_name": "Abdul Shaikh"}
    )  # fmt: skip
    actor = net.actor("source_contact")
    as_owner = matching_selectors.check_record(actor=actor, record=draft)
    _as("setu_app")
    with rls.acting_for(net.source.pk):
        as_app = matching_selectors.check_record(actor=actor, record=draft)
    assert as_owner.other_orgs == ["Sagar Destination Trust"]
    assert (as_app.other_count, as_app.other_orgs) == (as_owner.other_count, as_owner.other_orgs)


# --- statistics -------------------------------------------------------------------------------


@pytest.fixture
def counted(roles):
    """Analyst of A; A has 3 cases, B has 12 whose survivors consented to statistics (each
    with a prosecution: outcome cells under 11 are hidden) and 4 whose survivors did not."""
    net = f.network()
    analyst = MembershipFactory(organisation=net.source, role=Role.ANALYST)
    for _ in range(3):
        CasePersonFactory(case=CaseFactory(owner_org=net.source), person__owner_org=net.source)
    for consented in [True] * 12 + [False] * 4:
        link = CasePersonFactory(case=CaseFactory(owner_org=net.dest), person__owner_org=net.dest)
        scope = ConsentScope.STATISTICS if consented else ConsentScope.IDENTITY
        ConsentFactory(person=link.person, scopes=[scope])
        ProceedingFactory(case=link.case)
    net.analyst = actor_for_user(analyst.user)
    return net


def test_network_counts_under_setu_app_equal_those_counted_as_the_owner(counted):
    as_owner = insights.network_overview(actor=counted.analyst)
    outcomes_as_owner = legal.outcomes(actor=counted.analyst, by="state")
    _as("setu_app")
    with rls.acting_for(counted.source.pk):
        as_app = insights.network_overview(actor=counted.analyst)
        outcomes_as_app = legal.outcomes(actor=counted.analyst, by="state")
        # Counting read across organisations; her own queries still do not.
        assert not Case.objects.exclude(owner_org=counted.source).exists()
        assert not Consent.objects.exclude(person__owner_org=counted.source).exists()
    assert as_owner.cases_counted == 3 + 12
    assert as_app == as_owner
    assert sum(r.counts["proceedings"] or 0 for r in outcomes_as_owner.rows) == 12
    assert outcomes_as_app == outcomes_as_owner


# --- the scope itself -------------------------------------------------------------------------


def test_a_request_never_carries_the_system_scope_outside_a_system_read(net):
    _as("setu_app")
    with rls.acting_for(net.source.pk):
        assert _sql("SELECT current_setting('setu.scope', true)") == [("",)]
        with rls.system_scope():
            assert _person_ids() >= {net.missing.pk, net.rescued.pk}
        assert _sql("SELECT current_setting('setu.scope', true)") == [("",)]
        assert _person_ids() == {net.missing.pk}
    # Setting the scope by hand while acting for an organisation admits nothing more.
    with rls.acting_for(net.source.pk):
        _sql("SELECT 1")
        _sql("SELECT set_config('setu.scope', 'system', false)")
        assert net.rescued.pk not in {r[0] for r in _sql("SELECT id FROM registry_person")}


def test_a_task_works_for_one_organisation_only_when_it_says_so(net):
    _as("setu_app")
    rls.task_begin()
    try:
        assert _person_ids() >= {net.missing.pk, net.rescued.pk}
        with rls.acting_for(net.dest.pk):
            assert _person_ids() == {net.rescued.pk}
    finally:
        rls.task_end()
    assert _person_ids() == set()  # back to acting for no one, with no scope


def test_yesterdays_statistics_consent_withdrawn_is_not_counted_under_setu_app(counted):
    Consent.objects.filter(person__owner_org=counted.dest).update(
        withdrawn_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    _as("setu_app")
    with rls.acting_for(counted.source.pk):
        overview = insights.network_overview(actor=counted.analyst)
    assert overview.cases_counted is None  # 3 own cases only: fewer than five


# --- other cross-organisation work ------------------------------------------------------------


def test_a_backup_taken_as_setu_app_holds_every_organisations_rows(net):
    """`setu backup` runs with the app's environment: it must not silently lack the persons
    and cases that row-level security hides from a role acting for no organisation."""
    from setu.backup import services as backup

    persons, cases = Person.objects.count(), Case.objects.count()
    _as("setu_app")
    rls.unbind()
    summary = backup.backup_write(out=io.BytesIO(), passphrase="a long test passphrase")
    assert summary.rows["registry.person"] == persons
    assert summary.rows["registry.case"] == cases
    assert _person_ids() == set()  # and afterwards the role again sees nothing


def test_the_demo_network_loads_as_setu_app(roles, settings):
    """`setu demo load` writes every organisation's records: system work, admitted."""
    from django.core.management import call_command

    from setu.orgs.models import Organisation

    settings.DEMO_MODE = True
    _as("setu_app")
    rls.unbind()
    call_command("demo", "load", "--persons", "10", "--seed", "11", stdout=io.StringIO())
    assert _person_ids() == set()
    _sql("RESET ROLE")
    owners = set(Person.objects.values_list("owner_org_id", flat=True))
    assert len(owners) > 1 and owners <= set(Organisation.objects.values_list("pk", flat=True))


def test_a_referral_reaches_an_organisation_without_a_case_share(roles, personas):
    """A referral is a consented transfer of its own: the receiving organisation (with no case
    share) lists it and reads what its consent covers."""
    from setu.directory.tests.factories import ServiceFactory
    from setu.referrals import selectors as referrals
    from setu.referrals.tests.factories import referral_for

    service = ServiceFactory(organisation=personas.other_org)
    referral = referral_for(personas, to_service=service)
    co_victim = CasePersonFactory(case=personas.case, person__owner_org=personas.own_org).person
    actor = personas["other_org"]
    _as("setu_app")
    with rls.acting_for(personas.other_org.pk):
        received = list(referrals.referral_list(actor=actor, direction="received"))
        view = (
            referrals.referral_shared_view(actor=actor, referral=received[0]) if received else None
        )
        # The referred person's row, not her case's other people.
        assert _person_ids() == {personas.person.pk}
        assert co_victim.pk not in _person_ids()
    assert [r.pk for r in received] == [referral.pk]
    assert view is not None and view.identity["name"] == personas.person.display_name


# --- a referral opens its rows, not their children ----------------------------------------------

# A raw count, per child table, of the rows of the referred person or case.
CHILD_ROWS = {
    "registry_phone": "SELECT count(*) FROM registry_phone WHERE person_id = %(person)s",
    "registry_address": "SELECT count(*) FROM registry_address WHERE person_id = %(person)s",
    "registry_personalias": "SELECT count(*) FROM registry_personalias WHERE person_id = %(person)s",
    "registry_identitydocument": "SELECT count(*) FROM registry_identitydocument WHERE person_id = %(person)s",
    "registry_consent": "SELECT count(*) FROM registry_consent WHERE person_id = %(person)s",
    "registry_caseperson": "SELECT count(*) FROM registry_caseperson WHERE case_id = %(case)s",
    "registry_casenote": "SELECT count(*) FROM registry_casenote WHERE case_id = %(case)s",
    "registry_traffickingevent": "SELECT count(*) FROM registry_traffickingevent WHERE case_id = %(case)s",
    "registry_servicerecord": "SELECT count(*) FROM registry_servicerecord WHERE case_id = %(case)s",
}


@pytest.fixture
def referred(roles, personas):
    """The personas' survivor, with phones, places, aliases, a document, a second consent and
    a case with notes, events and services, referred to the unrelated organisation (which has
    no case share) with consent to identity only."""
    from setu.directory.tests.factories import ServiceFactory as DirectoryService
    from setu.referrals.tests.factories import referral_for
    from setu.registry.models import CaseNote
    from setu.registry.tests.factories import (
        AddressFactory,
        AliasFactory,
        DocumentFactory,
        EventFactory,
        PhoneFactory,
        ServiceFactory,
    )

    person, case = personas.person, personas.case
    PhoneFactory(person=person)
    AddressFactory(person=person)
    AliasFactory(person=person)
    DocumentFactory(person=person)
    EventFactory(case=case, person=person)
    ServiceFactory(case=case, person=person)
    CaseNote.objects.create(case=case, author=personas.users["lead"], body="Counselled")

    def refer(*scopes: str):
        service = DirectoryService(organisation=personas.other_org)
        return referral_for(personas, to_service=service, shared_scopes=list(scopes))

    return refer


# What a receiving organisation reads of them: the one consent the referral was sent on.
REFERRED_ONLY = {**dict.fromkeys(CHILD_ROWS, 0), "registry_consent": 1}


def _child_counts(personas) -> dict[str, int]:
    ids = {"person": personas.person.pk, "case": personas.case.pk}
    return {table: _sql(query, ids)[0][0] for table, query in CHILD_ROWS.items()}


def test_a_referral_does_not_open_its_persons_and_cases_child_rows(referred, personas):
    """Row-level security admits the referred person, case and consent, but a raw query for
    her phones, places, aliases, documents or other consents, or the case's notes, events,
    services and participants, finds nothing for the receiving organisation."""
    referral = referred(ConsentScope.IDENTITY)
    as_owner = _child_counts(personas)
    _as("setu_app")
    with rls.acting_for(personas.other_org.pk):
        receiving = _child_counts(personas)
        referred_consents = {row[0] for row in _sql("SELECT id FROM registry_consent")}
        assert _person_ids() == {personas.person.pk}
    with rls.acting_for(personas.own_org.pk):
        sending = _child_counts(personas)
    with rls.acting_for(personas.partner_org.pk):
        partner = _child_counts(personas)
    assert all(as_owner.values()), as_owner
    assert receiving == REFERRED_ONLY
    # That consent is the referral's, not the share's consent of the same person.
    assert referred_consents == {referral.consent_id}
    # The owner reads all of it; the partner with a live share reads its children as before.
    assert sending == as_owner
    assert {t: n for t, n in partner.items() if t != "registry_consent"} == {
        t: n for t, n in as_owner.items() if t != "registry_consent"
    }


def test_the_referral_page_still_shows_what_the_consent_covers(referred, personas):
    """The consented scopes are read by named system reads; the request's own queries after
    them still find none of the child rows."""
    from setu.referrals import selectors as referrals

    referral = referred(
        ConsentScope.IDENTITY, ConsentScope.CONTACT, ConsentScope.CASE_HISTORY,
        ConsentScope.SERVICES,
    )  # fmt: skip
    actor = personas["other_org"]
    _as("setu_app")
    with rls.acting_for(personas.other_org.pk):
        view = referrals.referral_shared_view(actor=actor, referral=referral)
        after = _child_counts(personas)
    assert view.identity["aliases"] == ["Munni"]
    assert len(view.contact["phones"]) == 1 and view.contact["addresses"][0]["village"] == "Gosaba"
    assert [e["place"] for e in view.case_history] == ["Kamathipura"]
    assert len(view.services) == 1
    assert after == REFERRED_ONLY
