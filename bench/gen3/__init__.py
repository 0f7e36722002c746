"""A third, independent generator of Indian case records (development set).

    from bench import gen3
    data = gen3.generate(10_000, seed=42)   # records carry their true person_id
    gen3.write(data, "records.csv", "truth.csv")

Built without reading the project's other generators or its linkage engine:
names from names-dataset's per-country ranks (``data/names.json``), districts
from the LGD reference data in ``setu/data/india``, households, twins, marriages
and renamings in ``population``, and four kinds of register with their own
habits of error in ``corrupt``. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.gen3 import corrupt, population
from bench.gen3.curated import DESTINATIONS
from bench.gen3.places import District, load_districts, load_state_variants

__all__ = ["COLUMNS", "Dataset", "fingerprint", "generate", "write"]

COLUMNS = (
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
HERE = Path(__file__).resolve().parent
# Records per person: many people appear once (the hardest part for precision is
# not to join them to a namesake); a few are written up again and again.
LAST_RECORD = dt.date(2026, 6, 30)
RECORDS_PER_PERSON = ((1, 38), (2, 30), (3, 17), (4, 9), (5, 4), (6, 2))


@dataclass
class Dataset:
    """Generated records (each with its true ``person_id``) and counts of what was done."""

    records: list[dict[str, str]]
    stats: Counter[str] = field(default_factory=Counter)

    def truth(self) -> dict[str, str]:
        """record_id -> person_id."""
        return {r["record_id"]: r["person_id"] for r in self.records}

    def __iter__(self):  # the rows, so a Dataset can be used where rows are expected
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


def fingerprint() -> str:
    """Changes whenever the generator or its data change (for cached inputs)."""
    h = hashlib.sha256()
    for f in sorted([*HERE.glob("*.py"), *(HERE / "data").glob("*")]):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:8]


def _destination_districts(districts: dict[str, list[District]]) -> list[District]:
    out = []
    for state, name in DESTINATIONS:
        found = [d for d in districts[state] if d.name == name or name in d.variants]
        out.append(found[0] if found else District(state, name, f"X{len(out)}"))
    return out


def _dates(rng: random.Random, person: population.Person, sources: list[str]) -> list[dt.date]:
    rescue = person.missing_on + dt.timedelta(days=rng.randint(30, 1500))
    out = []
    for s in sources:
        if s == "missing":
            d = person.missing_on + dt.timedelta(days=rng.randint(0, 45))
        elif s == "fir":
            d = person.missing_on + dt.timedelta(days=rng.randint(1, 400))
        elif s == "intake":
            # A second intake is a later rescue (re-trafficked) or another NGO.
            d = rescue + dt.timedelta(days=rng.randint(0, 900) if out else 0)
        else:
            d = rescue + dt.timedelta(days=rng.randint(1, 40))
        out.append(min(d, LAST_RECORD))
    return out


def generate(n_records: int, seed: int = 42) -> Dataset:
    """About ``n_records`` records (whole persons: at most a handful over) and their truth."""
    rng = random.Random(seed)
    districts = load_districts()
    people = population.build(rng, int(n_records / 1.9) + 50)
    dests = _destination_districts(districts)
    writer = corrupt.Writer(rng, Counter(), districts, load_state_variants())
    stats = writer.stats
    sizes, size_w = zip(*RECORDS_PER_PERSON, strict=True)
    srcs, src_w = zip(*corrupt.SOURCE_WEIGHTS.items(), strict=True)
    records: list[dict[str, str]] = []
    used = 0
    for person in people:
        if len(records) >= n_records:
            break
        used += 1
        k = rng.choices(sizes, weights=size_w)[0]
        sources = list(rng.choices(srcs, weights=src_w, k=k))
        # One family files one missing-person report.
        first_missing = sources.index("missing") if "missing" in sources else -1
        sources = [
            s if s != "missing" or i == first_missing else "intake" for i, s in enumerate(sources)
        ]
        dest = rng.choice(dests)
        for source, on in zip(sources, _dates(rng, person, sources), strict=True):
            if rng.random() < 0.15:
                dest = rng.choice(dests)  # moved on, or trafficked again elsewhere
            home = person.district
            # A police report at home is an Indian police station's; across the
            # border only the partner NGO's missing-person report is shared.
            fir_at_home = home.state not in ("Nepal", "Bangladesh") and rng.random() < 0.4
            if source == "missing" or (source == "fir" and fir_at_home):
                office, at_dest = home, False
            else:
                office, at_dest = dest, True
            kind = {"missing": "missing", "fir": "police", "intake": "ngo", "shelter": "shelter"}
            org = f"{kind[source]}-{office.code}"
            if source in ("intake", "shelter"):
                org += f"-{rng.randint(1, 3)}"
            records.append(writer.record(person, source, org, office.state, on, at_dest))
        for tag in person.tags:
            stats[f"person_{tag}"] += 1
    stats["persons"] = used
    rng.shuffle(records)
    width = max(7, len(str(len(records))))
    out = []
    for i, r in enumerate(records, 1):
        out.append({"record_id": f"g3-{i:0{width}d}", **r})
    return Dataset(out, stats)


def write(
    data: Dataset | list[dict[str, str]], records_path: Path | str, truth_path: Path | str
) -> None:
    """The records as interchange CSV (no truth in it) and the truth as record_id,person_id."""
    rows = data.records if isinstance(data, Dataset) else list(data)
    with Path(records_path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    with Path(truth_path).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(("record_id", "person_id"))
        w.writerows((r["record_id"], r["person_id"]) for r in rows)
