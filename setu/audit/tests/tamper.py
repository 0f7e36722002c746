"""Test helper: change the audit table the way an attacker with database access would."""

from __future__ import annotations

import importlib

from django.db import connection


def tamper(sql: str, params: list) -> None:
    """Run ``sql`` with the append-only guard lifted, then put the guard back."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cur.execute(sql, params)
            cur.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            guard = importlib.import_module("setu.audit.migrations.0002_append_only")
            for statement in guard.SQLITE_DOWN:
                cur.execute(statement)
            cur.execute(sql, params)
            for statement in guard.SQLITE_UP:
                cur.execute(statement)
