"""Where ``setu backup`` and ``setu restore`` take the passphrase from."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from django.core.management.base import CommandError

from setu.env import env_secret

MIN_LENGTH = 12


def passphrase(file: Path | None, *, confirm: bool) -> str:
    """From ``--passphrase-file``, else ``SETU_BACKUP_PASSPHRASE`` (or ``…_FILE``), else a prompt.

    Never from the command line: arguments are visible to every user of the machine.
    """
    if file is not None:
        try:
            value = file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CommandError(f"cannot read the passphrase file {file}: {exc.strerror}") from exc
    else:
        value = env_secret("SETU_BACKUP_PASSPHRASE")
    if not value:
        if not sys.stdin.isatty():
            raise CommandError(
                "no passphrase: set SETU_BACKUP_PASSPHRASE (or SETU_BACKUP_PASSPHRASE_FILE), "
                "give --passphrase-file, or run in a terminal to be asked"
            )
        value = getpass.getpass("Backup passphrase: ")
        if confirm and getpass.getpass("The same passphrase again: ") != value:
            raise CommandError("the two passphrases differ")
    if confirm and len(value) < MIN_LENGTH:
        raise CommandError(f"the passphrase must have at least {MIN_LENGTH} characters")
    return value
