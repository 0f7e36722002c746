"""``setu fieldops sweep``: raise alerts for missed check-ins and take due escalation steps.

Run it every minute from cron (or ``--enqueue`` it for the worker). It reads deadlines from the
database, so a restarted app or worker loses no alert, and each step is taken exactly once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Field operations. sweep: act on missed check-ins and due escalation steps."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sweep = sub.add_parser("sweep", help="Act on missed check-ins and due escalation steps.")
        sweep.add_argument(
            "--enqueue", action="store_true", help="Put the sweep on the task queue instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from setu.fieldops import services, tasks

        if options.get("enqueue"):
            result = tasks.sweep.enqueue()
            self.stdout.write(f"Enqueued check-in sweep {result.id}.")
            return
        done = services.checkin_sweep()
        self.stdout.write(f"Missed check-ins: {done.missed}; escalation steps taken: {done.steps}.")
