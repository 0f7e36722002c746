"""The test database, migrated once and copied for each pytest-xdist worker.

Migrating a new database (74 of Setu's migrations and Django's own) costs about 20 s of CPU,
almost all of it Django rendering model states, and it used to be paid by every worker of every
database run and again by the browser suite's server. Now it is paid once per run:

* ``build()`` migrates a template database exactly as Django's test runner migrates a test
  database (``create_test_db``): a SQLite file, or a PostgreSQL database.
* ``use()`` points this process's connection at a copy of it: on SQLite an in-memory database
  filled from the file (SQLite's backup API; the tests keep running in memory as before), on
  PostgreSQL a database created ``WITH TEMPLATE`` (Django's ``clone_test_db``, a file copy).

``scripts/test`` builds both templates before the runs start, while the linters run
(``python -m tests.db_template build``), and hands them over in ``SETU_TEST_DB_TEMPLATE``;
the browser suite's server starts from a copy of the SQLite one. Without it, the first xdist
worker builds the template under a file lock shared by the workers (``conftest.py``).
"""

from __future__ import annotations

import argparse
import fcntl
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMPLATE_ENV = "SETU_TEST_DB_TEMPLATE"
# The template this process's test database was copied from (set by ``use``).
_in_use: str | None = None


def in_use() -> str | None:
    """The template the test database was copied from, if it was: a test that needs another
    newly migrated database (a restore target) copies it too instead of migrating."""
    return _in_use


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on a file shared by the xdist workers of one run."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _connection():
    from django.db import connections

    return connections["default"]


def _point_at(name: str) -> None:
    from django.conf import settings

    connection = _connection()
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


def build(*, sqlite_path: Path | None = None, verbosity: int = 0) -> str:
    """Migrate the template database and return its name (SQLite: the file's path). On SQLite
    it is ``sqlite_path``; on PostgreSQL the test database's usual name (``test_<NAME>``)."""
    connection = _connection()
    original = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    test_name = test_settings.get("NAME")
    if connection.vendor == "sqlite":
        if sqlite_path is None:
            raise ValueError("a SQLite template needs a file")
        test_settings["NAME"] = str(sqlite_path)
    try:
        name = connection.creation.create_test_db(verbosity=verbosity, autoclobber=True)
        if connection.vendor == "sqlite":
            # Copies read it with mode=ro, which a WAL-mode file without its -shm cannot serve.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=DELETE")
    finally:
        test_settings["NAME"] = test_name
        _point_at(original)
    return name


def use(template: str, *, suffix: str) -> str:
    """Point the connection at a new copy of the template; return the old database name."""
    global _in_use
    _in_use = template
    connection = _connection()
    original = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        # The same in-memory form Django's test runner gives a worker (setup_worker_connection).
        name = f"file:memorydb_{connection.alias}_{suffix}?mode=memory&cache=shared"
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        target = sqlite3.connect(name, uri=True)
        try:
            source.backup(target)
        finally:
            source.close()
        _point_at(name)
        # The connection holds the in-memory database open before the copy's handle closes.
        connection.ensure_connection()
        target.close()
    else:
        _point_at(template)
        connection.creation.clone_test_db(suffix=suffix, verbosity=0)
        _point_at(connection.creation.get_test_db_clone_settings(suffix)["NAME"])
    return original


def release(original: str) -> None:
    """Drop this process's copy (PostgreSQL; an in-memory copy goes with the process)."""
    connection = _connection()
    if connection.vendor == "sqlite":
        _point_at(original)
        return
    connection.creation.destroy_test_db(original, verbosity=0)


def drop(template: str) -> None:
    """Remove the template itself."""
    connection = _connection()
    if connection.vendor == "sqlite":
        Path(template).unlink(missing_ok=True)
        return
    connection.close()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template)}")


def main(argv: list[str] | None = None) -> None:
    """``python -m tests.db_template build [--sqlite PATH]`` prints the template's name;
    ``drop NAME`` removes it. The database is the one ``DATABASE_URL`` names."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["build", "drop"])
    parser.add_argument("name", nargs="?", help="the template to drop")
    parser.add_argument("--sqlite", type=Path, help="the SQLite template file to build")
    args = parser.parse_args(argv)

    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "setu.test_settings")
    django.setup()
    if args.action == "build":
        print(build(sqlite_path=args.sqlite))
    elif args.name:
        drop(args.name)
    else:
        sys.exit("drop needs the template's name")


if __name__ == "__main__":
    main()
