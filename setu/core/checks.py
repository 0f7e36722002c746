"""System checks that turn an unreachable database into one plain sentence."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.utils import OperationalError


@register(Tags.database)
def database_reachable(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Say plainly when the configured database (e.g. PostgreSQL) cannot be reached."""
    errors = []
    for alias in kwargs.get("databases") or []:
        connection = connections[alias]
        try:
            connection.ensure_connection()
        except OperationalError as exc:
            vendor = connection.vendor
            hint = (
                "Start PostgreSQL or correct DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/setu); "
                "unset DATABASE_URL to use the embedded SQLite database."
                if vendor == "postgresql"
                else "Check that the directory of the SQLite file is writable."
            )
            errors.append(
                Error(
                    f"The {vendor} database '{alias}' is not reachable: {exc.__class__.__name__}.",
                    hint=hint,
                    id="setu.E001",
                )
            )
    return errors
