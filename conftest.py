"""Fixtures shared by every test: the personas of the access matrix and a case they look at."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from setu.access.actor import Actor, actor_for_user
from setu.orgs.models import OrganisationType, Role

# On PostgreSQL, test-client requests of tests marked ``app_role`` (the authorization matrix),
# or of every test with SETU_TEST_AS_APP_ROLE=true, run as setu_app, under row-level security,
# as the web servers do (docs/row-level-security.md).
pytest_plugins = ["setu.access.tests.as_app_role"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Deselect the tests that reach no database (they ran on the other database already).",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``--database-tests-only`` (``scripts/test``'s PostgreSQL run): the tests that reach no
    database ran in the SQLite run already and would only repeat it (docs/testing.md)."""
    from tests import database_use

    if not config.getoption("database_tests_only"):
        return
    kept, dropped = [], []
    for item in items:
        (kept if database_use.uses_database(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker,
    django_db_keepdb: bool,
    django_db_use_migrations: bool,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """The test database: a copy of a template migrated once per run (``tests/db_template.py``)
    instead of a migration per xdist worker. The template is the one ``scripts/test`` built
    (``SETU_TEST_DB_TEMPLATE``), or else the first worker builds it under a lock the workers
    share, and the last one to finish drops it. A single process, ``--reuse-db`` or
    ``--no-migrations`` get pytest-django's own set-up."""
    from tests import db_template

    worker = getattr(request.config, "workerinput", {}).get("workerid")
    prepared = os.environ.get(db_template.TEMPLATE_ENV)
    if django_db_keepdb or not django_db_use_migrations or not (worker or prepared):
        # pytest-django's own fixture of this name (the one this overrides), as pytest hands an
        # overridden fixture to its override: its options and teardown stay its own.
        yield request.getfixturevalue("django_db_setup")
        return

    suffix = worker or "solo"
    shared = tmp_path_factory.getbasetemp().parent
    lock, users = shared / "setu-test-db.lock", shared / "setu-test-db.users"
    with django_db_blocker.unblock(), db_template.locked(lock):
        template = prepared
        if not template:
            made = shared / "setu-test-db.template"
            if not made.exists():
                made.write_text(db_template.build(sqlite_path=shared / "setu-test-db.sqlite3"))
            template = made.read_text()
            users.write_text(str(int(users.read_text() or 0) + 1 if users.exists() else 1))
        original = db_template.use(template, suffix=suffix)
    yield
    with django_db_blocker.unblock(), db_template.locked(lock):
        db_template.release(original)
        if not prepared:
            left = int(users.read_text()) - 1
            users.write_text(str(left))
            if left == 0:
                db_template.drop(template)
                (shared / "setu-test-db.template").unlink()


@dataclass
class Personas:
    """The people every access test is written from."""

    own_org: object
    partner_org: object
    other_org: object
    users: dict
    actors: dict[str, Actor]
    case: object
    person: object

    def __getitem__(self, name: str) -> Actor:
        return self.actors[name]


@pytest.fixture
def personas(db) -> Personas:
    """lead caseworker, same-org viewer roles, partner org with a consented share, unrelated org,
    analyst, platform admin; plus one case with one survivor owned by the lead's organisation."""
    return build_personas()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker) -> Iterator[None]:
    """A transaction open for the whole test module (on each xdist worker), rolled back when
    the module is done: what a module-scoped fixture taking it writes is written once, and each
    test (in its own ``db`` savepoint, rolled back) meets it as it was written. Only for modules
    whose database tests all share that set-up: the others would see it too."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_personas(module_db) -> Personas:
    """``personas``, built once per test module (see ``module_db``)."""
    return build_personas()


def build_personas() -> Personas:
    """The ``personas`` fixture's people and case, for a caller that holds its own transaction
    (the authorization matrix builds them once per module)."""
    from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
    from setu.registry.tests.factories import (
        CaseFactory,
        CasePersonFactory,
        CaseShareFactory,
        ConsentFactory,
    )

    own = OrganisationFactory(name="Own NGO", org_type=OrganisationType.DESTINATION_NGO)
    partner = OrganisationFactory(name="Partner Shelter", org_type=OrganisationType.SHELTER_HOME)
    other = OrganisationFactory(name="Unrelated NGO", org_type=OrganisationType.SOURCE_NGO)
    users = {}
    for name, org, role in [
        ("lead", own, Role.CASEWORKER),
        ("org_admin", own, Role.ORG_ADMIN),
        ("counsellor", own, Role.COUNSELLOR),
        ("analyst", own, Role.ANALYST),
        ("coordinator", own, Role.NETWORK_COORDINATOR),
        ("partner", partner, Role.CASEWORKER),
        ("partner_admin", partner, Role.ORG_ADMIN),
        ("other_org", other, Role.CASEWORKER),
        ("other_admin", other, Role.ORG_ADMIN),
    ]:
        users[name] = MembershipFactory(organisation=org, role=role, user__username=name).user
    users["platform_admin"] = UserFactory(username="platform_admin", is_platform_admin=True)
    case = CaseFactory(owner_org=own, case_owner=users["lead"])
    link = CasePersonFactory(case=case)
    consent = ConsentFactory(person=link.person)
    CaseShareFactory(case=case, organisation=partner, consent=consent)
    actors = {name: actor_for_user(user) for name, user in users.items()}
    return Personas(own, partner, other, users, actors, case, link.person)


def _sqlite_audit_guard(action: str) -> None:
    """SQLite has no TRUNCATE: lift the append-only guard for the harness's flush, then restore it."""
    import importlib

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in ("0002_append_only", "0004_seals_append_only"):
            guard = importlib.import_module(f"setu.audit.migrations.{name}")
            for statement in guard.SQLITE_UP if action == "up" else guard.SQLITE_DOWN:
                cursor.execute(statement)


@pytest.fixture
def transactional_db(transactional_db):
    """The standard fixture, with the audit guard lifted just before pytest-django flushes."""
    _sqlite_audit_guard("up")
    yield
    _sqlite_audit_guard("down")


@pytest.fixture(autouse=True)
def _audit_guard_in_place(request):
    """Every database test starts with the append-only guard installed."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db") if "transactional_db" not in request.fixturenames else None
        _sqlite_audit_guard("up")


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default language: a page an earlier test on the same
    worker rendered in Bengali leaves that language active, and would translate this test's
    messages."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _upload_dir(tmp_path_factory):
    """Uploaded files of the whole run go to a temporary directory, never the project's var/."""
    from django.test import override_settings

    with override_settings(SETU_UPLOAD_DIR=tmp_path_factory.mktemp("uploads")):
        yield
