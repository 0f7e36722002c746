"""``setu audit anchor`` and ``verify --against``: a cut-back or emptied trail is caught."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry, AuditHead, AuditSeal
from setu.audit.tests.tamper import tamper


@pytest.fixture
def trail(personas):
    for _ in range(4):
        audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    return personas


def _call(*args: str) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("audit", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


@pytest.fixture
def anchored(trail, tmp_path):
    path = tmp_path / "anchors.txt"
    _, code = _call("anchor", "--output", str(path))
    assert code == 0
    return path


def test_anchor_prints_a_signed_line_naming_the_newest_seal(trail):
    output, code = _call("anchor")
    newest = AuditSeal.objects.order_by("-position").first()
    assert code == 0
    assert output.startswith(f"{audit.ANCHOR_TAG} count=4 seq={newest.entry_seq} ")
    assert f"hash={newest.link_hash} " in output
    assert " mac=" in output


def test_anchor_appends_to_the_file(anchored, trail):
    audit.record(actor=trail["lead"], action=AuditAction.VIEW, target=trail.case)
    _call("anchor", "--output", str(anchored))
    lines = anchored.read_text().splitlines()
    assert [line.split()[1] for line in lines] == ["count=4", "count=5"]


def test_a_growing_trail_still_verifies_against_its_anchors(anchored, trail):
    audit.record(actor=trail["lead"], action=AuditAction.VIEW, target=trail.case)
    output, code = _call("verify", "--against", str(anchored))
    assert code == 0, output
    assert f"Checked the anchors in {anchored}." in output


def test_cut_back_trail_with_a_rewound_head_fails_only_against_the_anchor(anchored):
    newest = list(AuditSeal.objects.order_by("position"))[-2:]
    for seal in newest:
        tamper("DELETE FROM audit_auditseal WHERE position = %s", [seal.position])
        tamper("DELETE FROM audit_auditentry WHERE seq = %s", [seal.entry_seq])
    kept = AuditSeal.objects.order_by("-position").first()
    AuditHead.objects.filter(id=1).update(
        count=kept.position, last_seq=kept.entry_seq, last_hash=kept.link_hash
    )
    output, code = _call("verify")
    assert code == 0  # on its own the shortened trail looks whole
    output, code = _call("verify", "--against", str(anchored))
    assert code == 1
    assert "PROBLEM [truncated] trail: anchor line 1" in output
    assert "now holds 2" in output


def test_truncated_tables_fail_against_the_anchor(anchored):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE audit_auditentry, audit_auditseal, audit_auditpending, audit_audithead"
            )
    else:  # SQLite has no TRUNCATE; emptying the tables is the same attack
        for statement in [
            "DELETE FROM audit_auditentry",
            "DELETE FROM audit_auditseal",
            "DELETE FROM audit_auditpending",
            "DELETE FROM audit_audithead",
        ]:
            tamper(statement, [])
    assert not AuditEntry.objects.exists()
    output, code = _call("verify")
    assert code == 0
    assert "Checked 0 audit entries." in output
    output, code = _call("verify", "--against", str(anchored))
    assert code == 1
    assert "PROBLEM [truncated] trail: anchor line 1" in output


def test_rewritten_chain_fails_against_the_anchor(anchored):
    seal = AuditSeal.objects.get(position=4)
    forged = "a" * 64
    tamper("UPDATE audit_auditseal SET link_hash = %s WHERE position = 4", [forged])
    AuditHead.objects.filter(id=1).update(last_hash=forged)
    _, code = _call("verify", "--against", str(anchored))
    assert code == 1
    output, _ = _call("verify", "--against", str(anchored))
    assert "PROBLEM [anchor] trail: anchor line 1" in output
    assert seal.link_hash != forged


def test_an_altered_anchor_line_is_reported(anchored):
    line = anchored.read_text().strip()
    anchored.write_text(line.replace("count=4", "count=3") + "\n")
    output, code = _call("verify", "--against", str(anchored))
    assert code == 1
    assert "anchor line 1 was altered" in output


def test_an_anchor_of_an_empty_trail_holds(db, tmp_path):
    path = tmp_path / "anchors.txt"
    _call("anchor", "--output", str(path))
    assert "count=0" in path.read_text()
    _, code = _call("verify", "--against", str(path))
    assert code == 0


def test_a_line_that_is_not_an_anchor_is_reported(db, tmp_path):
    path = tmp_path / "anchors.txt"
    path.write_text("# comment lines are fine\nhello\n")
    output, code = _call("verify", "--against", str(path))
    assert code == 1
    assert "anchor line 2 is not an anchor" in output
