"""``setu audit verify``: recompute the audit hash chain and report any tampering."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.audit import services as audit


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' checks the hash chain; exit status 1 means tampering."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify}")
        sub.add_parser(
            "verify",
            help="Recompute every entry's hash and compare the chain with its head.",
            description="Exit status: 0 when the trail is intact, 1 when a problem was found.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self._verify()

    def _verify(self) -> None:
        count, problems = audit.verify()
        self.stdout.write(f"Checked {count} audit entries.")
        head = audit.chain_head()
        if head is not None:
            # Printed so an operator can note it outside Setu: a rewritten chain would differ.
            self.stdout.write(f"Chain head: entry #{head.last_seq}, hash {head.last_hash}")
        for problem in problems:
            where = f"entry #{problem.seq}" if problem.seq is not None else "trail"
            self.stdout.write(f"PROBLEM [{problem.kind}] {where}: {problem.message}")
        if problems:
            raise CommandError(
                f"The audit trail is not intact: {len(problems)} problem(s).", returncode=1
            )
        self.stdout.write(self.style.SUCCESS("The audit trail is intact."))
