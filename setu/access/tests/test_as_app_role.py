"""The app-role plugin (``as_app_role``): a test marked ``app_role`` has its test-client requests
run as ``setu_app`` on PostgreSQL, and its own set-up and assertions as the owner."""

from __future__ import annotations

import pytest
from django.core.signals import request_started
from django.db import connection

from setu.access.tests import as_app_role

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
    ),
    pytest.mark.django_db,
]


def _current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


@pytest.fixture
def roles_seen():
    seen: list[str] = []

    def record(**_):
        seen.append(_current_user())

    # Connected after the plugin's receiver, so it runs after the plugin switched the role.
    request_started.connect(record, dispatch_uid="test_as_app_role_record")
    yield seen
    request_started.disconnect(dispatch_uid="test_as_app_role_record")


@pytest.mark.app_role
def test_a_marked_tests_requests_run_as_setu_app(client, roles_seen):
    owner = _current_user()
    client.get("/")
    assert roles_seen == ["setu_app"]
    assert _current_user() == owner != "setu_app"


@pytest.mark.skipif(as_app_role._everywhere(), reason="SETU_TEST_AS_APP_ROLE puts every test on it")
def test_an_unmarked_tests_requests_run_as_the_owner(client, roles_seen):
    client.get("/")
    assert roles_seen == [_current_user()] and roles_seen != ["setu_app"]


@pytest.mark.app_role
def test_a_request_as_setu_app_has_the_roles_own_settings(client):
    """A web server logs in as setu_app and gets its ``ALTER ROLE … SET`` (``jit = off``);
    ``SET ROLE`` alone would not give them, and the list pages were JIT-compiled for seconds."""
    seen: list[str] = []

    def jit() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit')")
            return cursor.fetchone()[0]

    def record(**_):
        seen.append(jit())

    before = jit()

    request_started.connect(record, dispatch_uid="test_as_app_role_jit")
    try:
        client.get("/")
    finally:
        request_started.disconnect(dispatch_uid="test_as_app_role_jit")
    assert seen == ["off"]
    # The owner's own queries, after the request, are as they were.
    assert jit() == before
