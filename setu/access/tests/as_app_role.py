"""A pytest plugin: handle every test-client request as ``setu_app``, so row-level security
applies to the pages and the API while test set-up and assertions still run as the owner.

    DATABASE_URL=postgres://… .venv/bin/pytest -p setu.access.tests.as_app_role \\
        setu/*/tests/test_views.py setu/*/tests/test_api.py

It shows which pages need rows that row-level security withholds (docs/row-level-security.md,
"Running the suite as setu_app"). PostgreSQL only; elsewhere it does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection

_READY = "_setu_as_app_role"


def _set_role(**_: Any) -> None:
    if getattr(connection, _READY, False):
        with connection.cursor() as cursor:
            cursor.execute("SET ROLE setu_app")


def _reset_role(**_: Any) -> None:
    if getattr(connection, _READY, False):
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


request_started.connect(_set_role, dispatch_uid="setu_as_app_role_set")
request_finished.connect(_reset_role, dispatch_uid="setu_as_app_role_reset")


@pytest.fixture(autouse=True)
def _app_role_for_requests(request: pytest.FixtureRequest) -> Iterator[None]:
    names = request.fixturenames
    # The row-level security tests switch roles themselves (their ``roles`` fixture).
    if "roles" in names or not (
        {"db", "transactional_db"} & set(names) or request.node.get_closest_marker("django_db")
    ):
        yield
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    if connection.vendor != "postgresql":
        yield
        return
    from setu.access.roles import role_statements

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        for statement in role_statements(owner=owner):
            cursor.execute(statement)
    setattr(connection, _READY, True)
    yield
    setattr(connection, _READY, False)
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
