import pytest
from django.db import DatabaseError, transaction

from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry, AuditSeal
from setu.audit.tests.tamper import tamper


@pytest.fixture
def trail(personas):
    for _ in range(3):
        audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    audit.chain_seal()
    return list(AuditEntry.objects.order_by("seq"))


def test_intact_trail_verifies(trail):
    count, problems = audit.verify()
    assert count == len(trail)
    assert problems == []


def test_entries_are_sealed_in_one_chain(trail):
    seals = list(AuditSeal.objects.order_by("position"))
    assert [s.entry_seq for s in seals] == [e.seq for e in trail]
    assert [s.position for s in seals] == [1, 2, 3]
    assert seals[0].prev_link == audit.GENESIS
    assert [s.prev_link for s in seals[1:]] == [s.link_hash for s in seals[:-1]]


def test_database_refuses_update_and_delete(trail):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=trail[0].seq).update(action="login")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=trail[0].seq).delete()


def test_database_refuses_update_and_delete_of_seals(trail):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.filter(position=1).update(entry_hash="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.filter(position=1).delete()


def test_edited_entry_is_detected(trail):
    tamper("UPDATE audit_auditentry SET action = %s WHERE seq = %s", ["export", trail[1].seq])
    _, problems = audit.verify()
    assert [p.seq for p in problems] == [trail[1].seq]


def test_deleted_entry_is_detected(trail):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [trail[1].seq])
    _, problems = audit.verify()
    assert [(p.seq, p.kind) for p in problems] == [(trail[1].seq, audit.ProblemKind.DELETED)]


def test_deleted_entry_and_its_seal_are_detected(trail):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [trail[1].seq])
    tamper("DELETE FROM audit_auditseal WHERE entry_seq = %s", [trail[1].seq])
    _, problems = audit.verify()
    # The next seal no longer follows the one before it.
    assert [(p.seq, p.kind) for p in problems] == [(trail[2].seq, audit.ProblemKind.DELETED)]


def test_deleted_last_entry_is_detected(trail):
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [trail[-1].seq])
    tamper("DELETE FROM audit_auditseal WHERE entry_seq = %s", [trail[-1].seq])
    _, problems = audit.verify()
    assert problems and problems[-1].seq is None
    assert problems[-1].kind == audit.ProblemKind.TRUNCATED
