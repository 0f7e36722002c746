"""Test helper: change the audit tables the way an attacker with database access would."""

from __future__ import annotations

import importlib

from django.db import connection

_GUARDS = ("0002_append_only", "0004_seals_append_only")


def tamper(sql: str, params: list) -> None:
    """Run ``sql`` with the append-only guards lifted, then put the guards back."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            for table in ("audit_auditentry", "audit_auditseal"):
                cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cur.execute(sql, params)
            for table in ("audit_auditentry", "audit_auditseal"):
                cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            guards = [importlib.import_module(f"setu.audit.migrations.{g}") for g in _GUARDS]
            for guard in guards:
                for statement in guard.SQLITE_DOWN:
                    cur.execute(statement)
            cur.execute(sql, params)
            for guard in guards:
                for statement in guard.SQLITE_UP:
                    cur.execute(statement)
