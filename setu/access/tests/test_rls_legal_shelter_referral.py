"""Row-level security on legal proceedings, shelter stays and referrals (issue 28, promise 1;
migration ``access 0006``): a query that forgets the policy still returns no other
organisation's proceeding, hearing, verdict, stay or referral.

PostgreSQL only. Set-up runs as the owner; each test then ``SET ROLE setu_app`` (the web
servers' role, which owns nothing) and acts for an organisation as a request does. Without the
migration every assertion that a row is hidden fails: ``setu_app`` may read every table.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from setu.access import rls
from setu.access.actor import actor_for_user
from setu.access.roles import RLS_TABLES
from setu.access.tests import test_rls
from setu.access.tests.test_rls import _as, _sql
from setu.consent.models import CaseShare, ConsentScope
from setu.legal.models import (
    Accused,
    Appeal,
    Hearing,
    Judgment,
    Proceeding,
    ProtectionMeasure,
    Verdict,
    WitnessPlan,
)
from setu.legal.tests.factories import (
    AccusedFactory,
    AppealFactory,
    HearingFactory,
    JudgmentFactory,
    MeasureFactory,
    ProceedingFactory,
    WitnessPlanFactory,
)
from setu.orgs.models import OrganisationType, Role
from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory
from setu.referrals.models import Referral, ReferralEvent
from setu.registry.tests.factories import CasePersonFactory, CaseShareFactory, ConsentFactory
from setu.shelters.models import ShelterStay
from setu.shelters.tests.factories import BedGroupFactory, ReferralFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
    ),
    pytest.mark.django_db,
]

roles = test_rls.roles  # the fixture creating setu_app and setu_system

LEGAL = [ConsentScope.IDENTITY, ConsentScope.LEGAL]


def _proceeding_with_parts(case) -> SimpleNamespace:
    """A proceeding of ``case`` with one of each of its parts."""
    proceeding = ProceedingFactory(case=case)
    accused = AccusedFactory(proceeding=proceeding)
    judgment = JudgmentFactory(
        accused=accused,
        section="BNS-143",
        verdict=Verdict.CONVICTED,
        decided_on=datetime.date(2026, 5, 2),
    )
    hearing = HearingFactory(proceeding=proceeding)
    appeal = AppealFactory(proceeding=proceeding)
    appeal.judgments.add(judgment)
    return SimpleNamespace(
        proceeding=proceeding,
        accused=accused,
        judgment=judgment,
        hearing=hearing,
        measure=MeasureFactory(proceeding=proceeding),
        plan=WitnessPlanFactory(hearing=hearing, proceeding=proceeding),
        appeal=appeal,
    )


def _shared_from(owner, partner, *, share_scopes, consent_scopes):
    """A case of ``owner`` live-shared with ``partner`` on its survivor's consent."""
    link = CasePersonFactory(case__owner_org=owner)
    consent = ConsentFactory(person=link.person, scopes=consent_scopes)
    CaseShareFactory(case=link.case, organisation=partner, consent=consent, scopes=share_scopes)
    return link


def _stay(group, person, case=None) -> ShelterStay:
    return ShelterStay.objects.create(bed_group=group, person=person, case=case)


@pytest.fixture
def world(roles):
    """Organisation A and B, shelter S and an unrelated C.

    Legal: A's own proceeding; B's own; B's on a case shared with A covering LEGAL; B's on a
    case shared with A without it; B's whose share covers LEGAL but whose consent does not.
    Stays: A's survivor at S; B's survivor at S; B's survivor (live-shared with A) at S.
    Referrals: A to S; B to C (each with an event)."""
    a, b, c = (OrganisationFactory(name=n) for n in "ABC")
    s = OrganisationFactory(name="S", org_type=OrganisationType.SHELTER_HOME)
    legal = {
        "own": _proceeding_with_parts(CasePersonFactory(case__owner_org=a).case),
        "hidden": _proceeding_with_parts(CasePersonFactory(case__owner_org=b).case),
        "shared_legal": _proceeding_with_parts(
            _shared_from(b, a, share_scopes=LEGAL, consent_scopes=LEGAL).case
        ),
        "shared_not_legal": _proceeding_with_parts(
            _shared_from(b, a, share_scopes=[ConsentScope.IDENTITY], consent_scopes=LEGAL).case
        ),
        "consent_not_legal": _proceeding_with_parts(
            _shared_from(b, a, share_scopes=LEGAL, consent_scopes=[ConsentScope.IDENTITY]).case
        ),
    }
    group = BedGroupFactory(shelter=s)
    own_person = CasePersonFactory(case__owner_org=a).person
    shared_person = _shared_from(
        b, a, share_scopes=[ConsentScope.IDENTITY], consent_scopes=[ConsentScope.IDENTITY]
    ).person
    stays = {
        "a_survivor": _stay(group, own_person),
        "b_survivor": _stay(group, CasePersonFactory(case__owner_org=b).person),
        "shared_survivor": _stay(group, shared_person),
    }
    referrals = {
        "a_to_s": ReferralFactory(link=CasePersonFactory(case__owner_org=a), to_org=s),
        "b_to_c": ReferralFactory(link=CasePersonFactory(case__owner_org=b), to_org=c),
    }
    events = {
        key: ReferralEvent.objects.create(referral=r, kind="sent", actor_org=r.from_org)
        for key, r in referrals.items()
    }
    return SimpleNamespace(
        a=a, b=b, c=c, s=s, legal=legal, stays=stays, referrals=referrals, events=events
    )


