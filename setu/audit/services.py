"""Writing to, sealing, anchoring and verifying the audit trail.

``record`` inserts an entry with the hash of its own content and a row in the sealer's queue,
taking no lock, so audited reads and writes never wait on each other. ``chain_seal`` (one sealer
at a time, on the task queue and from cron) chains queued entries, in the order their
transactions made them visible, into append-only ``AuditSeal`` rows. ``verify`` recomputes
both; ``chain_anchor`` gives a line to keep outside Setu and ``anchors_check`` compares it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from setu.access import policy
from setu.audit.models import AuditAction as AuditAction
from setu.audit.models import AuditEntry, AuditHead, AuditPending, AuditSeal
from setu.audit.models import Outcome as Outcome
from setu.core.changes import scrub

if TYPE_CHECKING:
    from django.http import HttpRequest

    from setu.access.actor import Actor
    from setu.core.errors import Denied

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
_HASHED_FIELDS = (
    "at", "actor_user_id", "actor_label", "actor_org_id", "actor_role", "action", "outcome",
    "target_type", "target_id", "target_org_id", "ip_address", "changes", "details",
)  # fmt: skip
SEAL_BATCH = 2000
# Each process asks the task queue for a sealing run at most this often: one task row per
# interval, not one per audited act.
SEAL_INTERVAL_SECONDS = 2.0
# Unsealed entries older than this mean the sealer is not running (or an entry was slipped in).
DEFAULT_GRACE = dt.timedelta(minutes=10)
_next_seal_request = 0.0


def _canonical(value: Any) -> Any:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value) if not isinstance(value, dict | list | str | int | float | bool) else value


def compute_hash(salt: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the entry's salt and a canonical JSON form of its fields."""
    payload = {name: _canonical(fields.get(name)) for name in _HASHED_FIELDS}
    blob = salt + json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def link_hash(prev_link: str, position: int, entry_seq: int, entry_hash: str) -> str:
    """SHA-256 of one seal: the previous seal's hash, its place, and the entry it seals."""
    blob = f"{prev_link}:{position}:{entry_seq}:{entry_hash}"
    return hashlib.sha256(blob.encode("ascii")).hexdigest()


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
    """Write one entry, inside the caller's transaction, for the sealer to chain.

    ``target`` is a model instance or a ``(type, id, owner_org_id)`` tuple. ``user`` is used when
    there is no actor yet (login, failed login). Neither ``details`` nor ``changes`` holds a
    survivor's personal data: the trail is append-only, so nothing in it could be erased when
    retention anonymises a record. ``changes`` comes from ``core.changes.snapshot``, whose
    ``Personal`` values are stored as a mark naming the field that changed, not the value.
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
        "changes": scrub(changes or {}),
        "details": details or {},
    }
    salt = secrets.token_hex(32)
    # Row-level security: the insert reads its new row back (its ``seq``), which PostgreSQL
    # allows only where the session may read the row. A session acting for the organisation the
    # entry is about or whose member acted may; any other (a login, an anonymous refusal, a
    # platform admin's act) appends through ``_append_elsewhere``.
    visible = policy.acts_for(fields["actor_org_id"]) or policy.acts_for(fields["target_org_id"])
    append = AuditEntry.objects.create if visible else _append_elsewhere
    # No savepoint: if either insert fails the caller's transaction is already lost.
    with transaction.atomic(savepoint=False):
        entry = append(salt=salt, entry_hash=compute_hash(salt, fields), **fields)
        # Queued in the same transaction: the entry and its place in the queue appear together,
        # however late the transaction commits, so the sealer can neither miss nor repeat it.
        AuditPending.objects.create(seq=entry.seq)
    _request_seal()
    return entry


@policy.system_read
def _append_elsewhere(**fields: Any) -> AuditEntry:
    """Append an entry that the session's organisation may not read (row-level security): the
    insert returns only the new row's ``seq``, and nothing else is read in the system scope."""
    return AuditEntry.objects.create(**fields)


def recorder(
    *, actor: Actor | None, action: AuditAction | str, target: Any = None, **kwargs: Any
) -> Callable[[dict[str, Any]], AuditEntry]:
    """``record`` waiting for its before/after (``core.changes.add``/``remove`` call it). The
    target is resolved now, so a row deleted before the call is still named by its id."""
    parts = _target_parts(target)
    return lambda changes: record(
        actor=actor, action=action, target=parts, changes=changes, **kwargs
    )


