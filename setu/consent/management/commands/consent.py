"""``setu consent lapsed``: retire consents whose expiry date has passed (run daily)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from setu.consent import services


class Command(BaseCommand):
    help = "Consent upkeep."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser(
            "lapsed",
            help="Retire consents whose expiry date has passed: end their case shares and tell "
            "referrals and matching (run daily; safe to run again).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = services.consents_lapse()
        self.stdout.write(f"{count} expired consents retired")
