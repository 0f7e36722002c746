"""The PostgreSQL run leaves out only tests that cannot reach the database
(``--database-tests-only``, ``tests/database_use.py``)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import TestCase

from tests.database_use import uses_database


@pytest.fixture(scope="module")
def _module_set_up(django_db_blocker):
    """A module-scoped set-up that writes through ``django_db_blocker``, not through ``db``."""
    return django_db_blocker


@pytest.fixture
def _reaches_through_module(_module_set_up):
    return _module_set_up


def test_a_test_with_no_database_fixture_reaches_none(request):
    assert not uses_database(request.node)


def test_the_db_fixture_reaches_the_database(db, request):
    assert uses_database(request.node)


@pytest.mark.django_db
def test_the_django_db_mark_reaches_the_database(request):
    assert uses_database(request.node)


def test_a_module_fixture_on_the_blocker_reaches_the_database(_reaches_through_module, request):
    assert uses_database(request.node)


def test_the_blocker_itself_reaches_the_database(django_db_blocker, request):
    assert uses_database(request.node)


def test_a_django_test_case_reaches_the_database():
    class Case(TestCase):  # defined here so that it is not collected
        def test_a_query(self): ...

    # As pytest-django collects such a method: no mark, and no database fixture.
    item = SimpleNamespace(
        cls=Case,
        get_closest_marker=lambda name: None,
        _fixtureinfo=SimpleNamespace(names_closure=[], argnames=(), name2fixturedefs={}),
    )
    assert uses_database(item)
    assert not uses_database(SimpleNamespace(**{**vars(item), "cls": None}))
