"""``setu shelters release-expired | nudge [--enqueue]``: the sweeps, from cron or by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from setu.shelters import services, tasks


class Command(BaseCommand):
    help = "Shelter capacity upkeep: release expired bed holds, nudge shelters with stale counts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        release = sub.add_parser("release-expired", help="End bed holds whose time has run out.")
        nudge = sub.add_parser("nudge", help="Ask shelters with stale counts to confirm them.")
        for p in (release, nudge):
            p.add_argument(
                "--enqueue",
                action="store_true",
                help="Put the job on the task queue instead of running it here.",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        what, enqueue = options["what"], options["enqueue"]
        job = (
            tasks.release_expired_holds if what == "release-expired" else tasks.nudge_stale_capacity
        )
        if enqueue:
            result = job.enqueue()
            self.stdout.write(f"enqueued {job.name} ({result.id})")
            return
        if what == "release-expired":
            count = services.bed_holds_release_expired()
            self.stdout.write(f"released {count} bed hold(s)")
        else:
            count = services.capacity_nudge_stale()
            self.stdout.write(f"nudged {count} shelter(s)")
