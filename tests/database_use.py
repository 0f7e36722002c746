"""Which tests reach the test database, for ``--database-tests-only`` (``conftest.py``): the
PostgreSQL run of ``scripts/test`` leaves out the tests that reach none, which the SQLite run
has already run the same way (docs/testing.md)."""

from __future__ import annotations

import pytest
from django.test import TransactionTestCase

# Fixtures through which a test reaches the test database. pytest-django's autouse
# ``_django_setup_unittest`` requests ``django_db_blocker`` for every test (it unblocks only
# for Django's own TestCase classes), so that one request does not count.
_DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_setup", "_django_db_helper", "live_server"}
)


def uses_database(item: pytest.Item) -> bool:
    """Whether the test can reach the test database: it is marked ``django_db`` or ``postgres``,
    it is a method of one of Django's database test cases, or a fixture in its closure is one of pytest-django's database fixtures or takes
    ``django_db_blocker`` (a module-scoped set-up). A test that reaches none of them has its
    database access blocked by pytest-django, so it runs the same on either database."""
    if item.get_closest_marker("django_db") or item.get_closest_marker("postgres"):
        return True
    # Django's own test cases reach it through the class, with no mark or fixture.
    if isinstance(getattr(item, "cls", None), type) and issubclass(item.cls, TransactionTestCase):
        return True
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return True
    closure = set(info.names_closure)
    if closure & _DATABASE_FIXTURES or "django_db_blocker" in info.argnames:
        return True
    return any(
        "django_db_blocker" in definition.argnames
        for name in closure - {"_django_setup_unittest", "django_db_blocker"}
        for definition in info.name2fixturedefs.get(name, ())
    )
