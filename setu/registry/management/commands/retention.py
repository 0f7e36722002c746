"""``setu retention run``: anonymise closed cases and their persons past the retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from setu.registry.services import retention


class Command(BaseCommand):
    help = (
        "Retention (SETU_RETENTION_DAYS after a case closed): clear the case's free text and, "
        "once all of a person's cases are that old, her names, phones, address lines and "
        "documents. Statistics and the audit trail stay intact. Run daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{run}")
        run = sub.add_parser("run", help="Anonymise what is due.")
        run.add_argument("--dry-run", action="store_true", help="Only count what is due.")
        run.add_argument(
            "--days", type=int, help="Override SETU_RETENTION_DAYS for this run (0: nothing)."
        )
        run.add_argument("--enqueue", action="store_true", help="Hand the run to the task worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from setu.registry.tasks import retention_run

            retention_run.enqueue()
            self.stdout.write("Queued the retention run.")
            return
        result = retention.retention_run(days=options["days"], dry_run=options["dry_run"])
        verb = "Due" if result.dry_run else "Anonymised"
        self.stdout.write(
            f"{verb}: {result.cases} cases closed on or before {result.cutoff.isoformat()}, "
            f"{result.persons} persons."
        )
