"""``setu backup`` and ``setu restore`` (issue 28, promise 7).

The backup is taken from the test database in this process; the restore runs as the real
command, in a subprocess, into a second database that is newly migrated and empty, and the
audit trail is verified there with ``setu audit verify``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry
from setu.backup import services
from setu.core import uploads
from setu.core.sealed_stream import open_sealed
from setu.registry import services as services_registry
from setu.registry.models import Attachment, Person
from setu.registry.tests import uploadfiles
from tests import db_template

ROOT = Path(__file__).resolve().parents[3]
PASS = "a long backup passphrase"
PHONE = "+919812300077"


def _setu(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own interpreter and command)
        [sys.executable, "-m", "setu.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def empty_database(tmp_path) -> Iterator[str]:
    """The URL of a second database of the same kind as the tests', newly migrated: a copy of
    the template the test database was copied from (tests/db_template.py), or else migrated
    here (a subprocess, 20 s of CPU)."""
    settings = connection.settings_dict
    template = db_template.in_use()
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        url = f"sqlite:///{path}"
        drop = None
        if template:
            shutil.copyfile(template, path)
    else:
        import psycopg

        name = f"setu_restore_{uuid.uuid4().hex[:10]}"
        params = {
            "host": settings["HOST"] or "127.0.0.1",
            "port": settings["PORT"] or 5432,
            "user": settings["USER"],
            "password": settings["PASSWORD"] or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            copy = f' TEMPLATE "{template}"' if template else ""
            admin.execute(f'CREATE DATABASE "{name}"{copy}')
        password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
        url = f"postgres://{settings['USER']}{password}@{params['host']}:{params['port']}/{name}"

        def drop() -> None:
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    env = _env(url)
    if not template:
        migrated = _setu(env, "migrate", "--no-input", "-v", "0")
        assert migrated.returncode == 0, migrated.stderr
    yield url
    if drop is not None:
        drop()


def _env(url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SETU_BACKUP")}
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="setu.test_settings",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


@pytest.fixture
def backup_file(personas, tmp_path, monkeypatch) -> tuple[Path, str]:
    """A backup of a small network whose trail holds reads, writes and a sealed chain, and a
    photo of the survivor (its file travels in the backup)."""
    services_registry.attachment_add(
        actor=personas["lead"],
        person=personas.person,
        kind="photo",
        upload=uploadfiles.upload(uploadfiles.photo()),
    )
    # An encrypted column: the backup carries its ciphertext, the restore writes it back.
    services_registry.phone_add(actor=personas["lead"], person=personas.person, number=PHONE)
    for _ in range(3):
        audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    audit.chain_seal()
    audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    path = tmp_path / "network.setubak"
    monkeypatch.setenv("SETU_BACKUP_PASSPHRASE", PASS)
    out = StringIO()
    call_command("backup", str(path), stdout=out)
    assert re.match(
        r"Backed up \d+ rows of \d+ tables to .*, with 1 attachment files", out.getvalue()
    )
    return path, personas.person.given_name


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def test_a_backup_restores_into_an_empty_database_and_its_trail_verifies(
    backup_file, empty_database, tmp_path
):
    path, name = backup_file
    blob = path.read_bytes()
    assert name.encode() not in blob and b"auditentry" not in blob  # nothing readable
    photo = Attachment.objects.get()
    kept = uploads.stored_path(photo.stored_name).read_bytes()
    assert kept not in blob and kept[:64] not in blob
    restored_uploads = tmp_path / "restored-uploads"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    entries = AuditEntry.objects.count()

    # A wrong passphrase: one line, nothing restored.
    wrong = _setu(
        _env(
            empty_database,
            SETU_BACKUP_PASSPHRASE="not the passphrase",
            SETU_UPLOAD_DIR=str(restored_uploads),
        ),
        "restore",
        str(path),
    )
    assert wrong.returncode == 1
    assert "wrong passphrase" in _one_line(wrong.stderr)

    # One byte changed in the middle: one line, nothing restored.
    tampered = tmp_path / "tampered.setubak"
    damaged = bytearray(blob)
    damaged[len(damaged) // 2] ^= 0x40
    tampered.write_bytes(bytes(damaged))
    refused = _setu(
        _env(empty_database, SETU_BACKUP_PASSPHRASE=PASS, SETU_UPLOAD_DIR=str(restored_uploads)),
        "restore",
        str(tampered),
    )
    assert refused.returncode == 1
    assert re.search(r"altered or damaged|cut short", _one_line(refused.stderr))
    assert "nothing was restored" in refused.stderr
    assert not list(restored_uploads.glob("??/*"))  # no file of a refused restore is left

    env = _env(empty_database, SETU_BACKUP_PASSPHRASE=PASS, SETU_UPLOAD_DIR=str(restored_uploads))
    restored = _setu(env, "restore", str(path))
    assert restored.returncode == 0, restored.stderr
    assert "and 1 attachment files" in restored.stdout
    # The photo's file is back under its name, byte for byte.
    back = restored_uploads / photo.stored_name[:2] / photo.stored_name
    assert back.read_bytes() == kept
    # Every entry of the source, plus the restore's own entry, and the chain holds.
    assert f"Audit trail: {entries + 1} entries" in restored.stdout
    assert "intact" in restored.stdout
    verified = _setu(env, "audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # The person is back, under the same id, readable by name; her phone (encrypted at rest,
    # bound to its row) opens and is found by its blind index again.
    script = (
        "import django; django.setup();"
        "from setu.registry.models import Person, Phone;"
        f"p = Person.objects.get(pk='{Person.objects.get().pk}');"
        "i = Phone._meta.get_field('number_index').digest(p.phones.get().number);"
        "print(p.given_name, p.phones.get().number, Phone.objects.filter(number_index=i).count())"
    )
    shown = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert shown.stdout.strip() == f"{name} {PHONE} 1", shown.stderr

    # A second restore over the restored data is refused: a restore never merges.
    again = _setu(env, "restore", str(path))
    assert again.returncode == 1
    assert "not empty" in _one_line(again.stderr)


def test_the_backup_is_audited(backup_file):
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT, target_type="backup").get()
    assert entry.details["what"] == "backup"


def test_the_backup_header_names_the_migrations_and_counts_match(backup_file):
    path, _ = backup_file
    with path.open("rb") as handle:
        header = services.backup_header(source=handle, passphrase=PASS)
    assert header["format"] == services.FORMAT
    assert "audit.0002_append_only" in header["migrations"]
    assert "audit.auditentry" in header["tables"]
    assert "sessions.session" not in header["tables"]


def test_restore_into_this_populated_database_is_refused_in_process(backup_file, monkeypatch):
    path, _ = backup_file
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), stdout=StringIO())
    assert AuditEntry.objects.count() == before


def test_a_short_passphrase_is_refused(tmp_path, monkeypatch, db):
    monkeypatch.setenv("SETU_BACKUP_PASSPHRASE", "short")
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("backup", str(tmp_path / "b.setubak"))
    assert not list(tmp_path.iterdir())


def test_an_attachment_whose_file_is_gone_is_counted_not_fatal(personas, tmp_path, monkeypatch):
    photo = services_registry.attachment_add(
        actor=personas["lead"],
        person=personas.person,
        kind="photo",
        upload=uploadfiles.upload(uploadfiles.photo()),
    )
    uploads.remove_stored(photo.stored_name)
    monkeypatch.setenv("SETU_BACKUP_PASSPHRASE", PASS)
    out, err = StringIO(), StringIO()
    call_command("backup", str(tmp_path / "b.setubak"), stdout=out, stderr=err)
    assert "with 0 attachment files" in out.getvalue()
    assert "1 attachments had no file" in err.getvalue()


def test_the_backup_carries_encrypted_columns_as_ciphertext(backup_file):
    path, _name = backup_file
    with path.open("rb") as source:
        text = b"".join(open_sealed(source, PASS)).decode()
    assert PHONE not in text and PHONE[3:] not in text
    table = text.index('"table":"registry.phone"')
    assert '"vdev:' in text[table : text.index('"table"', table + 10)]
