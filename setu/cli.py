"""The ``setu`` command.

``setu link …`` runs the record-linkage engine without Django; every other subcommand is a
Django management command (``setu migrate``, ``setu demo load``, ``setu audit verify``…).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "link":
        from setu.linkage.cli import main as link_main

        return link_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["setu", *args])
    except ImproperlyConfigured as exc:
        # A missing or bad setting is the operator's to fix: one line naming it, no traceback.
        print(f"setu: configuration error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
