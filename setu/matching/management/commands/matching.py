"""``setu matching rematch|status|lapsed``: rebuild the match index and re-check the whole
network; ``lapsed`` is the old name of ``setu consent lapsed``, kept for existing crontabs."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from setu.consent import services as consent_services
from setu.matching import services


class Command(BaseCommand):
    help = "Re-index every person and re-check them against the network (batched, resumable)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        rematch = sub.add_parser(
            "rematch",
            help="Re-check persons whose index entry is missing or from another engine version "
            "(all of them with --all). Safe to stop and run again: it resumes.",
        )
        rematch.add_argument(
            "--batch",
            type=int,
            default=None,
            help="Persons per transaction (500; 5000 index-only).",
        )
        rematch.add_argument("--all", action="store_true", help="Re-check even up-to-date records.")
        rematch.add_argument("--after", default=None, help="Resume after this person id.")
        rematch.add_argument(
            "--before",
            default=None,
            help="With --index-only: stop at this person id (split a re-index between processes).",
        )
        rematch.add_argument(
            "--index-only",
            action="store_true",
            help="Rebuild the index without matching, in bulk (a national re-index: ~1,000 "
            "persons/s per process).",
        )
        sub.add_parser("status", help="How many persons are indexed with the current engine.")
        sub.add_parser(
            "lapsed",
            help="Same as 'setu consent lapsed': retire expired consents, which re-indexes "
            "their persons and withdraws the pairs they allowed (run daily).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "status":
            done, total = services.index_progress()
            self.stdout.write(
                f"{done} of {total} persons indexed with engine {services.ENGINE_VERSION}"
            )
            return
        if options["subcommand"] == "lapsed":
            count = consent_services.consents_lapse()
            self.stdout.write(f"{count} expired consents retired")
            return
        done, total = services.index_progress()
        todo = total if options["all"] else total - done
        self.stdout.write(
            f"re-checking {todo} of {total} persons (engine {services.ENGINE_VERSION})"
        )
        after, seen, started = options["after"], 0, time.monotonic()
        index_only = options["index_only"]
        if options["before"] and not index_only:
            raise CommandError("--before is for --index-only")
        size = options["batch"] or (5000 if index_only else 500)
        while True:
            if index_only:
                count, after = services.index_batch(
                    after=after, before=options["before"], size=size, stale_only=not options["all"]
                )
            else:
                count, after = services.rematch_batch(
                    after=after, size=size, stale_only=not options["all"]
                )
            if not count:
                break
            seen += count
            rate = seen / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"  {seen}/{todo}  {rate:.0f} persons/s  (resume: --after {after})")
        alerts = 0 if options["index_only"] else services.retrafficking_sweep()
        self.stdout.write(
            self.style.SUCCESS(
                f"done: {seen} persons {'indexed' if index_only else 're-checked'}, "
                f"{alerts} re-trafficking alerts"
            )
        )
