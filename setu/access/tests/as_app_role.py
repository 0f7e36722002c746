"""A pytest plugin: handle test-client requests as ``setu_app``, so row-level security applies
to the pages and the API while test set-up and assertions still run as the owner.

The root ``conftest.py`` loads it. It acts on every test with ``SETU_TEST_AS_APP_ROLE=true``,
and otherwise on the tests marked ``app_role`` (the authorization matrix), so that the normal
PostgreSQL run holds every URL to its rule under row-level security too:

    SETU_TEST_AS_APP_ROLE=true DATABASE_URL=postgres://… .venv/bin/pytest \\
        setu/*/tests/test_views.py setu/*/tests/test_api.py

It shows which pages need rows that row-level security withholds (docs/row-level-security.md,
"Running the suite as setu_app"). PostgreSQL only; elsewhere it does nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connection

_READY = "_setu_as_app_role"
# setu_app's own settings (``ALTER ROLE setu_app SET …`` in ``access.roles``, e.g. ``jit = off``),
# read once the roles exist. A web server logs in as setu_app and gets them; ``SET ROLE`` does
# not apply them, so the harness does. Without ``jit = off`` the policies' large plans were
# JIT-compiled at every list query: 8 s of compiling for a claim list of no rows.
_ROLE_SETTINGS: list[tuple[str, str]] = []


def _set_role(**_: Any) -> None:
    if getattr(connection, _READY, False):
        with connection.cursor() as cursor:
            cursor.execute("SET ROLE setu_app")
            for name, value in _ROLE_SETTINGS:
                cursor.execute("SELECT set_config(%s, %s, false)", [name, value])


def _reset_role(**_: Any) -> None:
    if getattr(connection, _READY, False):
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            for name, _value in _ROLE_SETTINGS:
                cursor.execute(f"RESET {name}")


request_started.connect(_set_role, dispatch_uid="setu_as_app_role_set")
request_finished.connect(_reset_role, dispatch_uid="setu_as_app_role_reset")


@pytest.fixture(scope="session")
def _app_roles(django_db_setup: None, django_db_blocker: Any) -> None:
    """The roles and their grants on the test database, made once per run and committed, on a
    connection of their own (the test's is inside its transaction by now). Made inside each
    test's transaction instead, ``ALTER ROLE`` (a cluster-wide catalog row) would make parallel
    runs (``-n 2``) wait on each other's tests."""
    from setu.access.roles import role_statements

    with django_db_blocker.unblock():
        own = connection.copy()
        try:
            with own.cursor() as cursor:
                cursor.execute("SELECT current_user")
                owner = cursor.fetchone()[0]
                # On a fresh cluster two workers may both find a role missing and both create
                # it; the one that loses finds it there on its second try.
                for attempt in (1, 2):
                    try:
                        for statement in role_statements(owner=owner):
                            cursor.execute(statement)
                        break
                    except DatabaseError:
                        if attempt == 2:
                            raise
                cursor.execute(
                    "SELECT unnest(setconfig) FROM pg_db_role_setting"
                    " WHERE setrole = 'setu_app'::regrole"
                    " AND setdatabase IN (0, (SELECT oid FROM pg_database"
                    " WHERE datname = current_database()))"
                )
                settings = [tuple(row[0].split("=", 1)) for row in cursor.fetchall()]
                # Names go into RESET as they are: only plain setting names.
                assert all(re.fullmatch(r"[a-z_.]+", name) for name, _ in settings), settings
                _ROLE_SETTINGS[:] = settings
        finally:
            own.close()


def _everywhere() -> bool:
    return os.environ.get("SETU_TEST_AS_APP_ROLE", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _app_role_for_requests(request: pytest.FixtureRequest) -> Iterator[None]:
    names = request.fixturenames
    wanted = _everywhere() or request.node.get_closest_marker("app_role") is not None
    # The row-level security tests switch roles themselves (their ``roles`` fixture).
    if (
        not wanted
        or "roles" in names
        or not (
            {"db", "transactional_db"} & set(names) or request.node.get_closest_marker("django_db")
        )
    ):
        yield
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    if connection.vendor != "postgresql":
        yield
        return
    request.getfixturevalue("_app_roles")
    setattr(connection, _READY, True)
    yield
    setattr(connection, _READY, False)
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
