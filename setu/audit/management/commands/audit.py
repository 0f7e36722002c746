"""``setu audit seal|anchor|verify``: chain new entries, anchor the chain, check it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.audit import services as audit


class Command(BaseCommand):
    help = (
        "Audit trail tools. 'seal' chains waiting entries; 'anchor' prints or appends the chain "
        "head; 'verify' checks entries, seals and anchors (exit status 1 means tampering)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="subcommand", required=True, metavar="{seal,anchor,verify}"
        )
        sub.add_parser(
            "seal",
            help="Chain the entries written since the last seal (run from cron as a backstop).",
        )
        anchor = sub.add_parser(
            "anchor",
            help="Seal, then write the chain head as one signed line to keep outside Setu.",
        )
        anchor.add_argument(
            "--output",
            type=Path,
            help="Append the line to this file (default: print it, e.g. for cron to mail).",
        )
        verify = sub.add_parser(
            "verify",
            help="Seal, recompute every entry and seal, and compare the chain with its head.",
            description="Exit status: 0 when the trail is intact, 1 when a problem was found.",
        )
        verify.add_argument(
            "--against",
            type=Path,
            action="append",
            default=[],
            help="An anchor file: the chain must still pass through every head it lists.",
        )
        verify.add_argument(
            "--grace",
            type=int,
            default=int(audit.DEFAULT_GRACE.total_seconds()),
            help="Seconds an entry may wait for its seal before that is a problem (default 600).",
        )
        verify.add_argument(
            "--no-seal", action="store_true", help="Check without sealing waiting entries first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "seal":
            self.stdout.write(f"Sealed {audit.chain_seal()} audit entries.")
        elif options["subcommand"] == "anchor":
            self._anchor(options["output"])
        else:
            self._verify(options)

    def _anchor(self, output: Path | None) -> None:
        line = audit.chain_anchor().line()
        if output is None:
            self.stdout.write(line)
            return
        with output.open("a", encoding="ascii") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.stdout.write(f"Appended the chain head to {output}.")

    def _verify(self, options: dict[str, Any]) -> None:
        report = audit.verify_report(
            seal=not options["no_seal"], grace=dt.timedelta(seconds=options["grace"])
        )
        problems = list(report.problems)
        for path in options["against"]:
            try:
                lines = path.read_text(encoding="ascii").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(
                    f"Cannot read the anchor file {path}: {exc.__class__.__name__}"
                ) from exc
            problems += audit.anchors_check(lines)
            self.stdout.write(f"Checked the anchors in {path}.")
        self.stdout.write(f"Checked {report.entries} audit entries.")
        self.stdout.write(f"Checked {report.seals} seals; {report.unsealed} entries await theirs.")
        head = audit.chain_head()
        if head is not None:
            self.stdout.write(
                f"Chain head: seal {head.count}, entry #{head.last_seq}, hash {head.last_hash}"
            )
        for problem in problems:
            where = f"entry #{problem.seq}" if problem.seq is not None else "trail"
            self.stdout.write(f"PROBLEM [{problem.kind}] {where}: {problem.message}")
        if problems:
            raise CommandError(
                f"The audit trail is not intact: {len(problems)} problem(s).", returncode=1
            )
        self.stdout.write(self.style.SUCCESS("The audit trail is intact."))
