"""``setu db roles``: the database roles that row-level security rests on (print or apply)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection

from setu.access.roles import SYSTEM_ROLE, role_statements


class Command(BaseCommand):
    help = "Database set-up tools. 'roles' prints (or applies) the app and system roles' SQL."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="{roles}")
        roles = sub.add_parser(
            "roles",
            help="Print the SQL that creates setu_app and setu_system and grants their rights.",
            description="Run it after every migration (new tables need their grants). The "
            "roles are created without passwords: set them with \\password in psql.",
        )
        roles.add_argument("--owner", default="", help="The owner role (default: the current one).")
        roles.add_argument("--app", default="setu_app", help="The web servers' role.")
        roles.add_argument(
            "--system", default=SYSTEM_ROLE, help="The worker's and cron's role (fixed name)."
        )
        roles.add_argument(
            "--apply", action="store_true", help="Run the SQL here (as the owner) instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles and row-level security need PostgreSQL.")
        if options["system"] != SYSTEM_ROLE:
            raise CommandError(f"The policies name the system role '{SYSTEM_ROLE}'; keep it.")
        owner = options["owner"]
        if not owner:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_user")
                owner = cursor.fetchone()[0]
        try:
            statements = role_statements(owner=owner, app=options["app"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not options["apply"]:
            self.stdout.write("\n".join(statements))
            return
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        except DatabaseError as exc:
            raise CommandError(f"Could not apply the roles: {exc}".strip()) from exc
        self.stdout.write(f"Roles {options['app']} and {SYSTEM_ROLE} ready; set their passwords.")
