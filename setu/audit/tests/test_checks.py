"""The deploy check warns when the app's database role could rewrite the audit trail."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from setu.audit.checks import audit_role_problems, audit_tables_protected


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("table privileges are a PostgreSQL matter")


@pytest.fixture
def app_role(postgres):
    """A role like the production app's, used for the rest of the (rolled-back) test."""
    name = f"setu_app_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}"')
        cursor.execute(f'GRANT SELECT, INSERT ON audit_auditentry, audit_auditseal TO "{name}"')
        cursor.execute(f'SET ROLE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def test_an_owner_is_warned_about(postgres):
    # The test suite connects as the owner (a superuser), as a careless deployment would.
    problems = audit_role_problems()
    assert [p.split(":")[0] for p in problems] == ["audit_auditentry", "audit_auditseal"]
    assert "TRUNCATE, UPDATE, DELETE, disable or drop its trigger" in problems[0]
    warnings = audit_tables_protected(databases=["default"])
    assert [w.id for w in warnings] == ["setu.audit.W001"]


def test_a_role_that_may_only_read_and_append_passes(app_role):
    assert audit_role_problems() == []
    assert audit_tables_protected(databases=["default"]) == []


def test_a_role_that_may_delete_is_warned_about(app_role):
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute(f'GRANT DELETE ON audit_auditseal TO "{app_role}"')
        cursor.execute(f'SET ROLE "{app_role}"')
    assert audit_role_problems() == ["audit_auditseal: DELETE"]


def test_the_check_runs_with_the_deploy_checks(postgres, capsys):
    call_command("check", "--deploy", "--tag", "security", "--fail-level", "CRITICAL")
    assert "setu.audit.W001" in capsys.readouterr().err


def test_sqlite_has_no_roles_to_check(db):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite case")
    assert audit_role_problems() == []
    assert audit_tables_protected(databases=["default"]) == []
