"""Encrypted backup and restore of the whole database, the same way on SQLite and PostgreSQL.

A backup is one JSON Lines stream, compressed and sealed by ``core.sealed_stream``: a header
(format, time, database vendor, the migrations applied, the content types and permissions by
natural key), then table by table a line naming the columns and one line per row, and a
trailer with the row counts. Rows are read with ``values_list(...).iterator()`` and written
as they come, and restore inserts them in batches as they are read, so a dump of any size
passes through a fixed amount of memory.

Attachments (photos and documents, ``SETU_UPLOAD_DIR``) travel in the same stream, after the
tables: each file as a line naming it (with its SHA-256 from the attachment's row) and its
bytes in base64 lines of ``FILE_CHUNK`` bytes. Restore writes them back under the same names
and checks each checksum, so one encrypted file holds everything a restore needs.

Why not ``pg_dump``: it needs a client binary matching the server's version, does not exist
for SQLite, and would need a second, untested restore path. One format written through
Django's fields is tested on both databases and can move a SQLite pilot to PostgreSQL. Why not
``dumpdata``: its JSON loader reads the whole file into memory, it builds a model instance per
row, and its encoder drops microseconds from times, which the audit trail's hashes include.
"""

from __future__ import annotations

import base64
import datetime as dt
import getpass
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_string

from setu.access import policy
from setu.audit import services as audit
from setu.core import crypto, uploads
from setu.core.sealed_stream import SealedStreamError, SealedWriter, open_sealed
from setu.registry import selectors as registry

FORMAT = "setu-backup/2"
# Version 1 had no attachments; it still restores.
READABLE = {"setu-backup/1", FORMAT}
FILE_CHUNK = 512 * 1024
# Rebuilt by `migrate` in every database (with its own ids), or worthless after a restore:
# restored sessions would be live logins, so everyone signs in again.
EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
# The append-only audit tables: restore requires them empty and never truncates them (the
# production role may not), so a restore can never replace an existing trail.
AUDIT_TABLES = {"audit.auditentry", "audit.auditseal", "audit.auditpending"}
BATCH = 1000


class BackupError(Exception):
    """A backup or restore refused, with one plain sentence for the operator."""


def _tables() -> list[type[models.Model]]:
    """Every table Setu and its libraries keep, in a stable order (m2m tables included)."""
    out = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in EXCLUDED:
            continue
        if meta.parents:  # multi-table inheritance would need parent rows first
            raise BackupError(f"{meta.label} uses table inheritance, which backup does not handle")
        out.append(model)
    return sorted(out, key=lambda m: m._meta.label_lower)


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.local_concrete_fields)


def _encode(value: Any) -> Any:
    # Full precision: the audit trail hashes the ISO form of its times, microseconds included.
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _line(obj: Any) -> str:
    return json.dumps(obj, default=_encode, ensure_ascii=False, separators=(",", ":")) + "\n"


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _natural_keys() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    types = {
        str(pk): [app, model]
        for pk, app, model in content_type.objects.values_list("pk", "app_label", "model")
    }
    perms = {
        str(pk): [*types[str(ct)], codename]
        for pk, ct, codename in permission.objects.values_list("pk", "content_type", "codename")
    }
    return types, perms


@dataclass
class Summary:
    """What a backup wrote or a restore loaded: rows per table, and the backup's own time."""

    created: str
    rows: dict[str, int] = field(default_factory=dict)
    # Attachment files carried, and attachments whose file was already gone at backup time.
    files: int = 0
    files_missing: int = 0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


# A system read: under row-level security the app's role acting for no organisation would
# otherwise read no person or case at all, and the backup would silently lack them.
@policy.system_read
def backup_write(*, out: BinaryIO, passphrase: str, who: str = "") -> Summary:
    """Write an encrypted backup of every table to ``out``; the backup is itself audited.

    The tables are read in one transaction (on PostgreSQL ``REPEATABLE READ``), so the backup
    is one consistent moment even while Setu keeps working.
    """
    with transaction.atomic():
        audit.record(
            actor=None,
            action=audit.AuditAction.EXPORT,
            target=("backup", "", None),
            details={"what": "backup", "by": who or _os_user()},
        )
    writer = SealedWriter(out, passphrase)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        types, perms = _natural_keys()
        tables = _tables()
        summary = Summary(created=timezone.now().isoformat())
        writer.write(
            _line(
                {
                    "format": FORMAT,
                    "created": summary.created,
                    "vendor": connection.vendor,
                    "migrations": _applied_migrations(),
                    "content_types": types,
                    "permissions": perms,
                    "tables": [m._meta.label_lower for m in tables],
                }
            )
        )
        for model in tables:
            columns = _columns(model)
            label = model._meta.label_lower
            writer.write(_line({"table": label, "columns": [f.attname for f in columns]}))
            rows = (
                model._base_manager.order_by("pk")
                .values_list(*(f.attname for f in columns))
                .iterator(chunk_size=2000)
            )
            count = 0
            for row in rows:
                writer.write(_line(row))
                count += 1
            summary.rows[label] = count
        _write_files(writer, summary)
        writer.write(
            _line(
                {
                    "end": True,
                    "rows": summary.rows,
                    "files": summary.files,
                    "files_missing": summary.files_missing,
                }
            )
        )
    writer.close()
    return summary


