"""``setu audit verify``: counts entries, names every problem, exits 1 on tampering."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry
from setu.audit.services import ProblemKind, compute_hash
from setu.audit.tests.tamper import tamper


@pytest.fixture
def trail(personas):
    for _ in range(4):
        audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    return list(AuditEntry.objects.order_by("seq"))


def _run() -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


def test_intact_trail_exits_0_and_reports_the_count(trail):
    output, code = _run()
    assert code == 0
    assert f"Checked {len(trail)} audit entries." in output
    assert "PROBLEM" not in output
    assert trail[-1].entry_hash in output  # the head, to be noted outside Setu


def test_edited_field_exits_1_and_names_the_entry(trail):
    tamper("UPDATE audit_auditentry SET actor_label = %s WHERE seq = %s", ["x", trail[1].seq])
    output, code = _run()
    assert code == 1
    assert f"PROBLEM [edited] entry #{trail[1].seq}" in output
    assert output.count("PROBLEM") == 1


def test_deleted_middle_entry_exits_1(trail):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [trail[2].seq])
    output, code = _run()
    assert code == 1
    assert f"Checked {len(trail) - 1} audit entries." in output
    assert f"PROBLEM [deleted] entry #{trail[3].seq}" in output


def test_deleted_last_entry_exits_1_as_truncation(trail):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [trail[-1].seq])
    output, code = _run()
    assert code == 1
    assert "PROBLEM [truncated] trail" in output


def _forge(after: AuditEntry) -> AuditEntry:
    """Insert a well-formed entry chained onto ``after`` without going through the service."""
    fields = {name: getattr(after, name) for name in audit._HASHED_FIELDS}
    fields["target_id"] = "forged"
    entry_hash = compute_hash(after.entry_hash, fields)
    # INSERT is not blocked by the guard: the chain and its head are what catch it.
    return AuditEntry.objects.create(prev_hash=after.entry_hash, entry_hash=entry_hash, **fields)


def test_entry_appended_behind_the_services_back_is_reported(trail):
    _forge(trail[-1])
    output, code = _run()
    assert code == 1
    assert "PROBLEM [inserted] trail" in output


def test_entry_inserted_into_the_chain_is_reported(trail):
    forged = _forge(trail[1])
    count, problems = audit.verify()
    assert count == len(trail) + 1
    assert (forged.seq, ProblemKind.INSERTED) in {(p.seq, p.kind) for p in problems}