def _request_seal() -> None:
    if time.monotonic() < _next_seal_request:
        return
    connection = transaction.get_connection()
    if any(func is _enqueue_seal for *_s, func, _r in connection.run_on_commit):
        return  # once per transaction, however many entries it writes
    transaction.on_commit(_enqueue_seal, robust=True)


def _enqueue_seal() -> None:
    global _next_seal_request
    now = time.monotonic()
    if now < _next_seal_request:
        return
    _next_seal_request = now + SEAL_INTERVAL_SECONDS
    from setu.audit.tasks import seal_audit_trail

    try:
        seal_audit_trail.enqueue()
    except Exception:  # the entry is safe in the queue; cron's `setu audit seal` catches up
        logger.exception("could not enqueue the audit sealer")


def _lock_head() -> AuditHead | None:
    """The head row, locked for this sealer; None when another sealer holds it."""
    AuditHead.objects.get_or_create(id=1)
    # Only sealers lock this row. SKIP LOCKED: a second sealer leaves at once instead of queueing.
    return AuditHead.objects.select_for_update(skip_locked=True).filter(id=1).first()


@policy.system_read
def _entry_hashes(seqs: list[int]) -> dict[int, str]:
    """The hashes of the entries to seal, of every organisation: run by the app's role (``setu
    audit seal``) an entry it may not read would otherwise be sealed as deleted, for good."""
    rows = AuditEntry.objects.filter(seq__in=seqs).values_list("seq", "entry_hash").order_by()
    return dict(rows)


def _seal_batch(limit: int) -> int | None:
    with transaction.atomic():
        head = _lock_head()
        if head is None:
            return None
        seqs = list(AuditPending.objects.order_by("seq").values_list("seq", flat=True)[:limit])
        if not seqs:
            return 0
        hashes = _entry_hashes(seqs)
        sealed = set(
            AuditSeal.objects.filter(entry_seq__in=seqs).values_list("entry_seq", flat=True)
        )
        prev, position, now, seals = head.last_hash, head.count, timezone.now(), []
        for seq in seqs:
            if seq in sealed:
                continue
            # An entry deleted while it waited is sealed with no hash: verify names it.
            entry_hash = hashes.get(seq, "")
            position += 1
            link = link_hash(prev, position, seq, entry_hash)
            seals.append(
                AuditSeal(
                    position=position,
                    entry_seq=seq,
                    entry_hash=entry_hash,
                    prev_link=prev,
                    link_hash=link,
                    sealed_at=now,
                )
            )
            prev = link
        AuditSeal.objects.bulk_create(seals)
        AuditPending.objects.filter(seq__in=seqs).delete()
        if seals:
            AuditHead.objects.filter(id=1).update(
                last_seq=seals[-1].entry_seq, last_hash=prev, count=position
            )
        return len(seqs)


def chain_seal(*, batch: int = SEAL_BATCH) -> int:
    """Chain every queued entry after the newest seal; returns how many were sealed.

    One sealer at a time: when another holds the head, this one returns 0 straight away.
    """
    total = 0
    while True:
        done = _seal_batch(batch)
        if done is None:
            return total
        total += done
        if done < batch:
            return total


class ProblemKind:
    """What verification found wrong (plain strings, so the command can print them)."""

    EDITED = "edited"
    DELETED = "deleted"
    INSERTED = "inserted"
    TRUNCATED = "truncated"
    HEAD = "head"
    UNSEALED = "unsealed"
    ANCHOR = "anchor"


@dataclass(frozen=True)
class VerifyProblem:
    """One break in the chain; ``seq`` is None for a problem of the trail as a whole."""

    seq: int | None
    message: str
    kind: str = ProblemKind.EDITED


def _position_of_link(link: str) -> int | None:
    return AuditSeal.objects.filter(link_hash=link).values_list("position", flat=True).first()


