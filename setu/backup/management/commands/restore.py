"""``setu restore FILE``: load an encrypted backup into a newly migrated, empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.audit import services as audit
from setu.backup import services
from setu.backup.management.commands._passphrase import passphrase


class Command(BaseCommand):
    help = (
        "Restore a backup written by 'setu backup' into this database, which must be newly "
        "migrated (same release) and hold no users or audit entries; then verify the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup to restore.")
        parser.add_argument("--passphrase-file", type=Path, help="Read the passphrase from here.")
        parser.add_argument(
            "--no-verify", action="store_true", help="Skip 'setu audit verify' afterwards."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        secret = passphrase(options["passphrase_file"], confirm=False)
        try:
            with source.open("rb") as handle:
                summary = services.backup_restore(source=handle, passphrase=secret)
        except OSError as exc:
            raise CommandError(f"cannot read {source}: {exc.strerror}") from exc
        except services.BackupError as exc:
            raise CommandError(f"{source}: {exc}; nothing was restored") from exc
        self.stdout.write(
            f"Restored {summary.total} rows of {len(summary.rows)} tables and {summary.files} "
            f"attachment files from the backup made at {summary.created}."
        )
        if options["no_verify"]:
            return
        report = audit.verify_report()
        if report.problems:
            for problem in report.problems[:20]:
                self.stderr.write(f"audit entry {problem.seq}: {problem.message}")
            raise CommandError(
                f"the restored audit trail does not verify ({len(report.problems)} problems)",
                returncode=1,
            )
        self.stdout.write(f"Audit trail: {report.entries} entries, {report.seals} seals, intact.")
