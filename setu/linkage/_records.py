"""Person records and the interchange CSV reader."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

COLUMNS: tuple[str, ...] = (
    "record_id",
    "org",
    "given_name",
    "family_name",
    "alias",
    "sex",
    "age",
    "birth_date",
    "father_name",
    "mother_name",
    "village",
    "district",
    "state",
    "phone",
    "recorded_on",
)


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One organisation's record of one person. Empty string / None means unknown."""

    record_id: str
    org: str = ""
    given_name: str = ""
    family_name: str = ""
    alias: str = ""
    sex: str = ""
    father_name: str = ""
    mother_name: str = ""
    village: str = ""
    district: str = ""
    state: str = ""
    phone: str = ""
    age: int | None = None
    birth_date: str = ""  # 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'
    recorded_on: str = ""  # 'YYYY-MM-DD'


class LinkageInputError(ValueError):
    """Bad input data; ``row`` (1-based data row, header = 1) and ``column`` say where."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        self.row = row
        self.column = column
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_partial_date(text: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; None if malformed."""
    m = _PARTIAL_DATE.match(text.strip())
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if not 1850 <= year <= 2200:
        return None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return year, month, day


def parse_age(text: str) -> int | None:
    """Whole years; raises ValueError for anything that is not a plausible age."""
    s = text.strip()
    if not s:
        return None
    value = float(s)  # ValueError for words
    if value != value or not 0 <= value <= 125:
        raise ValueError(f"age {text!r} is out of range")
    return int(value)


def _locate_bad_bytes(p: Path) -> tuple[int | None, str | None]:
    """Row and column of the first cell that is not valid UTF-8."""
    text = p.read_bytes().decode("utf-8", errors="surrogateescape")
    rows = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    for rownum, row in enumerate(rows, start=1):
        if rownum == 1:
            header = row
        for i, cell in enumerate(row):
            if any("\udc80" <= ch <= "\udcff" for ch in cell):
                name = header[i] if rownum > 1 and i < len(header) else f"#{i + 1}"
                return rownum, name.encode("utf-8", "replace").decode("utf-8", "replace")
    return None, None


def read_records(path: str | Path) -> list[PersonRecord]:
    """Read the interchange CSV; raise LinkageInputError naming row and column."""
    p = Path(path)
    if not p.is_file():
        raise LinkageInputError(f"file not found: {p}")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        row, column = _locate_bad_bytes(p)
        raise LinkageInputError(
            f"{p.name} is not UTF-8 text (byte {exc.start}); save it as UTF-8",
            row=row,
            column=column,
        ) from None
    except OSError as exc:
        raise LinkageInputError(f"cannot read {p}: {exc.strerror}") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise LinkageInputError(f"{p.name} is empty; expected a header row") from None
    if "record_id" not in header:
        raise LinkageInputError(
            f"{p.name} has no record_id column (header: {', '.join(header)})",
            row=1,
            column="record_id",
        )
    try:
        return _parse_rows(reader, header)
    except csv.Error as exc:
        raise LinkageInputError(f"not valid CSV: {exc}", row=reader.line_num) from None


def _parse_rows(reader: Iterable[list[str]], header: list[str]) -> list[PersonRecord]:
    position = {col: header.index(col) for col in COLUMNS if col in header}
    out: list[PersonRecord] = []
    seen: dict[str, int] = {}
    for rownum, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i].strip() if i < len(row) else "") for name, i in position.items()}
        rid = values.get("record_id", "")
        if not rid:
            raise LinkageInputError("record_id is empty", row=rownum, column="record_id")
        if rid in seen:
            raise LinkageInputError(
                f"duplicate record_id {rid!r} (first on row {seen[rid]})",
                row=rownum,
                column="record_id",
            )
        seen[rid] = rownum
        for col in ("birth_date", "recorded_on"):
            if values.get(col) and parse_partial_date(values[col]) is None:
                raise LinkageInputError(
                    f"malformed date {values[col]!r}; expected YYYY-MM-DD, YYYY-MM or YYYY",
                    row=rownum,
                    column=col,
                )
        try:
            age = parse_age(values.get("age", ""))
        except ValueError:
            raise LinkageInputError(
                f"malformed age {values['age']!r}; expected whole years",
                row=rownum,
                column="age",
            ) from None
        kwargs = {k: v for k, v in values.items() if k != "age"}
        out.append(PersonRecord(**kwargs, age=age))
    return out


def check_unique_ids(records: Iterable[PersonRecord]) -> None:
    seen: set[str] = set()
    for r in records:
        if r.record_id in seen:
            raise LinkageInputError(f"duplicate record_id {r.record_id!r}", column="record_id")
        seen.add(r.record_id)
