"""Writing to and verifying the audit trail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from setu.audit.models import AuditAction, AuditEntry, AuditHead, Outcome

if TYPE_CHECKING:
    from setu.access.actor import Actor

GENESIS = "0" * 64
_HASHED_FIELDS = (
    "at", "actor_user_id", "actor_label", "actor_org_id", "actor_role", "action", "outcome",
    "target_type", "target_id", "target_org_id", "ip_address", "changes", "details",
)  # fmt: skip


def _canonical(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value) if not isinstance(value, dict | list | str | int | float | bool) else value


def compute_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and a canonical JSON form of the entry's fields."""
    payload = {name: _canonical(fields.get(name)) for name in _HASHED_FIELDS}
    blob = prev_hash + json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _target_parts(target: Any) -> tuple[str, str, Any]:
    if target is None:
        return "", "", None
    if isinstance(target, models.Model):
        label = target._meta.label_lower
        owner = getattr(target, "owner_org_id", None)
        if owner is None and hasattr(target, "organisation_id"):
            owner = target.organisation_id
        if owner is None and target._meta.label_lower == "orgs.organisation":
            owner = target.pk
        return label, str(target.pk), owner
    if isinstance(target, tuple):
        label, pk, owner = (*target, None)[:3]
        if owner is None and label == "orgs.organisation" and pk:
            owner = pk  # an organisation's own record belongs to its trail
        return str(label), str(pk), owner
    return str(target), "", None


def record(
    *,
    actor: Actor | None,
    action: AuditAction | str,
    target: Any = None,
    outcome: Outcome | str = Outcome.OK,
    changes: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
    ip_address: str | None = None,
    user: Any = None,
    target_org_id: Any = None,
) -> AuditEntry:
    """Append one entry to the chain, inside the caller's transaction.

    ``target`` is a model instance or a ``(type, id, owner_org_id)`` tuple. ``user`` is used when
    there is no actor yet (login, failed login). ``details`` must never hold a survivor's
    personal data; ``changes`` (before/after of a write) may, as the trail is itself protected.
    """
    target_type, target_id, owner_org_id = _target_parts(target)
    user = user if user is not None else (actor.user if actor else None)
    fields: dict[str, Any] = {
        "at": timezone.now(),
        "actor_user_id": getattr(user, "pk", None),
        "actor_label": getattr(user, "username", "") or "",
        "actor_org_id": actor.organisation_id if actor else None,
        "actor_role": actor.role if actor else "",
        "action": str(action),
        "outcome": str(outcome),
        "target_type": target_type,
        "target_id": target_id,
        "target_org_id": target_org_id or owner_org_id,
        "ip_address": ip_address or (actor.ip_address if actor else None),
        "changes": changes or {},
        "details": details or {},
    }
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        entry_hash = compute_hash(head.last_hash, fields)
        entry = AuditEntry.objects.create(prev_hash=head.last_hash, entry_hash=entry_hash, **fields)
        AuditHead.objects.filter(id=1).update(
            last_seq=entry.seq, last_hash=entry_hash, count=models.F("count") + 1
        )
    return entry


class ProblemKind:
    """What verification found wrong (plain strings, so the command can print them)."""

    EDITED = "edited"
    DELETED = "deleted"
    INSERTED = "inserted"
    TRUNCATED = "truncated"
    HEAD = "head"


@dataclass(frozen=True)
class VerifyProblem:
    """One break in the chain; ``seq`` is None for a problem of the trail as a whole."""

    seq: int | None
    message: str
    kind: str = ProblemKind.EDITED


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)


def _seq_of_hash(entry_hash: str) -> int | None:
    return AuditEntry.objects.filter(entry_hash=entry_hash).values_list("seq", flat=True).first()


def _break_problem(entry: AuditEntry, prev_seq: int | None) -> VerifyProblem:
    """Explain why ``entry`` does not follow the entry before it (at ``prev_seq``)."""
    after = f"#{prev_seq}" if prev_seq is not None else "the start"
    if entry.prev_hash == GENESIS and prev_seq is not None:
        return VerifyProblem(
            entry.seq,
            f"the chain restarts here: entries up to {after} were inserted before the first one",
            ProblemKind.INSERTED,
        )
    linked = _seq_of_hash(entry.prev_hash) if entry.prev_hash != GENESIS else 0
    if linked is None:
        return VerifyProblem(
            entry.seq,
            f"entries between {after} and #{entry.seq} were deleted (or the entry before "
            "this one was rewritten)",
            ProblemKind.DELETED,
        )
    if prev_seq is not None and linked < prev_seq:
        first = f"#{linked}" if linked else "the start"
        return VerifyProblem(
            entry.seq,
            f"entries after {first} up to {after} are not part of the chain: they were inserted",
            ProblemKind.INSERTED,
        )
    return VerifyProblem(entry.seq, "this entry is out of order in the chain", ProblemKind.INSERTED)


def verify() -> tuple[int, list[VerifyProblem]]:
    """Recompute the chain; report every entry that was edited, removed or inserted.

    Sequence numbers may have gaps (a rolled-back transaction uses one up), so removals are
    found through the hashes, and removal of the newest entries through the chain head.
    """
    problems: list[VerifyProblem] = []
    prev = GENESIS
    prev_seq: int | None = None
    count = 0
    for entry in _entries():
        count += 1
        fields = {name: getattr(entry, name) for name in _HASHED_FIELDS}
        if entry.prev_hash != prev:
            problems.append(_break_problem(entry, prev_seq))
        if compute_hash(entry.prev_hash, fields) != entry.entry_hash:
            problems.append(
                VerifyProblem(entry.seq, "this entry's content was altered", ProblemKind.EDITED)
            )
        prev = entry.entry_hash
        prev_seq = entry.seq
    last_seq = prev_seq or 0
    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        if count:
            problems.append(VerifyProblem(None, "the chain head is missing", ProblemKind.HEAD))
    elif head.count != count or head.last_hash != prev or head.last_seq != last_seq:
        if last_seq < head.last_seq or count < head.count:
            problems.append(
                VerifyProblem(
                    None,
                    f"the trail should end at entry #{head.last_seq} with {head.count} "
                    f"entries but ends at #{last_seq} with {count}: entries were removed",
                    ProblemKind.TRUNCATED,
                )
            )
        else:
            problems.append(
                VerifyProblem(
                    None,
                    f"the trail should end at entry #{head.last_seq} with {head.count} "
                    f"entries but ends at #{last_seq} with {count}: entries were added "
                    "without going through the audit service",
                    ProblemKind.INSERTED,
                )
            )
    return count, problems


def chain_head() -> AuditHead | None:
    """The chain head, whose hash an operator may note down outside Setu to anchor the trail."""
    return AuditHead.objects.filter(id=1).first()


def entry_export(*, actor: Actor, filters: Any = None) -> QuerySet[AuditEntry]:
    """The actor's organisation's trail, filtered, for a CSV download; the export is audited."""
    from setu.audit import selectors

    entries = selectors.entry_list(actor=actor, filters=filters)
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=("audit.auditentry", "", actor.organisation_id),
        details={
            "what": "audit_trail",
            "filters": filters.as_details() if filters is not None else {},
            "rows": entries.count(),
        },
    )
    return entries
