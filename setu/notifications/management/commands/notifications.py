"""``setu notifications digest``: send the daily email digests that are due (run from cron daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Notification tasks. digest: send due daily digests now (or --enqueue on the queue)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        digest = sub.add_parser("digest", help="Email the daily digest to users who chose it.")
        digest.add_argument(
            "--enqueue", action="store_true", help="Put the sweep on the task queue instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from setu.notifications.tasks import send_notice_digests

        if options.get("enqueue"):
            result = send_notice_digests.enqueue()
            self.stdout.write(f"Enqueued digest sweep {result.id}.")
            return
        sent = send_notice_digests.call()
        self.stdout.write(f"Sent {sent} digest(s).")