def _break_problem(seal: AuditSeal, prev_position: int) -> VerifyProblem:
    """Explain why ``seal`` does not follow the seal before it (at ``prev_position``)."""
    after = f"seal {prev_position}" if prev_position else "the start"
    where = f"seal {seal.position}"
    if seal.prev_link == GENESIS and prev_position:
        return VerifyProblem(
            seal.entry_seq,
            f"the chain restarts at {where}: seals up to {after} were inserted before the first",
            ProblemKind.INSERTED,
        )
    linked = _position_of_link(seal.prev_link) if seal.prev_link != GENESIS else 0
    if linked is None:
        return VerifyProblem(
            seal.entry_seq,
            f"seals between {after} and {where} were deleted (or the seal before it rewritten)",
            ProblemKind.DELETED,
        )
    if linked < prev_position:
        first = f"seal {linked}" if linked else "the start"
        return VerifyProblem(
            seal.entry_seq,
            f"seals after {first} up to {after} are not part of the chain: they were inserted",
            ProblemKind.INSERTED,
        )
    return VerifyProblem(
        seal.entry_seq, f"{where} is out of order in the chain", ProblemKind.INSERTED
    )


def _verify_seals() -> tuple[list[VerifyProblem], int, str, int]:
    """Walk the seals in chain order; returns problems, count, last link and last position."""
    problems: list[VerifyProblem] = []
    prev, prev_position, count = GENESIS, 0, 0
    for seal in AuditSeal.objects.order_by("position").iterator(chunk_size=SEAL_BATCH):
        count += 1
        if seal.prev_link != prev or seal.position != prev_position + 1:
            problems.append(_break_problem(seal, prev_position))
        if (
            link_hash(seal.prev_link, seal.position, seal.entry_seq, seal.entry_hash)
            != seal.link_hash
        ):
            problems.append(
                VerifyProblem(
                    seal.entry_seq, f"seal {seal.position} was altered", ProblemKind.EDITED
                )
            )
        prev, prev_position = seal.link_hash, seal.position
    return problems, count, prev, prev_position


def _verify_head(count: int, last_link: str, last_position: int) -> list[VerifyProblem]:
    head = AuditHead.objects.filter(id=1).first()
    if head is None:
        if count:
            return [VerifyProblem(None, "the chain head is missing", ProblemKind.HEAD)]
        return []
    # Seals missing or added in the middle are the chain walk's to report; here only the end.
    if head.last_hash == last_link and head.count == last_position:
        return []
    if last_position < head.count:
        return [
            VerifyProblem(
                None,
                f"the chain should end at seal {head.count} but ends at seal {last_position} "
                f"({count} seals): the newest entries and their seals were removed",
                ProblemKind.TRUNCATED,
            )
        ]
    if last_position > head.count:
        return [
            VerifyProblem(
                None,
                f"the chain should end at seal {head.count} but ends at seal {last_position}: "
                "seals were added without going through the sealer",
                ProblemKind.INSERTED,
            )
        ]
    return [
        VerifyProblem(
            None,
            f"seal {last_position} is not the one the chain head names: the end was rewritten",
            ProblemKind.HEAD,
        )
    ]


def _merge(
    entries: Iterator[AuditEntry], seals: Iterator[tuple[int, str]]
) -> Iterator[tuple[AuditEntry | None, tuple[int, str] | None]]:
    """Pair entries (by seq) with their seals (by entry seq); either side may be missing."""
    entry, seal = next(entries, None), next(seals, None)
    while entry is not None or seal is not None:
        if seal is None or (entry is not None and entry.seq < seal[0]):
            yield entry, None
            entry = next(entries, None)
        elif entry is None or seal[0] < entry.seq:
            yield None, seal
            seal = next(seals, None)
        else:
            yield entry, seal
            entry, seal = next(entries, None), next(seals, None)


def _unsealed_problem(
    entry: AuditEntry, queued: set[int], oldest_allowed: dt.datetime
) -> VerifyProblem | None:
    if entry.seq not in queued:
        return VerifyProblem(
            entry.seq,
            "this entry was added without going through the audit service: it is neither "
            "sealed nor waiting for a seal",
            ProblemKind.INSERTED,
        )
    if entry.at < oldest_allowed:
        return VerifyProblem(
            entry.seq,
            "this entry has waited too long for its seal: is the sealer running?",
            ProblemKind.UNSEALED,
        )
    return None