def _write_files(writer: SealedWriter, summary: Summary) -> None:
    """Every attachment's file, after the tables: a line naming it, then its bytes in base64."""
    for name, sha256 in registry.attachments_for_backup().values_list("stored_name", "sha256"):
        try:
            handle = uploads.open_stored(name)
        except FileNotFoundError:
            summary.files_missing += 1
            continue
        with handle:
            data = handle.read()
        chunks = range(0, len(data), FILE_CHUNK)
        writer.write(
            _line({"file": name, "sha256": sha256, "size": len(data), "chunks": len(chunks)})
        )
        for start in chunks:
            piece = base64.b64encode(data[start : start + FILE_CHUNK]).decode("ascii")
            writer.write(_line({"data": piece}))
        summary.files += 1


class _FileLoader:
    """Writes the attachment files of a backup back under their names, checking each checksum;
    remembers what it wrote so that a failed restore leaves no file behind."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def load(self, header: dict[str, Any], lines: Iterator[Any]) -> None:
        name, expected = str(header.get("file")), header.get("sha256")
        parts = []
        for _ in range(int(header.get("chunks", 0))):
            item = next(lines, None)
            if not isinstance(item, dict) or "data" not in item:
                raise BackupError("the backup ends inside an attachment's file: it is incomplete")
            parts.append(base64.b64decode(item["data"]))
        data = b"".join(parts)
        if hashlib.sha256(data).hexdigest() != expected or len(data) != header.get("size"):
            raise BackupError("an attachment's file in the backup does not match its checksum")
        try:
            uploads.store_as(name, data)
        except ValueError as exc:
            raise BackupError("the backup names an attachment file wrongly") from exc
        self.written.append(name)

    def undo(self) -> None:
        for name in self.written:
            uploads.remove_stored(name)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _lines(chunks: Iterable[bytes]) -> Iterator[Any]:
    """Decoded JSON values, one per line, from a stream of decrypted chunks."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for raw in complete:
            yield json.loads(raw)
    if pending.strip():
        yield json.loads(pending)


def backup_header(*, source: BinaryIO, passphrase: str) -> dict[str, Any]:
    """The header of a backup (decrypts only its first chunk)."""
    lines = _lines(_opened(source, passphrase))
    try:
        return _header(next(lines, None))
    finally:
        lines.close()


def _opened(source: BinaryIO, passphrase: str) -> Iterator[bytes]:
    try:
        return open_sealed(source, passphrase)
    except SealedStreamError as exc:
        raise BackupError(str(exc)) from exc


def _header(first: Any) -> dict[str, Any]:
    if not isinstance(first, dict) or first.get("format") not in READABLE:
        raise BackupError("this file is not a Setu backup of a format this release reads")
    return first


def _check_target(header: dict[str, Any]) -> None:
    here = set(_applied_migrations())
    there = set(header["migrations"])
    if here != there:
        missing = sorted(there - here)
        extra = sorted(here - there)
        example = f"{missing[0]} is not applied here" if missing else f"{extra[0]} is newer here"
        raise BackupError(
            "the database is not at the backup's migrations "
            f"({example}): restore with the release that made the backup, then upgrade"
        )
    user = apps.get_model(settings.AUTH_USER_MODEL)
    occupied = {
        label: apps.get_model(label)._base_manager.count()
        for label in [*sorted(AUDIT_TABLES), user._meta.label_lower]
    }
    held = {label: n for label, n in occupied.items() if n}
    if held:
        what = ", ".join(f"{n} rows in {label}" for label, n in held.items())
        raise BackupError(
            f"the database is not empty ({what}): restore only into a newly migrated database"
        )


def _remap(header: dict[str, Any]) -> dict[type[models.Model], dict[str, Any]]:
    """Content type and permission ids of the backup → ids of this database (natural keys)."""
    types, perms = _natural_keys()
    type_by_key = {tuple(key): int(pk) for pk, key in types.items()}
    perm_by_key = {tuple(key): int(pk) for pk, key in perms.items()}
    out: dict[type[models.Model], dict[str, Any]] = {
        apps.get_model("contenttypes", "ContentType"): {},
        apps.get_model("auth", "Permission"): {},
    }
    content_type, permission = list(out)
    for pk, key in header["content_types"].items():
        if tuple(key) in type_by_key:
            out[content_type][pk] = type_by_key[tuple(key)]
    for pk, key in header["permissions"].items():
        if tuple(key) in perm_by_key:
            out[permission][pk] = perm_by_key[tuple(key)]
    return out


