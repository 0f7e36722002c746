"""Row-level security is PostgreSQL's: elsewhere (SQLite, development) nothing of it runs,
and the role command says why it cannot help."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connection

from setu.access import rls
from setu.access.roles import rls_role_problems

pytestmark = [
    pytest.mark.skipif(connection.vendor == "postgresql", reason="the PostgreSQL side is test_rls"),
    pytest.mark.django_db,
]


def test_setu_db_roles_refuses_without_postgresql():
    with pytest.raises(CommandError, match="need PostgreSQL"):
        call_command("db", "roles")


def test_no_wrapper_and_no_deploy_warning_without_postgresql():
    connection.ensure_connection()
    assert rls._set_org not in connection.execute_wrappers
    assert rls_role_problems() == []
    ids = {m.id for m in run_checks(include_deployment_checks=True, databases=["default"])}
    assert "setu.access.W001" not in ids


def test_binding_is_per_context_and_cleared_by_unbind():
    # A view an earlier test called through RequestFactory binds in ``actor_of`` without the
    # request_finished that unbinds it in a server: start from an unbound context.
    rls.unbind()
    with rls.acting_for("00000000-0000-0000-0000-000000000001"):
        assert rls.bound() == "00000000-0000-0000-0000-000000000001"
    assert rls.bound() == ""
    rls.bind("00000000-0000-0000-0000-000000000002")
    rls.unbind()
    assert rls.bound() == ""