@policy.system_read
def _verify_entries(grace: dt.timedelta) -> tuple[list[VerifyProblem], int, int]:
    """Recompute every entry and match it with its seal; returns problems, entries, unsealed.
    Every organisation's entries (a system read): run by the app's role, ``setu audit verify``
    would otherwise report every entry it may not read as deleted."""
    problems: list[VerifyProblem] = []
    count = unsealed = 0
    oldest_allowed = timezone.now() - grace
    queued = set(AuditPending.objects.values_list("seq", flat=True))
    entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=SEAL_BATCH)
    seals = (
        AuditSeal.objects.order_by("entry_seq")
        .values_list("entry_seq", "entry_hash")
        .iterator(chunk_size=SEAL_BATCH)
    )
    for entry, seal in _merge(entries, seals):
        if entry is None:
            assert seal is not None
            problems.append(
                VerifyProblem(
                    seal[0],
                    "this entry was sealed but is gone: it was deleted"
                    if seal[1]
                    else "this entry was deleted before it could be sealed",
                    ProblemKind.DELETED,
                )
            )
            continue
        count += 1
        fields = {name: getattr(entry, name) for name in _HASHED_FIELDS}
        if compute_hash(entry.salt, fields) != entry.entry_hash:
            problems.append(
                VerifyProblem(entry.seq, "this entry's content was altered", ProblemKind.EDITED)
            )
        elif seal is not None and seal[1] != entry.entry_hash:
            problems.append(
                VerifyProblem(
                    entry.seq, "this entry was rewritten after it was sealed", ProblemKind.EDITED
                )
            )
        elif seal is None:
            unsealed += 1
            problem = _unsealed_problem(entry, queued, oldest_allowed)
            if problem is not None:
                problems.append(problem)
    return problems, count, unsealed


@dataclass(frozen=True)
class VerifyReport:
    """What ``verify`` checked: entries, seals, entries still waiting, and the problems."""

    entries: int
    seals: int
    unsealed: int
    problems: list[VerifyProblem]


def verify_report(*, seal: bool = True, grace: dt.timedelta = DEFAULT_GRACE) -> VerifyReport:
    """Seal what waits, then recompute every entry and seal and compare the chain with its head.

    Sequence numbers may have gaps (a rolled-back transaction uses one up), so removals are
    found through the seals, and removal of the newest seals through the chain head; removal
    of the newest seals together with a rewound head only through an anchor.
    """
    if seal:
        chain_seal()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every read: a sealer running meanwhile must not make an entry
            # look unsealed and unqueued, or a seal look missing. (SQLite's transaction is one.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        seal_problems, seals, last_link, last_position = _verify_seals()
        head_problems = _verify_head(seals, last_link, last_position)
        entry_problems, entries, unsealed = _verify_entries(grace)
    problems = entry_problems + seal_problems + head_problems
    return VerifyReport(entries, seals, unsealed, problems)


def verify(
    *, seal: bool = True, grace: dt.timedelta = DEFAULT_GRACE
) -> tuple[int, list[VerifyProblem]]:
    """Recompute the trail; report every entry or seal that was edited, removed or inserted."""
    report = verify_report(seal=seal, grace=grace)
    return report.entries, report.problems


def chain_head() -> AuditHead | None:
    """The chain head (the sealer's row); ``chain_anchor`` is what to keep outside Setu."""
    return AuditHead.objects.filter(id=1).first()


ANCHOR_TAG = "setu-audit-anchor/1"
_ANCHOR_RE = re.compile(
    r"^" + re.escape(ANCHOR_TAG) + r" count=(?P<count>\d+) seq=(?P<seq>\d+) "
    r"hash=(?P<hash>[0-9a-f]{64}) at=(?P<at>\S+) mac=(?P<mac>[0-9a-f]{64})$"
)


@dataclass(frozen=True)
class Anchor:
    """The chain's newest seal at a moment: how many seals, which entry, which hash, when."""

    count: int
    seq: int
    link_hash: str
    at: dt.datetime

    def body(self) -> str:
        """The signed part of the anchor line."""
        return (
            f"{ANCHOR_TAG} count={self.count} seq={self.seq} hash={self.link_hash} "
            f"at={self.at.isoformat()}"
        )

    def line(self) -> str:
        """One line to keep where Setu cannot write; the MAC shows it came from this Setu."""
        return f"{self.body()} mac={_anchor_mac(self.body())}"


