"""``setu legal remind``: remind of hearings in the next days (run daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Legal tasks. remind: send hearing reminders now (or --enqueue on the task queue)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        remind = sub.add_parser("remind", help="Remind of hearings in the next days.")
        remind.add_argument(
            "--enqueue", action="store_true", help="Put the sweep on the task queue instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from setu.legal.tasks import send_hearing_reminders

        if options.get("enqueue"):
            result = send_hearing_reminders.enqueue()
            self.stdout.write(f"Enqueued hearing reminder sweep {result.id}.")
            return
        sent = send_hearing_reminders.call()
        self.stdout.write(f"Reminded of {sent} hearing(s).")
