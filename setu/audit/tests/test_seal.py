"""Sealing: the task and the command chain waiting entries exactly once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditPending, AuditSeal
from setu.audit.tasks import seal_audit_trail


def test_the_task_seals_waiting_entries(personas):
    for _ in range(3):
        audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    assert AuditPending.objects.count() == 3
    assert seal_audit_trail.call() == 3
    assert seal_audit_trail.call() == 0
    assert AuditSeal.objects.count() == 3
    assert not AuditPending.objects.exists()


def test_the_command_seals_in_batches(personas):
    for _ in range(5):
        audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    assert audit.chain_seal(batch=2) == 5
    audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    out = StringIO()
    call_command("audit", "seal", stdout=out)
    assert out.getvalue().strip() == "Sealed 1 audit entries."
    assert list(AuditSeal.objects.values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert audit.verify() == (6, [])


def test_one_seal_request_per_transaction(
    personas, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(audit, "_next_seal_request", 0.0)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(3):
            audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    assert [c for c in callbacks if c is audit._enqueue_seal] == [audit._enqueue_seal]
    # The immediate task backend ran the sealer when the transaction committed.
    assert AuditSeal.objects.count() == 3
    assert not AuditPending.objects.exists()
