"""``setu referrals remind``: remind about referrals waiting too long (run from cron or a timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Referral tasks. remind: send reminders now (or --enqueue on the task queue)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        remind = sub.add_parser("remind", help="Remind about overdue referrals.")
        remind.add_argument(
            "--enqueue", action="store_true", help="Put the sweep on the task queue instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from setu.referrals.tasks import send_referral_reminders

        if options.get("enqueue"):
            result = send_referral_reminders.enqueue()
            self.stdout.write(f"Enqueued reminder sweep {result.id}.")
            return
        sent = send_referral_reminders.call()
        self.stdout.write(f"Sent {sent} reminder(s).")
