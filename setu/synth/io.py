"""Interchange CSV reading and writing."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from .generator import EXTRA_COLUMNS, INTERCHANGE_COLUMNS

_INT_COLUMNS = frozenset({"age", "home_state_code", "recorded_state"})


def _cell(value: object) -> object:
    return "" if value is None else value


def write_interchange_csv(
    records: Iterable[Mapping[str, object]], path: str | Path, *, with_truth: bool = False
) -> int:
    """Write records as interchange CSV (UTF-8, header); returns rows written.

    With ``with_truth`` the ground-truth/provenance columns (``person_id``,
    ``script``, ``home_state_code``, ``role``, ``recorded_state``) follow the
    interchange columns; without it the file is what an organisation would
    really exchange.
    """
    columns = INTERCHANGE_COLUMNS + (EXTRA_COLUMNS if with_truth else ())
    n = 0
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for rec in records:
            w.writerow([_cell(rec.get(c)) for c in columns])
            n += 1
    return n


def write_truth_csv(records: Iterable[Mapping[str, object]], path: str | Path) -> int:
    """Write ``record_id, person_id``; returns rows written."""
    n = 0
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(("record_id", "person_id"))
        for rec in records:
            w.writerow((rec["record_id"], rec["person_id"]))
            n += 1
    return n


def read_interchange_csv(path: str | Path) -> list[dict[str, object]]:
    """Read a file written by ``write_interchange_csv`` back into record dicts.

    Integer columns come back as ``int`` (``None`` when empty), the rest as str.
    """
    out: list[dict[str, object]] = []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            rec: dict[str, object] = dict(row)
            for col in _INT_COLUMNS & rec.keys():
                value = rec[col]
                rec[col] = int(value) if value else None  # type: ignore[arg-type]
            out.append(rec)
    return out


def read_truth_csv(path: str | Path) -> dict[str, str]:
    """record_id -> person_id."""
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return {row["record_id"]: row["person_id"] for row in csv.DictReader(fh)}
