"""Person records and the interchange CSV reader."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    """Bad input data; ``path``, ``line`` (1-based, in the file), ``row`` (1-based record row,
    header = 1) and ``column`` say where. The message names the file, the line and the column."""

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        path: str | Path | None = None,
        line: int | None = None,
    ):
        self.row = row
        self.column = column
        self.path = Path(path) if path is not None else None
        self.line = line if line is not None else row
        where = []
        if self.path is not None:
            where.append(_shown(self.path.name))
        if self.line is not None:
            where.append(f"line {self.line}")
        if column is not None:
            where.append(f"column {_shown(column)!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


def _shown(text: str, limit: int = 60) -> str:
    """``text`` safe to print in one line of a terminal: control characters escaped, cut short."""
    out = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)
    return out if len(out) <= limit else out[: limit - 1] + "…"


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


def _check_bytes(p: Path, data: bytes) -> None:
    """Refuse UTF-16/32 and NUL bytes before decoding: UTF-16 without a byte-order mark decodes
    as 'valid' UTF-8 with a NUL between letters, which would otherwise reach the terminal."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LinkageInputError("is UTF-16 text; save it as UTF-8", path=p, line=1)
    nul = data.find(b"\x00")
    if nul < 0:
        return
    line = data.count(b"\n", 0, nul) + 1
    sample = data[:4096]
    if sample.count(b"\x00") * 4 >= len(sample):
        raise LinkageInputError(
            "looks like UTF-16 text without a byte-order mark (NUL bytes between letters); "
            "save it as UTF-8",
            path=p,
            line=line,
        )
    raise LinkageInputError(
        "contains a NUL byte; the file is damaged or not text", path=p, line=line
    )


def read_records(path: str | Path) -> list[PersonRecord]:
    """Read the interchange CSV; raise LinkageInputError naming the file, line and column.

    Broken CSV is refused, never half-read: an unclosed quote, stray text after a closing quote,
    a row with more or fewer fields than the header, NUL bytes, text that is not UTF-8.
    """
    p = Path(path)
    if not p.is_file():
        raise LinkageInputError(f"file not found: {_shown(str(p), 200)}")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise LinkageInputError(f"cannot read {_shown(str(p), 200)}: {exc.strerror}") from None
    _check_bytes(p, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row, column = _locate_bad_bytes(p)
        raise LinkageInputError(
            f"not UTF-8 text (byte {exc.start}); save it as UTF-8",
            row=row,
            column=column,
            path=p,
        ) from None
    # strict: an unclosed quote is an error at the end of the file instead of one giant field.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise LinkageInputError("is empty; expected a header row", path=p) from None
    except csv.Error as exc:
        raise LinkageInputError(f"the header is not valid CSV ({exc})", path=p, line=1) from None
    if "record_id" not in header:
        shown = _shown(", ".join(header))
        raise LinkageInputError(
            f"no record_id column (header: {shown})", row=1, column="record_id", path=p
        )
    try:
        return _parse_rows(reader, header, p)
    except _CsvBroken as exc:
        raise LinkageInputError(exc.message, path=p, line=exc.line) from None


class _CsvBroken(Exception):
    def __init__(self, message: str, line: int) -> None:
        self.message, self.line = message, line
        super().__init__(message)


def _rows_with_lines(reader: Any) -> Iterator[tuple[int, int, list[str]]]:
    """(row number, first line of the row, fields); broken quoting raised as _CsvBroken."""
    rownum, line = 1, reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise _CsvBroken(
                    "a quoted field that starts here is never closed (unclosed quote)", line
                ) from None
            raise _CsvBroken(f"not valid CSV ({exc})", line) from None
        rownum += 1
        yield rownum, line, row
        line = reader.line_num + 1


def _parse_rows(reader: Any, header: list[str], path: Path) -> list[PersonRecord]:
    position = {col: header.index(col) for col in COLUMNS if col in header}
    out: list[PersonRecord] = []
    seen: dict[str, int] = {}
    for rownum, line, row in _rows_with_lines(reader):
        if not any(cell.strip() for cell in row):
            continue

        def bad(
            message: str, column: str | None = None, *, _r: int = rownum, _l: int = line
        ) -> Any:
            return LinkageInputError(message, row=_r, column=column, path=path, line=_l)

        if len(row) != len(header):
            few = "too few" if len(row) < len(header) else "too many"
            raise bad(f"{few} fields: {len(row)}, the header has {len(header)}")
        values = {name: row[i].strip() for name, i in position.items()}
        rid = values.get("record_id", "")
        if not rid:
            raise bad("record_id is empty", "record_id")
        if rid in seen:
            raise bad(
                f"duplicate record_id {_shown(rid)!r} (first on line {seen[rid]})", "record_id"
            )
        seen[rid] = line
        for col in ("birth_date", "recorded_on"):
            if values.get(col) and parse_partial_date(values[col]) is None:
                raise bad(
                    f"malformed date {_shown(values[col])!r}; expected YYYY-MM-DD, YYYY-MM or YYYY",
                    col,
                )
        try:
            age = parse_age(values.get("age", ""))
        except ValueError:
            raise bad(
                f"malformed age {_shown(values['age'])!r}; expected whole years", "age"
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
