"""Inserting many new rows fast: PostgreSQL ``COPY``, ``bulk_create`` on other databases.

For system bulk loads (the match index of a whole network, benchmarks), not for user writes:
like ``bulk_create`` it calls no ``save()`` and sends no signals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router


def bulk_insert(objs: Sequence[models.Model], *, batch_size: int = 5000) -> None:
    """Insert these unsaved instances of one model as ``bulk_create`` would (defaults and
    ``auto_now`` values filled in, database-side ids left to the database)."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        model._default_manager.using(alias).bulk_create(objs, batch_size=batch_size)
        return
    opts = model._meta
    fields = [
        f
        for f in opts.concrete_fields
        if not (f.primary_key and getattr(objs[0], f.attname) is None)
    ]
    table = connection.ops.quote_name(opts.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objs:
            copy.write_row(
                [
                    f.get_db_prep_save(f.pre_save(obj, add=True), connection=connection)
                    for f in fields
                ]
            )


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert plain value rows into these fields (attnames) of ``model``, with no instance per
    row: the fastest path for millions of narrow rows such as index keys."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(fields, row, strict=True))) for row in rows]
        model._default_manager.using(alias).bulk_create(objs, batch_size=5000)
        return
    opts = model._meta
    columns = ", ".join(connection.ops.quote_name(opts.get_field(f).column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
