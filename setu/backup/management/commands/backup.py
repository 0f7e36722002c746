"""``setu backup FILE``: an encrypted, consistent backup of the whole database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.backup import services
from setu.backup.management.commands._passphrase import passphrase


class Command(BaseCommand):
    help = (
        "Write an encrypted backup (AES-256-GCM, key from a passphrase) of every table to FILE. "
        "The passphrase comes from SETU_BACKUP_PASSPHRASE(_FILE), --passphrase-file or a prompt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Where to write the backup (.setubak).")
        parser.add_argument("--passphrase-file", type=Path, help="Read the passphrase from here.")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["file"]
        secret = passphrase(options["passphrase_file"], confirm=True)
        # Written beside the target and renamed at the end: a failed run leaves no backup that
        # looks whole, and readable by the owner only.
        partial = target.with_name(target.name + ".partial")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as exc:
            raise CommandError(f"cannot write {partial}: {exc.strerror}") from exc
        try:
            with os.fdopen(fd, "wb") as out:
                summary = services.backup_write(out=out, passphrase=secret)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.stdout.write(
            f"Backed up {summary.total} rows of {len(summary.rows)} tables to {target}, "
            f"with {summary.files} attachment files."
        )
        if summary.files_missing:
            self.stderr.write(
                f"{summary.files_missing} attachments had no file in {settings.SETU_UPLOAD_DIR}."
            )
