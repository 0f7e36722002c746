"""``setu demo load|accounts|scenarios|truth``: the demo network for trying Setu (never in production)."""

from __future__ import annotations

import csv
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from setu.access import rls
from setu.demo import network
from setu.demo.loader import (
    DEFAULT_PERSONS,
    DEFAULT_SEED,
    NotEmpty,
    load_network,
    match_story_lines,
    plan_network,
)

REFUSAL = (
    "Refusing to load the demo network: SETU_DEMO_MODE is not true. The demo accounts share a "
    "published password, so they must never exist in a real deployment. To try Setu locally, "
    "run 'make run' (it sets SETU_DEMO_MODE=true) or set SETU_DEMO_MODE=true yourself."
)


class Command(BaseCommand):
    help = (
        "Load the fictional demo network (demo mode only), list its accounts, or write its truth."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="Load the demo network into an empty database.")
        load.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) when any organisation already exists.",
        )
        load.add_argument(
            "--match-story-lines",
            action="store_true",
            help="Then match the story-line persons only (seconds; their pairs and notices are "
            "there at once); 'setu matching rematch' matches the rest of the network.",
        )
        load.add_argument("--persons", type=int, default=DEFAULT_PERSONS)
        load.add_argument("--seed", type=int, default=DEFAULT_SEED)
        sub.add_parser("accounts", help="Print the demo accounts as a Markdown table.")
        sub.add_parser("scenarios", help="Print the demo story-lines as Markdown.")
        truth = sub.add_parser(
            "truth",
            help="Write which person records are the same human being (regenerated, not read "
            "from the database).",
        )
        truth.add_argument("--persons", type=int, default=DEFAULT_PERSONS)
        truth.add_argument("--seed", type=int, default=DEFAULT_SEED)
        truth.add_argument("--output", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        sub = options["subcommand"]
        if sub == "accounts":
            self.stdout.write(network.accounts_markdown(), ending="")
        elif sub == "scenarios":
            from setu.demo.scenarios import scenarios_markdown

            self.stdout.write(scenarios_markdown(), ending="")
        elif sub == "truth":
            self._truth(options)
        else:
            # The demo network is written into every organisation at once: system work, which
            # row-level security admits when the command runs with the app's role (setu_app).
            with rls.system_scope():
                self._load(options)

    def _load(self, options: dict[str, Any]) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(REFUSAL)
        if options["persons"] < 0:
            raise CommandError("--persons must be 0 or more.")
        started = time.perf_counter()
        try:
            plan = load_network(persons=options["persons"], seed=options["seed"])
        except NotEmpty:
            if options["if_empty"]:
                self.stdout.write("Organisations already exist: demo data not loaded (--if-empty).")
                return
            raise CommandError(
                "The database already has organisations; the demo network loads only into an "
                "empty database. Use a fresh database, or --if-empty to skip quietly."
            ) from None
        elapsed = time.perf_counter() - started
        counts = plan.counts()
        self.stdout.write(self.style.SUCCESS(f"Demo network loaded in {elapsed:.1f} s."))
        if options["match_story_lines"]:
            started = time.perf_counter()
            checked, pairs = match_story_lines(plan)
            self.stdout.write(
                f"Story-lines matched in {time.perf_counter() - started:.1f} s: "
                f"{checked} persons checked, {pairs} pairs."
            )
        labels = [
            ("organisation", "organisations"),
            ("user", "user accounts"),
            ("membership", "memberships"),
            ("person", "person records"),
            ("case", "cases"),
            ("caseperson", "people linked to cases"),
            ("traffickingevent", "events"),
            ("caseexploitation", "forms of exploitation"),
            ("casecontrolmeans", "means of control"),
            ("servicerecord", "services"),
            ("casenote", "notes"),
            ("consent", "consent records"),
            ("caseshare", "case shares"),
        ]
        for key, label in labels:
            self.stdout.write(f"  {counts.get(key, 0):>7,}  {label}")
        self.stdout.write(
            f"  (generated from {options['persons']:,} synthetic people, seed {options['seed']})"
        )
        self.stdout.write("")
        self.stdout.write(
            f"Log in with any demo account, e.g. 'mumbai-ngo.caseworker' or "
            f"'{network.PLATFORM_ADMIN_USERNAME}', password: {network.DEMO_PASSWORD}"
        )
        self.stdout.write(
            "All accounts: 'setu demo accounts' or README.md; story-lines: docs/demo.md"
        )

    def _truth(self, options: dict[str, Any]) -> None:
        plan = plan_network(persons=options["persons"], seed=options["seed"])
        with options["output"].open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["person_uuid", "record_id", "true_person_id", "organisation"])
            writer.writerows(plan.truth)
        self.stdout.write(f"Wrote {len(plan.truth):,} rows to {options['output']}")
