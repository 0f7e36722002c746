import importlib

import pytest
from django.db import DatabaseError, connection, transaction

from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry


def _tamper(sql: str, params: list) -> None:
    """Simulate an attacker with direct database access who first disables the guard triggers."""
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


@pytest.fixture
def trail(personas):
    for _ in range(3):
        audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    return list(AuditEntry.objects.order_by("seq"))


def test_intact_trail_verifies(trail):
    count, problems = audit.verify()
    assert count == len(trail)
    assert problems == []


def test_database_refuses_update_and_delete(trail):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=trail[0].seq).update(action="login")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=trail[0].seq).delete()


def test_edited_entry_is_detected(trail):
    _tamper("UPDATE audit_auditentry SET action = %s WHERE seq = %s", ["export", trail[1].seq])
    _, problems = audit.verify()
    assert [p.seq for p in problems] == [trail[1].seq]


def test_deleted_entry_is_detected(trail):
    _tamper("DELETE FROM audit_auditentry WHERE seq = %s", [trail[1].seq])
    _, problems = audit.verify()
    assert any(p.seq == trail[2].seq for p in problems)


def test_deleted_last_entry_is_detected(trail):
    _tamper("DELETE FROM audit_auditentry WHERE seq = %s", [trail[-1].seq])
    _, problems = audit.verify()
    assert problems and problems[-1].seq is None
