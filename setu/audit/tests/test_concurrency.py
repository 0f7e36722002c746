"""Concurrent writers on PostgreSQL: the AuditHead row lock keeps the chain linear."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry, AuditHead

WRITERS = 4
PER_WRITER = 15


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_verifiable_chain():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait(timeout=10)
            for i in range(PER_WRITER):
                # Each append sits in a longer transaction, as it does inside a service.
                with transaction.atomic():
                    audit.record(actor=None, action=AuditAction.ADMIN, target=("test", f"{n}-{i}"))
        except BaseException as exc:  # re-raised in the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    count, problems = audit.verify()
    assert count == WRITERS * PER_WRITER
    assert problems == []
    assert AuditHead.objects.get(id=1).count == count
    # Every entry's predecessor is unique: no two writers chained onto the same entry.
    prev_hashes = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(set(prev_hashes)) == len(prev_hashes)
