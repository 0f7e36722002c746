"""Row-level security: a query that forgets the policy still sees no other organisation's rows
(issue 28, promise 1).

PostgreSQL only. The suite connects as the owner, whom the policies do not limit; each test
here switches to ``setu_app`` (``SET ROLE``), a role that owns nothing, as production does.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.access import rls
from setu.access.roles import SYSTEM_ROLE, rls_role_problems, role_statements
from setu.consent.models import CaseShare, Consent
from setu.orgs.models import Role
from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory
from setu.registry.models import Case, CasePerson, Person, Phone, TraffickingEvent
from setu.registry.tests.factories import (
    CasePersonFactory,
    CaseShareFactory,
    ConsentFactory,
    EventFactory,
    PhoneFactory,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
    ),
    pytest.mark.django_db,
]


def _sql(statement: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def roles(db):
    """setu_app and setu_system as `setu db roles` makes them; roles are cluster-wide, so they
    are created only if missing (inside the test's transaction, so nothing stays behind)."""
    owner = _sql("SELECT current_user")[0][0]
    for statement in role_statements(owner=owner):
        _sql(statement)
    yield
    _sql("RESET ROLE")
    rls.unbind()


def _as(role: str) -> None:
    _sql(f"SET ROLE {role}")


@pytest.fixture
def world(db):
    """Org A with a case and survivor; org B with its own, one case live-shared with A, one
    shared with A and revoked, one whose share expired, one whose consent was withdrawn."""
    a = OrganisationFactory(name="A")
    b = OrganisationFactory(name="B")
    own = CasePersonFactory(case__owner_org=a)
    PhoneFactory(person=own.person)
    hidden = CasePersonFactory(case__owner_org=b)
    PhoneFactory(person=hidden.person)
    EventFactory(case=hidden.case)

    def shared_from_b(**share) -> CasePerson:
        link = CasePersonFactory(case__owner_org=b)
        consent = ConsentFactory(person=link.person, **share.pop("consent", {}))
        CaseShareFactory(case=link.case, organisation=a, consent=consent, **share)
        return link

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    live = shared_from_b()
    EventFactory(case=live.case)
    revoked = shared_from_b(revoked_at=timezone.now())
    expired = shared_from_b(expires_on=yesterday)
    withdrawn = shared_from_b(consent={"withdrawn_on": yesterday})
    return {
        "a": a,
        "b": b,
        "own": own,
        "hidden": hidden,
        "live": live,
        "revoked": revoked,
        "expired": expired,
        "withdrawn": withdrawn,
    }


def _ids(model) -> set:
    return set(model.objects.values_list("pk", flat=True))


def test_a_query_that_forgets_the_policy_sees_own_and_live_shared_rows_only(roles, world):
    _as("setu_app")
    with rls.acting_for(world["a"].pk):
        persons = _ids(Person)
        cases = _ids(Case)
        raw = {row[0] for row in _sql("SELECT id FROM registry_person")}
    assert persons == {world["own"].person_id, world["live"].person_id}
    assert raw == persons
    assert cases == {world["own"].case_id, world["live"].case_id}


@pytest.mark.parametrize("which", ["hidden", "revoked", "expired", "withdrawn"])
def test_other_organisations_rows_never_show(roles, world, which):
    _as("setu_app")
    link = world[which]
    with rls.acting_for(world["a"].pk):
        assert not Person.objects.filter(pk=link.person_id).exists()
        assert not Case.objects.filter(pk=link.case_id).exists()
        # Child tables follow their person or case.
        assert not Phone.objects.filter(person_id=link.person_id).exists()
        assert not CasePerson.objects.filter(case_id=link.case_id).exists()
        assert not TraffickingEvent.objects.filter(case_id=link.case_id).exists()
        assert not Consent.objects.filter(person_id=link.person_id).exists()


def test_child_rows_of_a_live_share_show(roles, world):
    _as("setu_app")
    with rls.acting_for(world["a"].pk):
        assert TraffickingEvent.objects.filter(case_id=world["live"].case_id).exists()
        assert Consent.objects.filter(person_id=world["live"].person_id).exists()
        assert set(CaseShare.objects.values_list("case_id", flat=True)) == {world["live"].case_id}


def test_revoking_a_share_hides_the_case_at_once(roles, world):
    share = CaseShare.objects.get(case_id=world["live"].case_id)
    _as("setu_app")
    with rls.acting_for(world["a"].pk):
        assert Case.objects.filter(pk=world["live"].case_id).exists()
    with rls.acting_for(world["b"].pk):  # the owner revokes it
        CaseShare.objects.filter(pk=share.pk).update(revoked_at=timezone.now())
    with rls.acting_for(world["a"].pk):
        assert not Case.objects.filter(pk=world["live"].case_id).exists()
        assert not Person.objects.filter(pk=world["live"].person_id).exists()


def test_a_consent_to_a_third_organisation_does_not_reach_the_partner(roles, world):
    third = OrganisationFactory(name="C")
    ConsentFactory(person=world["live"].person, recipient_org=third)
    _as("setu_app")
    with rls.acting_for(world["a"].pk):
        seen = set(Consent.objects.values_list("recipient_org_id", flat=True))
    assert third.pk not in seen


def test_no_organisation_set_means_no_rows(roles, world):
    _as("setu_app")
    rls.unbind()
    assert _ids(Person) == set()
    assert _ids(Case) == set()
    assert _sql("SELECT count(*) FROM registry_phone") == [(0,)]


def test_writing_a_row_for_another_organisation_is_refused(roles, world):
    _as("setu_app")
    with rls.acting_for(world["a"].pk):
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Person.objects.create(owner_org=world["b"], given_name="X", family_name="Y")
        # Another organisation's rows cannot be changed or removed either: none is reached.
        assert Person.objects.filter(pk=world["hidden"].person_id).update(disability="Z") == 0
        assert Phone.objects.filter(person_id=world["hidden"].person_id).delete()[0] == 0
        # A partner reads a shared case but does not write it.
        assert Case.objects.filter(pk=world["live"].case_id).update(summary="changed") == 0
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            PhoneFactory(person=world["live"].person)
        # Its own rows it writes as before.
        assert Person.objects.filter(pk=world["own"].person_id).update(disability="Z") == 1
        PhoneFactory(person=world["own"].person)
    _sql("RESET ROLE")
    assert Person.objects.get(pk=world["hidden"].person_id).disability != "Z"


def test_the_system_role_sees_all_only_when_acting_for_no_one(roles, world):
    _as(SYSTEM_ROLE)
    rls.unbind()
    assert {world["own"].person_id, world["hidden"].person_id} <= _ids(Person)
    with rls.acting_for(world["a"].pk):
        assert world["hidden"].person_id not in _ids(Person)


def test_the_session_value_follows_the_bound_organisation(roles, world):
    rls.bind(world["a"].pk)
    assert _sql("SELECT current_setting('setu.org_id', true)") == [(str(world["a"].pk),)]
    rls.unbind()
    assert _sql("SELECT current_setting('setu.org_id', true)") == [("",)]


def test_a_rolled_back_savepoint_does_not_leave_the_session_without_its_organisation(roles, world):
    """PostgreSQL undoes a SET made in a rolled-back savepoint; the next query sets it again."""
    _as("setu_app")
    rls.bind(world["a"].pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert world["own"].person_id in _ids(Person)
        raise RuntimeError("rolled back")
    assert world["own"].person_id in _ids(Person)


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_a_page_works_under_row_level_security_and_the_next_request_inherits_nothing(roles, world):
    """A request binds its actor's organisation; when it ends, the thread acts for no one, so
    a pooled connection's next request cannot see the first one's rows."""
    user = MembershipFactory(organisation=world["a"], role=Role.CASEWORKER).user
    client = _client(user)
    world["own"].person.given_name = "Lalita"
    world["own"].person.save()
    _as("setu_app")
    response = client.get(reverse("registry:person-list"))
    assert response.status_code == 200
    assert "Lalita" in response.content.decode()
    assert rls.bound() == ""
    assert _ids(Person) == set()
    # The next request, on the same connection, by B's member: B's rows, none of A's.
    world["hidden"].person.given_name = "Basanti"
    _sql("RESET ROLE")
    world["hidden"].person.save()
    other = _client(MembershipFactory(organisation=world["b"], role=Role.CASEWORKER).user)
    _as("setu_app")
    page = other.get(reverse("registry:person-list")).content.decode()
    assert "Basanti" in page
    assert "Lalita" not in page


def test_the_deploy_check_names_what_makes_a_role_escape_the_policies(roles, world):
    # The test connection is the owner (a superuser, here): the check says so.
    problems = rls_role_problems()
    assert any("owns registry_person" in p or "superuser" in p for p in problems)
    _as("setu_app")
    assert rls_role_problems() == []
    _sql("RESET ROLE")
    _as(SYSTEM_ROLE)
    assert any(SYSTEM_ROLE in p for p in rls_role_problems())


def test_setu_db_roles_prints_the_grants(capsys):
    call_command("db", "roles", "--owner", "setu_owner")
    out = capsys.readouterr().out
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO setu_app;" in out
    assert (
        "REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditentry, audit_auditseal FROM setu_app;" in out
    )
    assert "BYPASSRLS" not in out.replace("NOBYPASSRLS", "")
    assert "ALTER ROLE setu_app SET jit = off;" in out


def test_role_names_are_checked():
    with pytest.raises(ValueError, match="Not a plain role name"):
        role_statements(owner="x; DROP TABLE registry_person")
