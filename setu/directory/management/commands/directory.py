"""``setu directory export-hsds OUT``: write the service directory in Open Referral HSDS."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.access.actor import actor_for_user


class Command(BaseCommand):
    help = "Service directory tasks. export-hsds OUT: HSDS JSON (.json) or tabular package (.zip)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export-hsds", help="Export the directory in HSDS 3.0.")
        export.add_argument("out", help="Output file: .zip for the CSV package, else JSON.")
        export.add_argument(
            "--user",
            help="Export as this user (audited as them); default: a system export, audited.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from setu.directory import services

        out = Path(options["out"])
        fmt = "zip" if out.suffix.lower() == ".zip" else "json"
        if options.get("user"):
            from setu.accounts import selectors as accounts

            user = accounts.user_find(username=options["user"], active_only=True)
            if user is None:
                raise CommandError("No such active user.")
            data = services.directory_export(actor=actor_for_user(user), fmt=fmt)
        else:
            data = services.directory_export_system(fmt=fmt)
        if fmt == "zip":
            out.write_bytes(data)  # type: ignore[arg-type]
        else:
            out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(f"Wrote {out} ({fmt}).")
