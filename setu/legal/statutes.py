"""The versioned list of sections and statutory periods (``setu/data/legal/statutes.json``).

The list is reference data kept in the repository; a lawyer must review it (docs/legal.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "legal" / "statutes.json"


@dataclass(frozen=True)
class Section:
    """A section of an Act that a proceeding may invoke."""

    code: str
    act: str
    section: str
    title: str
    grave: bool

    @property
    def label(self) -> str:
        return f"{self.act} s.{self.section}: {self.title}"

    @property
    def short(self) -> str:
        return self.code.replace("-", " ")


@dataclass(frozen=True)
class Period:
    """A statutory period with its legal source."""

    code: str
    days: int
    title: str
    source: str


@cache
def _load() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def version() -> str:
    """The version (date) of the list in use."""
    return str(_load()["version"])


@cache
def sections() -> dict[str, Section]:
    """Every section of the list by its code (e.g. ``BNS-143``), in the file's order."""
    return {
        row["code"]: Section(row["code"], row["act"], row["section"], row["title"], row["grave"])
        for row in _load()["sections"]
    }


@cache
def periods() -> dict[str, Period]:
    """Every statutory period by its code (e.g. ``default_bail_90``)."""
    return {
        row["code"]: Period(row["code"], row["days"], row["title"], row["source"])
        for row in _load()["periods"]
    }