def _anchor_mac(body: str) -> str:
    return salted_hmac("setu.audit.anchor", body, algorithm="sha256").hexdigest()


def chain_anchor() -> Anchor:
    """Seal what waits and describe the newest seal, for ``setu audit anchor``."""
    chain_seal()
    newest = AuditSeal.objects.order_by("-position").first()
    if newest is None:
        return Anchor(0, 0, GENESIS, timezone.now())
    return Anchor(newest.position, newest.entry_seq, newest.link_hash, timezone.now())


def anchors_check(lines: Iterable[str]) -> list[VerifyProblem]:
    """Check that the chain still passes through every anchored head in ``lines``.

    A chain cut back (newest seals deleted and the head rewound) or emptied by TRUNCATE
    verifies on its own; it cannot also contain a head anchored before the cut.
    """
    problems: list[VerifyProblem] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        match = _ANCHOR_RE.match(text)
        if match is None:
            problems.append(
                VerifyProblem(None, f"anchor line {number} is not an anchor", ProblemKind.ANCHOR)
            )
            continue
        body = text.rsplit(" mac=", 1)[0]
        if not hmac.compare_digest(match["mac"], _anchor_mac(body)):
            problems.append(
                VerifyProblem(
                    None,
                    f"anchor line {number} was altered or written by another installation",
                    ProblemKind.ANCHOR,
                )
            )
            continue
        count, when = int(match["count"]), match["at"]
        if count == 0:
            continue
        seal = (
            AuditSeal.objects.filter(position=count).values_list("entry_seq", "link_hash").first()
        )
        if seal is None:
            held = AuditSeal.objects.count()
            problems.append(
                VerifyProblem(
                    None,
                    f"anchor line {number} ({when}) saw {count} seals but the chain now holds "
                    f"{held}: the newest entries were removed or the tables truncated",
                    ProblemKind.TRUNCATED,
                )
            )
        elif seal != (int(match["seq"]), match["hash"]):
            problems.append(
                VerifyProblem(
                    None,
                    f"anchor line {number} ({when}): the chain no longer passes through the "
                    f"anchored seal {count}: it was rewritten",
                    ProblemKind.ANCHOR,
                )
            )
    return problems


EXPORT_PASSWORD_MIN = 12
_SPOOL_BYTES = 8 * 1024 * 1024
# What ``export_package`` puts in the ZIP: (name, text lines or bytes) pairs, or a function of
# the watermark returning them.
ExportFiles = (
    Iterable[tuple[str, Iterable[str] | bytes]]
    | Callable[[str], Iterable[tuple[str, Iterable[str] | bytes]]]
)


def _watermark(actor: Actor, at: dt.datetime, export_id: str) -> str:
    from django.utils.translation import gettext as _

    from setu.audit import selectors

    names = selectors.organisation_names(actor=actor, ids={actor.organisation_id})
    return _(
        "Exported from Setu by %(user)s (%(organisation)s) on %(day)s at %(time)s. "
        "Export %(id)s. Do not pass this file on."
    ) % {
        "user": actor.user.username,
        "organisation": names.get(actor.organisation_id) or "-",
        "day": timezone.localtime(at).strftime("%d-%m-%Y"),
        "time": timezone.localtime(at).strftime("%H:%M"),
        "id": export_id,
    }