# Each table of the migration, with the world's rows of it per proceeding (legal).
LEGAL_PARTS = {
    Proceeding: "proceeding",
    Accused: "accused",
    Judgment: "judgment",
    Hearing: "hearing",
    ProtectionMeasure: "measure",
    WitnessPlan: "plan",
    Appeal: "appeal",
}


def _ids(model) -> set:
    return set(model.objects.values_list("pk", flat=True))


@pytest.mark.parametrize("model", LEGAL_PARTS, ids=lambda m: m._meta.db_table)
def test_a_forgetful_query_finds_own_and_legally_shared_proceedings_only(world, model):
    """``Model.objects.all()`` for A: its own proceeding's rows and those of B's case shared
    with A under a share and consent covering LEGAL; never B's own, nor a share without LEGAL
    in both the share and its consent."""
    part = LEGAL_PARTS[model]
    _as("setu_app")
    with rls.acting_for(world.a.pk):
        seen = _ids(model)
    expected = {getattr(world.legal[k], part).pk for k in ("own", "shared_legal")}
    assert seen == expected
    with rls.acting_for(world.b.pk):
        assert _ids(model) == {getattr(rows, part).pk for rows in world.legal.values()} - {
            getattr(world.legal["own"], part).pk
        }
    with rls.acting_for(world.c.pk):
        assert _ids(model) == set()


def test_the_verdicts_an_appeal_is_against_follow_the_appeal(world):
    through = Appeal.judgments.through
    _as("setu_app")
    with rls.acting_for(world.a.pk):
        seen = set(through.objects.values_list("appeal_id", flat=True))
        raw = _sql("SELECT count(*) FROM legal_appeal_judgments")[0][0]
    assert seen == {world.legal[k].appeal.pk for k in ("own", "shared_legal")}
    assert raw == 2


def test_revoking_the_legal_share_hides_the_proceeding_and_its_hearings_at_once(world):
    shared = world.legal["shared_legal"]
    share = CaseShare.objects.get(case_id=shared.proceeding.case_id)
    _as("setu_app")
    with rls.acting_for(world.a.pk):
        assert Hearing.objects.filter(pk=shared.hearing.pk).exists()
    with rls.acting_for(world.b.pk):
        CaseShare.objects.filter(pk=share.pk).update(revoked_at=timezone.now())
    with rls.acting_for(world.a.pk):
        assert not Proceeding.objects.filter(pk=shared.proceeding.pk).exists()
        assert not Hearing.objects.filter(pk=shared.hearing.pk).exists()
        assert not Judgment.objects.filter(pk=shared.judgment.pk).exists()


