"""CSV rows of the audit trail for an organisation admin.

Values of changed fields are left out: the file leaves Setu, and a spreadsheet of survivors'
names would outlive the need. The changed field names and the entry hash are kept, so each row
can be traced back to the full entry in Setu.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from setu.access.actor import Actor
from setu.audit import selectors
from setu.audit.models import AuditEntry

HEADER = [
    "seq",
    "at",
    "actor",
    "actor_organisation",
    "actor_role",
    "action",
    "outcome",
    "record_type",
    "record_id",
    "record_organisation",
    "ip_address",
    "details",
    "changed_fields",
    "entry_hash",
]

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _changed_fields(entry: AuditEntry) -> str:
    changes = entry.changes or {}
    names: set[str] = set()
    for side in ("before", "after"):
        if isinstance(changes.get(side), dict):
            names |= set(changes[side])
    return " ".join(sorted(names))


def rows(*, actor: Actor, entries: Iterable[AuditEntry]) -> Iterator[list[str]]:
    """The header, then one row per entry (organisation names looked up a chunk at a time)."""
    yield HEADER
    chunk: list[AuditEntry] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) == 500:
            yield from _chunk_rows(actor, chunk)
            chunk = []
    yield from _chunk_rows(actor, chunk)


def _chunk_rows(actor: Actor, chunk: list[AuditEntry]) -> Iterator[list[str]]:
    ids = {e.actor_org_id for e in chunk} | {e.target_org_id for e in chunk}
    names = selectors.organisation_names(actor=actor, ids=ids)
    for e in chunk:
        show_ip = selectors.entry_shows_ip(actor=actor, entry=e)
        yield [
            _cell(v)
            for v in (
                e.seq,
                e.at.isoformat(),
                e.actor_label,
                names.get(e.actor_org_id, ""),
                e.actor_role,
                e.action,
                e.outcome,
                e.target_type,
                e.target_id,
                names.get(e.target_org_id, ""),
                e.ip_address if show_ip else "",
                json.dumps(e.details, ensure_ascii=False, sort_keys=True) if e.details else "",
                _changed_fields(e),
                e.entry_hash,
            )
        ]


def records(*, actor: Actor, entries: Iterable[AuditEntry]) -> list[dict[str, str]]:
    """The same rows as ``rows``, as objects keyed by the CSV header (for a JSON download)."""
    it = rows(actor=actor, entries=entries)
    header = next(it)
    return [dict(zip(header, row, strict=True)) for row in it]
