"""``setu keys``: status, rotate, reindex and new keys for the encrypted columns."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from setu.core import crypto
from setu.fieldkeys import services


class Command(BaseCommand):
    help = (
        "Field encryption keys (docs/deployment.md §12). status: key ids in force and the rows "
        "under each; rotate: re-encrypt every value under the newest key (resumable); reindex: "
        "recompute the blind indexes after a new index key; new: print a fresh random key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="Key ids, the current one, and the rows under each.")
        for name in ("rotate", "reindex"):
            p = sub.add_parser(name)
            p.add_argument("--batch", type=int, default=500, help="Rows per transaction.")
        sub.add_parser("new", help="Print a fresh random key (base64 of 32 bytes).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "new":
            self.stdout.write(crypto.new_key())
            return
        batch = options.get("batch") or 500
        if batch < 1:
            raise CommandError("--batch must be at least 1")

        def progress(table: str, n: int) -> None:
            self.stdout.write(f"  {table}: {n}")

        if action == "rotate":
            done = services.keys_rotate(batch=batch, progress=progress)
            self.stdout.write(
                f"Rotated {sum(done.values())} rows to key {crypto.keyring().current}."
            )
        elif action == "reindex":
            done = services.keys_reindex(batch=batch, progress=progress)
            self.stdout.write(f"Re-indexed {sum(done.values())} rows.")
        status = services.key_status()
        self._status(status)
        if status.unreadable:
            raise CommandError(
                f"{status.unreadable} values are under no configured key: put the retired key "
                "back in SETU_FIELD_KEYS, or restore them from a backup."
            )

    def _status(self, status: services.KeyStatus) -> None:
        kind = " (derived from the secret key: development only)" if status.derived else ""
        self.stdout.write(f"Keys: {', '.join(status.key_ids)}; current: {status.current}{kind}")
        for col in status.columns:
            counts = ", ".join(f"{k}: {n}" for k, n in col.by_key.items() if n or k != "other")
            self.stdout.write(f"  {col.table}.{col.column}: {counts}")
        for kid in status.retirable:
            self.stdout.write(f"Key {kid} holds no value any more: it may be retired.")
