"""``setu audit verify``: counts entries, names every problem, exits 1 on tampering."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry, AuditHead, AuditPending, AuditSeal
from setu.audit.services import ProblemKind, compute_hash, link_hash
from setu.audit.tests.tamper import tamper


@pytest.fixture
def trail(personas):
    for _ in range(4):
        audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    audit.chain_seal()
    return list(AuditEntry.objects.order_by("seq"))


def _run(*args: str) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


def test_intact_trail_exits_0_and_reports_the_count(trail):
    output, code = _run()
    assert code == 0
    assert f"Checked {len(trail)} audit entries." in output
    assert "PROBLEM" not in output
    newest = AuditSeal.objects.get(position=len(trail))
    assert newest.link_hash in output  # the head, to be noted outside Setu


def test_verify_seals_waiting_entries_first(personas):
    audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    assert AuditPending.objects.count() == 1
    output, code = _run()
    assert code == 0
    assert "Checked 1 seals; 0 entries await theirs." in output
    assert not AuditPending.objects.exists()


def test_edited_field_exits_1_and_names_the_entry(trail):
    tamper("UPDATE audit_auditentry SET actor_label = %s WHERE seq = %s", ["x", trail[1].seq])
    output, code = _run()
    assert code == 1
    assert f"PROBLEM [edited] entry #{trail[1].seq}" in output
    assert output.count("PROBLEM") == 1


def test_edited_field_with_its_hash_recomputed_exits_1(trail):
    fields = {name: getattr(trail[1], name) for name in audit._HASHED_FIELDS}
    fields["actor_label"] = "x"
    forged = compute_hash(trail[1].salt, fields)
    tamper(
        "UPDATE audit_auditentry SET actor_label = %s, entry_hash = %s WHERE seq = %s",
        ["x", forged, trail[1].seq],
    )
    output, code = _run()
    assert code == 1
    assert f"PROBLEM [edited] entry #{trail[1].seq}: this entry was rewritten" in output


def test_deleted_middle_entry_exits_1(trail):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [trail[2].seq])
    output, code = _run()
    assert code == 1
    assert f"Checked {len(trail) - 1} audit entries." in output
    assert f"PROBLEM [deleted] entry #{trail[2].seq}" in output


def test_deleted_middle_entry_and_seal_exits_1(trail):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [trail[2].seq])
    tamper("DELETE FROM audit_auditseal WHERE entry_seq = %s", [trail[2].seq])
    output, code = _run()
    assert code == 1
    assert f"PROBLEM [deleted] entry #{trail[3].seq}" in output


def test_entry_deleted_before_its_seal_exits_1(trail, personas):
    late = audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [late.seq])
    output, code = _run()
    assert code == 1
    assert f"PROBLEM [deleted] entry #{late.seq}: this entry was deleted before" in output


def test_deleted_last_entry_exits_1(trail):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [trail[-1].seq])
    output, code = _run()
    assert code == 1
    assert f"PROBLEM [deleted] entry #{trail[-1].seq}" in output


def test_deleted_last_entry_and_seal_exits_1_as_truncation(trail):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [trail[-1].seq])
    tamper("DELETE FROM audit_auditseal WHERE entry_seq = %s", [trail[-1].seq])
    output, code = _run()
    assert code == 1
    assert "PROBLEM [truncated] trail" in output


def _forge(after: AuditEntry) -> AuditEntry:
    """Insert a well-formed entry without going through the service."""
    fields = {name: getattr(after, name) for name in audit._HASHED_FIELDS}
    fields["target_id"] = "forged"
    entry_hash = compute_hash("f" * 64, fields)
    # INSERT is not blocked by the guard: the seals and the head are what catch it.
    return AuditEntry.objects.create(salt="f" * 64, entry_hash=entry_hash, **fields)


def _forge_seal(entry: AuditEntry, after: AuditSeal, position: int) -> AuditSeal:
    return AuditSeal.objects.create(
        position=position,
        entry_seq=entry.seq,
        entry_hash=entry.entry_hash,
        prev_link=after.link_hash,
        link_hash=link_hash(after.link_hash, position, entry.seq, entry.entry_hash),
        sealed_at=after.sealed_at,
    )


def test_entry_added_behind_the_services_back_is_reported(trail):
    forged = _forge(trail[1])
    output, code = _run()
    assert code == 1
    assert f"PROBLEM [inserted] entry #{forged.seq}" in output


def test_entry_and_seal_appended_behind_the_services_back_are_reported(trail):
    forged = _forge(trail[-1])
    _forge_seal(forged, AuditSeal.objects.get(position=len(trail)), len(trail) + 1)
    output, code = _run()
    assert code == 1
    assert "PROBLEM [inserted] trail" in output


def test_entry_inserted_into_the_chain_is_reported(trail):
    forged = _forge(trail[1])
    # Chained onto seal 2, in a new place at the end: it does not follow seal 4.
    _forge_seal(forged, AuditSeal.objects.get(position=2), len(trail) + 1)
    AuditHead.objects.filter(id=1).update(count=len(trail) + 1)
    count, problems = audit.verify()
    assert count == len(trail) + 1
    assert (forged.seq, ProblemKind.INSERTED) in {(p.seq, p.kind) for p in problems}


def test_an_entry_left_unsealed_past_the_grace_is_reported(trail, personas):
    late = audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    output, code = _run("--no-seal")
    assert code == 0
    assert "1 entries await theirs" in output
    output, code = _run("--no-seal", "--grace", "-1")
    assert code == 1
    assert f"PROBLEM [unsealed] entry #{late.seq}" in output
