"""Key rotation and re-indexing of the encrypted columns, batch by batch, each batch one
transaction, each run audited (docs/deployment.md §12)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from setu.audit import services as audit
from setu.core import crypto
from setu.matching import services as matching
from setu.registry import services as registry

TARGET = ("fieldkeys", "", None)


@dataclass(frozen=True)
class ColumnStatus:
    """How many values of one encrypted column each key id holds."""

    table: str
    column: str
    by_key: dict[str, int]


@dataclass(frozen=True)
class KeyStatus:
    """The key ids in force (never the keys) and where each is still used."""

    key_ids: list[str]
    current: str
    derived: bool
    columns: list[ColumnStatus]

    def rows_under(self, key_id: str) -> int:
        return sum(c.by_key.get(key_id, 0) for c in self.columns)

    @property
    def retirable(self) -> list[str]:
        """Older key ids no value needs any more: they may be removed from SETU_FIELD_KEYS."""
        return [k for k in self.key_ids if k != self.current and self.rows_under(k) == 0]

    @property
    def unreadable(self) -> int:
        """Values under no configured key: a key was retired too early, or never encrypted."""
        return self.rows_under("other")


def key_status() -> KeyStatus:
    """What ``setu keys status`` prints."""
    ring = crypto.keyring()
    columns = [
        ColumnStatus(model._meta.label_lower, column, counts)
        for model in crypto.encrypted_models()
        for column, counts in crypto.key_counts(model).items()
    ]
    return KeyStatus(list(ring.keys), ring.current, ring.derived, columns)


def _run(
    what: str, step: Callable[[type[models.Model]], int], progress: Callable[[str, int], None]
) -> dict[str, int]:
    done: dict[str, int] = {}
    for model in crypto.encrypted_models():
        label = model._meta.label_lower
        done[label] = 0
        while True:
            # One transaction per batch: an interrupted run keeps what it finished and the
            # next run finds the rest by their key id (rotate) or the last id (reindex).
            with transaction.atomic():
                n = step(model)
            if not n:
                break
            done[label] += n
            progress(label, done[label])
    with transaction.atomic():
        audit.record(
            actor=None,
            action=audit.AuditAction.ADMIN,
            target=TARGET,
            details={"what": what, "key": crypto.keyring().current, "rows": done},
        )
    return done


def keys_rotate(
    *, batch: int = 500, progress: Callable[[str, int], None] = lambda _t, _n: None
) -> dict[str, int]:
    """Re-encrypt every value not under the current key; returns rows rewritten per table."""
    return _run("rotate", lambda model: crypto.rotate_batch(model, batch=batch), progress)


def keys_reindex(
    *, batch: int = 500, progress: Callable[[str, int], None] = lambda _t, _n: None
) -> dict[str, int]:
    """Recompute every blind index (after a new SETU_FIELD_INDEX_KEY): the indexed columns, the
    persons' name tokens and the match index, whose keys are HMACs under the same key; rows
    (persons, for the name tokens) per table."""
    cursors: dict[type[models.Model], Any] = {}

    def step(model: type[models.Model]) -> int:
        n, cursors[model] = crypto.reindex_batch(model, after=cursors.get(model), batch=batch)
        return n

    done = _run("reindex", step, progress)
    after, persons = None, 0
    while True:
        # The name tokens: one transaction per batch, like the columns above.
        with transaction.atomic():
            n, after = registry.person_name_tokens_rebuild(after=after, batch=batch)
        if not n:
            break
        persons += n
        progress("registry.personnametoken", persons)
    done["registry.personnametoken"] = persons
    after, keyed = None, 0
    while True:
        # Each batch is its own transaction inside index_batch.
        n, after = matching.index_batch(after=after, size=max(batch, 1000), stale_only=False)
        if not n:
            break
        keyed += n
        progress("matching.matchkey", keyed)
    done["matching.matchkey"] = keyed
    return done