class _Loader:
    """Inserts one table's rows in raw batches (no ``save()``, no signals, no auto times)."""

    def __init__(self, model: type[models.Model], names: list[str], remap: dict[Any, Any]) -> None:
        by_attname = {f.attname: f for f in _columns(model)}
        unknown = [name for name in names if name not in by_attname]
        if unknown or len(names) != len(by_attname):
            raise BackupError(
                f"the backup's columns of {model._meta.label_lower} do not match this database"
            )
        self.model, self.names = model, names
        self.fields = [by_attname[name] for name in names]
        self.maps = [
            remap.get(f.related_model) if isinstance(f, models.ForeignKey) else None
            for f in self.fields
        ]
        self.batch: list[models.Model] = []
        self.count = 0

    def add(self, values: list[Any]) -> None:
        row = {}
        for name, fld, mapping, value in zip(
            self.names, self.fields, self.maps, values, strict=True
        ):
            if value is not None and mapping is not None:
                if str(value) not in mapping:
                    raise BackupError(
                        f"{self.model._meta.label_lower} refers to a content type or permission "
                        "this database does not have"
                    )
                value = mapping[str(value)]
            row[name] = None if value is None else fld.to_python(value)
            if isinstance(fld, crypto.EncryptedTextField) and value:
                # Ciphertext as the backup carries it, written back unopened: it opens only
                # with the field keys, which travel apart from backups.
                row[name] = crypto.Verbatim(value)
        self.batch.append(self.model(**row))
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        fields = [f for f in self.fields]
        size = connection.ops.bulk_batch_size(fields, self.batch) or len(self.batch)
        manager = self.model._base_manager
        for start in range(0, len(self.batch), size):
            manager._insert(self.batch[start : start + size], fields=fields, raw=True)
        self.count += len(self.batch)
        self.batch = []


def _flush_tables(tables: list[type[models.Model]]) -> None:
    """Empty what ``migrate`` filled (reference data, the chain head) before loading."""
    names = [m._meta.db_table for m in tables if m._meta.label_lower not in AUDIT_TABLES]
    statements = connection.ops.sql_flush(no_style(), names, reset_sequences=False)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def backup_restore(*, source: BinaryIO, passphrase: str) -> Summary:
    """Load a backup into a newly migrated, empty database, in one transaction.

    Refused when the passphrase is wrong, the file was altered or cut short (nothing of it
    stays: the transaction rolls back), the database holds users or audit entries, or its
    migrations differ from the backup's. The restore itself is then audited.
    """
    lines = _lines(_opened(source, passphrase))
    files = _FileLoader()
    try:
        with transaction.atomic():
            header = _header(next(lines, None))
            _check_target(header)
            remap = _remap(header)
            known = {m._meta.label_lower: m for m in _tables()}
            _flush_tables(list(known.values()))
            summary = Summary(created=header["created"])
            loader: _Loader | None = None
            ended = False
            for item in lines:
                if isinstance(item, list):
                    if loader is None:
                        raise BackupError("the backup has rows before any table")
                    loader.add(item)
                    continue
                if loader is not None:
                    loader.flush()
                    summary.rows[loader.model._meta.label_lower] = loader.count
                    loader = None
                if "file" in item:
                    files.load(item, lines)
                    summary.files += 1
                    continue
                if item.get("end"):
                    if item.get("rows") != summary.rows:
                        raise BackupError("the backup's row counts do not match its rows")
                    if item.get("files", 0) != summary.files:
                        raise BackupError("the backup's file count does not match its files")
                    summary.files_missing = item.get("files_missing", 0)
                    ended = True
                    break
                label = item.get("table")
                if label not in known:
                    raise BackupError(f"the backup has a table this release does not: {label}")
                loader = _Loader(known[label], item["columns"], remap)
            if not ended:
                raise BackupError("the backup ends before its trailer: it is incomplete")
            if next(lines, None) is not None:
                raise BackupError("the backup has data after its trailer")
            _reset_sequences(list(known.values()))
            audit.record(
                actor=None,
                action=audit.AuditAction.ADMIN,
                target=("backup", "", None),
                details={
                    "what": "restore",
                    "backup_created": header["created"],
                    "rows": summary.total,
                    "files": summary.files,
                    "by": _os_user(),
                },
            )
    except SealedStreamError as exc:
        files.undo()
        raise BackupError(str(exc)) from exc
    except BaseException:
        files.undo()
        raise
    finally:
        lines.close()
    return summary


def _reset_sequences(tables: list[type[models.Model]]) -> None:
    """Point PostgreSQL's id sequences past the restored ids (SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
