"""Concurrent writers and sealers on PostgreSQL: appends take no shared lock, and every entry is
sealed exactly once, in one verifiable chain, whatever order the transactions commit in."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry, AuditHead, AuditPending, AuditSeal

WRITERS = 4
PER_WRITER = 15

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks matter on PostgreSQL")


def _in_thread(target, *args) -> threading.Thread:
    def run() -> None:
        try:
            target(*args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_concurrent_writers_and_sealers_keep_one_verifiable_chain():
    start = threading.Barrier(WRITERS + 1)
    done = threading.Event()
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

    def sealer() -> None:
        try:
            start.wait(timeout=10)
            while not done.is_set():
                audit.chain_seal(batch=7)
        except BaseException as exc:
            errors.append(exc)

    writers = [_in_thread(writer, n) for n in range(WRITERS)]
    sealer_thread = _in_thread(sealer)
    for t in writers:
        t.join(timeout=60)
    done.set()
    sealer_thread.join(timeout=60)
    assert not errors, errors
    count, problems = audit.verify()
    assert count == WRITERS * PER_WRITER
    assert problems == []
    assert AuditHead.objects.get(id=1).count == count == AuditSeal.objects.count()
    assert not AuditPending.objects.exists()
    sealed = list(AuditSeal.objects.values_list("entry_seq", flat=True))
    assert sorted(sealed) == sorted(AuditEntry.objects.values_list("seq", flat=True))


@pytest.fixture
def no_sealing_on_commit(monkeypatch):
    """Seal only when the test says so (the immediate task backend would seal on commit)."""
    monkeypatch.setattr(audit, "_request_seal", lambda: None)


def test_an_entry_committed_late_is_sealed_once_after_later_ones(no_sealing_on_commit):
    written, release = threading.Event(), threading.Event()
    early: list[AuditEntry] = []

    def slow_request() -> None:
        with transaction.atomic():
            early.append(audit.record(actor=None, action=AuditAction.VIEW, target=("test", "slow")))
            written.set()
            release.wait(timeout=30)

    thread = _in_thread(slow_request)
    assert written.wait(timeout=30)
    late = audit.record(actor=None, action=AuditAction.VIEW, target=("test", "fast"))
    assert early[0].seq < late.seq
    assert audit.chain_seal() == 1  # the slow entry is not visible yet
    release.set()
    thread.join(timeout=30)
    assert audit.chain_seal() == 1
    assert audit.chain_seal() == 0
    assert list(AuditSeal.objects.order_by("position").values_list("entry_seq", flat=True)) == [
        late.seq,
        early[0].seq,
    ]
    assert audit.verify() == (2, [])


def test_appends_do_not_wait_for_a_sealer_and_a_second_sealer_steps_aside(no_sealing_on_commit):
    locked, release = threading.Event(), threading.Event()

    def busy_sealer() -> None:
        with transaction.atomic():
            assert audit._lock_head() is not None
            locked.set()
            release.wait(timeout=30)

    AuditHead.objects.get_or_create(id=1)
    thread = _in_thread(busy_sealer)
    try:
        assert locked.wait(timeout=30)
        with transaction.atomic(), connection.cursor() as cursor:
            # Any wait for a lock now fails at once instead of hanging.
            cursor.execute("SET LOCAL lock_timeout = '50ms'")
            entry = audit.record(actor=None, action=AuditAction.VIEW, target=("test", "read"))
            assert audit.chain_seal() == 0
        assert AuditPending.objects.filter(seq=entry.seq).exists()
    finally:
        release.set()
        thread.join(timeout=30)
    assert audit.chain_seal() == 1


def test_a_commit_asks_the_task_queue_for_a_seal_once_per_interval(monkeypatch):
    monkeypatch.setattr(audit, "_next_seal_request", 0.0)
    first = audit.record(actor=None, action=AuditAction.VIEW, target=("test", "one"))
    # The immediate backend ran the sealer when the entry's transaction committed.
    assert AuditSeal.objects.filter(entry_seq=first.seq).exists()
    second = audit.record(actor=None, action=AuditAction.VIEW, target=("test", "two"))
    assert AuditPending.objects.filter(seq=second.seq).exists()  # left for the next run
    assert audit.verify() == (2, [])
