"""Upgrading: a trail written by the locking release is sealed by the data migration and verifies."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from setu.audit import services as audit
from setu.audit.models import AuditSeal
from setu.audit.tests.tamper import tamper

BEFORE = [("audit", "0002_append_only")]
SEALED = [("audit", "0004_seals_append_only")]
LATEST = [("audit", "0005_seal_existing_entries")]
seal_existing = importlib.import_module("setu.audit.migrations.0005_seal_existing_entries")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _legacy_trail(apps, n: int, break_at: int | None = None) -> None:
    """Entries chained the old way: each hash covers the previous entry's hash."""
    entry_model = apps.get_model("audit", "AuditEntry")
    head_model = apps.get_model("audit", "AuditHead")
    prev = audit.GENESIS
    for i in range(n):
        fields = {"at": timezone.now(), "action": "view", "outcome": "ok", "target_id": str(i)}
        full = {name: fields.get(name) for name in audit._HASHED_FIELDS}
        full.update(changes={}, details={}, actor_label="", actor_role="", target_type="t")
        link = "1" * 64 if i == break_at else prev
        entry_hash = audit.compute_hash(link, full)
        entry_model.objects.create(prev_hash=link, entry_hash=entry_hash, **full)
        prev = entry_hash
    head_model.objects.update_or_create(id=1, defaults={"last_hash": prev, "count": n})


def test_an_upgraded_trail_is_sealed_and_verifies(transactional_db):
    old_apps = _migrate(BEFORE)
    try:
        _legacy_trail(old_apps, 5)
    finally:
        _migrate(LATEST)
    assert AuditSeal.objects.count() == 5
    assert audit.verify() == (5, [])


def test_a_legacy_trail_already_broken_is_not_sealed_over(transactional_db):
    old_apps = _migrate(BEFORE)
    _legacy_trail(old_apps, 4, break_at=2)
    apps = _migrate(SEALED)
    try:
        with pytest.raises(RuntimeError, match="broken before entry"):
            seal_existing.seal_existing(apps, None)
        assert not AuditSeal.objects.exists()
    finally:
        tamper("DELETE FROM audit_auditentry", [])
        _migrate(LATEST)
