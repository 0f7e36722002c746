"""Source regions, districts (from LGD reference data) and made-up villages."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from bench.gen3 import curated

ROOT = Path(__file__).resolve().parents[2]
DISTRICTS_CSV = ROOT / "setu" / "data" / "india" / "districts.csv"
STATES_CSV = ROOT / "setu" / "data" / "india" / "states.csv"

# Where people trafficked within and into India mostly come from, with the
# community mix and the script their local offices write in. Shares are a
# judgement from public reporting (NCRB, NGO annual reports), not measured.
REGIONS: dict[str, dict] = {
    "bengal": {"states": ("West Bengal",), "weight": 24, "muslim": 0.30, "script": "bengali"},
    "jharkhand": {"states": ("Jharkhand",), "weight": 10, "muslim": 0.08, "script": "devanagari"},
    "odisha": {"states": ("Odisha",), "weight": 8, "muslim": 0.03, "script": "oriya"},
    "bihar": {"states": ("Bihar",), "weight": 9, "muslim": 0.17, "script": "devanagari"},
    "north": {"states": ("Uttar Pradesh",), "weight": 7, "muslim": 0.18, "script": "devanagari"},
    "assam": {"states": ("Assam",), "weight": 7, "muslim": 0.30, "script": "bengali"},
    "maharashtra": {
        "states": ("Maharashtra",),
        "weight": 4,
        "muslim": 0.10,
        "script": "devanagari",
    },
    "telugu": {
        "states": ("Telangana", "Andhra Pradesh"),
        "weight": 7,
        "muslim": 0.09,
        "script": "telugu",
    },
    "tamil": {"states": ("Tamil Nadu",), "weight": 4, "muslim": 0.05, "script": "tamil"},
    "karnataka": {"states": ("Karnataka",), "weight": 3, "muslim": 0.12, "script": "kannada"},
    "chhattisgarh": {
        "states": ("Chhattisgarh",),
        "weight": 4,
        "muslim": 0.02,
        "script": "devanagari",
    },
    "nepal": {"states": ("Nepal",), "weight": 6, "muslim": 0.0, "script": "devanagari"},
    "bangladesh": {"states": ("Bangladesh",), "weight": 6, "muslim": 0.85, "script": "bengali"},
}

# Script an office writes in, by the state it sits in.
STATE_SCRIPT = {
    "West Bengal": "bengali",
    "Assam": "bengali",
    "Odisha": "oriya",
    "Telangana": "telugu",
    "Andhra Pradesh": "telugu",
    "Tamil Nadu": "tamil",
    "Karnataka": "kannada",
    "Gujarat": "gujarati",
    "Punjab": "gurmukhi",
}


@dataclass
class District:
    """One district with the names it has gone by."""

    state: str
    name: str
    code: str
    variants: tuple[str, ...] = ()
    old_names: tuple[str, ...] = ()  # former names, and parents it was split from
    villages: list[str] = field(default_factory=list)


def _cells(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _parents(split_from: str) -> tuple[str, ...]:
    # "Visakhapatnam, East Godavari (2022)" -> ("Visakhapatnam", "East Godavari")
    text = split_from.split("(")[0]
    return tuple(p.strip() for p in text.split(",") if p.strip())


def load_districts() -> dict[str, list[District]]:
    """Districts of every Indian state in the reference data, by state name."""
    out: dict[str, list[District]] = {}
    with DISTRICTS_CSV.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            d = District(
                state=r["state_name"],
                name=r["name"],
                code=r["district_code"],
                variants=_cells(r["variants"]),
                old_names=_cells(r["former_names"]) + _parents(r["split_from"]),
            )
            out.setdefault(d.state, []).append(d)
    for i, (name, olds) in enumerate(sorted(curated.BANGLADESH_DISTRICTS.items())):
        out.setdefault("Bangladesh", []).append(
            District("Bangladesh", name, f"BD{i}", variants=olds)
        )
    for i, name in enumerate(curated.NEPAL_DISTRICTS):
        out.setdefault("Nepal", []).append(District("Nepal", name, f"NP{i}"))
    return out


def load_state_variants() -> dict[str, tuple[str, ...]]:
    """Other ways each state's name is written (abbreviations, variants, old names)."""
    out: dict[str, tuple[str, ...]] = {}
    with STATES_CSV.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out[r["name"]] = (
                _cells(r["abbreviations"]) + _cells(r["variants"]) + _cells(r["former_names"])
            )
    out["Bangladesh"] = ("B'desh", "Bangla Desh")
    out["Nepal"] = ()
    return out


def village_names(rng: random.Random, region: str, n: int, taken: set[str]) -> list[str]:
    """``n`` distinct made-up village names in the style of ``region``."""
    heads, tails = curated.VILLAGE_PARTS[region]
    out: list[str] = []
    tries = 0
    while len(out) < n and tries < n * 50:
        tries += 1
        head = rng.choice(heads)
        name = head + rng.choice(tails)
        if rng.random() < 0.25:
            name = f"{name} {rng.choice(('Bazar', 'Colony', 'Khurd', 'Kalan', 'Basti', 'Para'))}"
        if name not in taken:
            taken.add(name)
            out.append(name)
    return out