def _refused(statement: str, params: list) -> bool:
    """Whether the statement is refused, or changes no row (a row it may not see)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.rowcount == 0
    except DatabaseError:
        return True


def test_a_partner_reads_a_shared_proceeding_but_cannot_change_it(world):
    shared = world.legal["shared_legal"]
    hidden = world.legal["hidden"]
    _as("setu_app")
    with rls.acting_for(world.a.pk):
        assert _refused(
            "UPDATE legal_proceeding SET notes = 'x' WHERE id = %s", [shared.proceeding.pk]
        )
        assert _refused("UPDATE legal_hearing SET court = 'x' WHERE id = %s", [shared.hearing.pk])
        assert _refused("DELETE FROM legal_judgment WHERE id = %s", [shared.judgment.pk])
        assert _refused("DELETE FROM legal_hearing WHERE id = %s", [hidden.hearing.pk])
        # A hearing added to another organisation's proceeding is refused by WITH CHECK.
        with pytest.raises(DatabaseError), transaction.atomic():
            HearingFactory(proceeding=shared.proceeding)
        own = world.legal["own"]
        assert not _refused("UPDATE legal_hearing SET court = 'x' WHERE id = %s", [own.hearing.pk])


def test_a_proceeding_cannot_be_filed_on_another_organisations_case(world):
    shared = world.legal["shared_legal"]
    _as("setu_app")
    with rls.acting_for(world.a.pk), pytest.raises(DatabaseError), transaction.atomic():
        # Filed under A's name on B's case (shared with A): refused.
        Proceeding.objects.create(case=shared.proceeding.case, owner_org=world.a, track="criminal")


def test_a_stay_is_seen_by_the_shelter_and_by_whoever_holds_the_person(world):
    stays = world.stays
    _as("setu_app")
    with rls.acting_for(world.s.pk):
        at_shelter = _ids(ShelterStay)
    with rls.acting_for(world.a.pk):
        for_a = _ids(ShelterStay)
    with rls.acting_for(world.b.pk):
        for_b = _ids(ShelterStay)
    with rls.acting_for(world.c.pk):
        for_c = _ids(ShelterStay)
    assert at_shelter == {stay.pk for stay in stays.values()}
    # A: its own survivor, and B's survivor live-shared with it; never B's other survivor.
    assert for_a == {stays["a_survivor"].pk, stays["shared_survivor"].pk}
    assert for_b == {stays["b_survivor"].pk, stays["shared_survivor"].pk}
    assert for_c == set()


def test_only_the_shelter_changes_a_stay(world):
    stay = world.stays["a_survivor"]
    _as("setu_app")
    with rls.acting_for(world.a.pk):
        # The person's own organisation reads the stay but does not discharge her.
        assert _refused(
            "UPDATE shelters_shelterstay SET discharged_at = now() WHERE id = %s", [stay.pk]
        )
        # Nor admits anyone to the shelter's beds.
        with pytest.raises(DatabaseError), transaction.atomic():
            ShelterStay.objects.create(bed_group_id=stay.bed_group_id)
    with rls.acting_for(world.s.pk):
        assert not _refused(
            "UPDATE shelters_shelterstay SET discharged_at = now() WHERE id = %s", [stay.pk]
        )


@pytest.mark.parametrize("model", [Referral, ReferralEvent], ids=["referral", "event"])
def test_a_referral_is_seen_by_its_two_organisations_only(world, model):
    def of(key):
        return (world.events if model is ReferralEvent else world.referrals)[key].pk

    _as("setu_app")
    seen = {}
    for org in ("a", "b", "c", "s"):
        with rls.acting_for(getattr(world, org).pk):
            seen[org] = _ids(model)
    assert seen == {
        "a": {of("a_to_s")},
        "s": {of("a_to_s")},
        "b": {of("b_to_c")},
        "c": {of("b_to_c")},
    }


def test_an_organisation_outside_a_referral_cannot_change_it_or_add_to_its_history(world):
    referral = world.referrals["b_to_c"]
    _as("setu_app")
    with rls.acting_for(world.a.pk):
        assert _refused(
            "UPDATE referrals_referral SET status = 'closed' WHERE id = %s", [referral.pk]
        )
        with pytest.raises(DatabaseError), transaction.atomic():
            ReferralEvent.objects.create(referral=referral, kind="closed", actor_org=world.a)
    with rls.acting_for(world.c.pk):  # the receiving side answers
        assert not _refused(
            "UPDATE referrals_referral SET status = 'accepted' WHERE id = %s", [referral.pk]
        )
        ReferralEvent.objects.create(referral=referral, kind="accepted", actor_org=world.c)


def test_network_referral_flows_under_setu_app_equal_those_counted_as_the_owner(world):
    """The network's referral counts (a system read) still see every organisation's
    referrals; the same request's own query afterwards sees only its organisation's."""
    from setu.referrals import selectors as referrals
    from setu.shelters import selectors as shelters

    first = timezone.localdate().replace(day=1)
    coordinator = actor_for_user(
        MembershipFactory(organisation=world.a, role=Role.NETWORK_COORDINATOR).user
    )
    as_owner = (
        shelters.referral_flows(actor=coordinator),
        referrals.referral_count_by_month(first=first),
    )
    _as("setu_app")
    with rls.acting_for(world.a.pk):
        under_rls = (
            shelters.referral_flows(actor=coordinator),
            referrals.referral_count_by_month(first=first),
        )
        after = _ids(Referral)
    assert under_rls == as_owner
    # Both pairs of organisations, and both referrals of the month.
    assert len(as_owner[0]) == 2
    assert list(as_owner[1].values()) == [2]
    assert after == {world.referrals["a_to_s"].pk}


def test_every_table_under_row_level_security_is_checked_by_the_deploy_check(roles):
    """``setu check --deploy`` looks at ``RLS_TABLES``; a table given policies by a migration
    but missing there would not be checked."""
    guarded = {
        row[0]
        for row in _sql(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relrowsecurity"
        )
    }
    assert guarded == set(RLS_TABLES)


def test_every_table_of_the_legal_and_referrals_apps_is_under_row_level_security(roles):
    """A table added to ``legal`` (a new part of a proceeding) or ``referrals`` carries case
    data and must get its policy, following its proceeding or referral through ``EXISTS``."""
    from django.apps import apps

    tables = {
        model._meta.db_table
        for label in ("legal", "referrals")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    guarded = {
        row[0]
        for row in _sql(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relrowsecurity"
        )
    }
    assert tables - guarded == set()