def export_package(
    *,
    actor: Actor,
    fmt: str,
    files: ExportFiles,
    password: str,
    target: Any,
    details: dict[str, Any],
) -> IO[bytes]:
    """The one way a file leaves Setu from the pages: allowed per format, watermarked,
    encrypted with the user's password and audited, in the caller's transaction.

    ``fmt`` names a format in the policy's export table (``export.<fmt>``). The result is a
    ZIP encrypted with AES-256 (WinZip AE-2: 7-Zip, WinZip, macOS Archive Utility with a
    helper, Linux ``7z``), holding ``WATERMARK.txt`` and ``files``; the ZIP's comment carries
    the watermark too. ``files`` is a list of ``(name, body)``, or a function given the
    watermark that returns one (for files that carry it inside: a JSON key, a PDF's pages). A
    body of text lines is written after a ``# <watermark>`` line; a body of bytes is written as
    it is. Returned as a file positioned at its start (in memory up to 8 MiB, then on disk).
    """
    import tempfile
    import uuid

    import pyzipper
    from django.utils.translation import gettext as _

    from setu.access import policy
    from setu.core.errors import InvalidInput

    policy.require_allowed(actor, policy.Action.EXPORT, f"export.{fmt}")
    if len(password) < EXPORT_PASSWORD_MIN:
        raise InvalidInput(
            {"password": [_("Use at least %(n)d characters.") % {"n": EXPORT_PASSWORD_MIN}]}
        )
    export_id = str(uuid.uuid4())
    mark = _watermark(actor, timezone.now(), export_id)
    out = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115  (returned open)
    names = []
    with pyzipper.AESZipFile(
        out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.comment = mark.encode("utf-8")
        archive.writestr("WATERMARK.txt", mark + "\n")
        for name, body in files(mark) if callable(files) else files:
            names.append(name)
            with archive.open(name, "w") as member:
                if isinstance(body, bytes):
                    member.write(body)
                    continue
                member.write(("# " + mark + "\n").encode("utf-8"))
                for line in body:
                    member.write(line.encode("utf-8"))
    out.seek(0)
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=target,
        details={
            **details,
            "format": fmt,
            "export_id": export_id,
            "files": names,
            "encryption": "zip-aes-256",
        },
    )
    return out


def entry_export(*, actor: Actor, filters: Any = None, password: str) -> IO[bytes]:
    """The actor's organisation's trail, filtered, as an encrypted, watermarked CSV in a ZIP;
    the export is audited (``export_package``)."""
    import csv
    import io

    from setu.audit import export, selectors

    entries = selectors.entry_list(actor=actor, filters=filters)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in export.rows(actor=actor, entries=entries.iterator(chunk_size=500)):
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return export_package(
        actor=actor,
        fmt="audit_trail_csv",
        files=[(f"audit-trail-{stamp}.csv", lines())],
        password=password,
        target=("audit.auditentry", "", actor.organisation_id),
        details={
            "what": "audit_trail",
            "filters": filters.as_details() if filters is not None else {},
            "rows": entries.count(),
        },
    )


PERSON_ACCESS_FORMATS = ("csv", "json")


def person_access_export(*, actor: Actor, person_id: Any, fmt: str, password: str) -> IO[bytes]:
    """Every access to one person's records as an encrypted, watermarked CSV or JSON in a ZIP,
    for the 72-hour notice of the DPDP Rules; the export is audited (``export_package``).

    The breach report of ``selectors.person_access_list``; the rows are read before the export
    entry is written, so the file lists the accesses up to the moment it was asked for. The
    file is named by date only: a person's name never goes into a file name or URL.
    """
    import csv
    import io

    from setu.access import policy
    from setu.audit import export, selectors

    policy.require_allowed(actor, policy.Action.EXPORT, f"export.person_access_{fmt}")
    entries = list(selectors.person_access_list(actor=actor, person_id=person_id))
    name = f"person-accesses-{timezone.localtime().strftime('%Y%m%d-%H%M')}.{fmt}"

    def files(mark: str) -> list[tuple[str, Iterable[str] | bytes]]:
        if fmt == "json":
            body = {
                "watermark": mark,
                "person_id": str(person_id),
                "generated_at": timezone.now().isoformat(),
                "accesses": export.records(actor=actor, entries=entries),
            }
            return [(name, json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))]
        buffer = io.StringIO()
        csv.writer(buffer).writerows(export.rows(actor=actor, entries=entries))
        return [(name, [buffer.getvalue()])]

    return export_package(
        actor=actor,
        fmt=f"person_access_{fmt}",
        files=files,
        password=password,
        target=("registry.person", str(person_id), actor.organisation_id),
        details={"what": "person_access_report", "rows": len(entries)},
    )


def denial_record(*, request: HttpRequest, exc: Denied) -> None:
    """Write a DENIED entry for a refused request, outside its (rolled-back) transaction."""
    from setu.access.actor import actor_of, client_ip

    user = getattr(request, "user", None)
    actor = actor_of(request) if user is not None and user.is_authenticated else None
    record(
        actor=actor,
        action=AuditAction.DENIED,
        outcome=Outcome.DENIED,
        target=exc.target or ("url", "", None),
        details={"attempted": exc.action, "path": request.path, "method": request.method},
        ip_address=client_ip(request),
    )
