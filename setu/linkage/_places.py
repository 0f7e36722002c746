"""Resolve free-text Indian place names to LGD codes using the bundled gazetteer."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from ._text import phonetic_key, to_latin

# The gazetteer lives in the setu package data; read it relative to this file so the
# linkage library stays importable without Django or the rest of setu.
_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "india"

_NOISE_WORDS = re.compile(r"\b(district|dist|distt|zila|zilla|jila|jilla|the)\b")
_SPLIT_YEAR = re.compile(r"\(\d{4}\)")


def place_norm(text: str) -> str:
    """README rule: lower-case, strip accents, & -> and, drop "district", letters+digits."""
    s = to_latin(unicodedata.normalize("NFC", text)).replace("&", " and ")
    s = _NOISE_WORDS.sub(" ", s)
    return "".join(c for c in s if c.isalnum())


# A compass point abbreviated to its letter before a name: "W. Bengal", "S 24 Parganas",
# "E. Godavari". A lone letter is expanded only when the text did not resolve as written,
# so "W.B." (both letters) and names that merely start with a letter are left alone. "N."
# is also "New" ("N. Delhi"); where both readings resolve to different places, neither is
# taken.
_COMPASS = re.compile(r"\b([nsew])\b\.?\s*(?=[a-z0-9]{2})")
_COMPASS_WORDS = {"n": ("north ", "new "), "s": ("south ",), "e": ("east ",), "w": ("west ",)}


def compass_readings(text: str) -> tuple[str, ...]:
    """``text`` with a one-letter compass point written out, in every reading ("W. Bengal"
    -> ("west bengal",)); () if it has none. Only the first such letter is expanded."""
    latin = to_latin(unicodedata.normalize("NFC", text))
    m = _COMPASS.search(latin)
    if m is None:
        return ()
    return tuple(latin[: m.start()] + w + latin[m.end() :] for w in _COMPASS_WORDS[m.group(1)])


def _one_reading(codes: list[str | None]) -> str | None:
    found = set(c for c in codes if c is not None)
    return found.pop() if len(found) == 1 else None


def place_key(text: str) -> str:
    """Phonetic key of a place (spelling variants of one village share it)."""
    s = to_latin(text).replace("&", " and ")
    s = _NOISE_WORDS.sub(" ", s)
    return "".join(phonetic_key(t) for t in re.split(r"[^a-z0-9]+", s) if t)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    state_names: dict[str, str]  # code -> official name
    district_names: dict[str, str]  # code -> official name
    district_state: dict[str, str]  # district code -> state code
    related: dict[str, frozenset[str]]  # district code -> parent and child codes
    state_index: dict[str, str]  # normalised form -> state code
    # (state code, normalised form) -> district code; state "" holds unique names only.
    district_index: dict[tuple[str, str], str]
    district_keys: dict[tuple[str, str], str]  # same, by phonetic key
    state_district_forms: dict[str, tuple[tuple[str, str], ...]]  # for fuzzy search


def _cells(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


@cache
def gazetteer() -> Gazetteer:
    state_names: dict[str, str] = {}
    state_index: dict[str, str] = {}
    with open(_DATA_DIR / "states.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            state_names[code] = row["name"]
            forms = [row["name"], *_cells(row["abbreviations"]), *_cells(row["variants"])]
            forms += _cells(row["former_names"])
            for iso in [row["iso_3166_2"], *_cells(row["iso_3166_2_former"])]:
                if iso:
                    forms += [iso, iso.split("-")[-1]]
            for form in forms:
                state_index.setdefault(place_norm(form), code)
    district_names: dict[str, str] = {}
    district_state: dict[str, str] = {}
    district_index: dict[tuple[str, str], str] = {}
    district_keys: dict[tuple[str, str], str] = {}
    global_forms: dict[str, set[str]] = {}
    global_keys: dict[str, set[str]] = {}
    split_rows: list[tuple[str, str, str]] = []
    per_state: dict[str, list[tuple[str, str]]] = {}
    with open(_DATA_DIR / "districts.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code, state = row["district_code"].strip(), row["state_code"].strip()
            district_names[code] = row["name"]
            district_state[code] = state
            forms = [row["name"], *_cells(row["variants"]), *_cells(row["generated_variants"])]
            forms += _cells(row["former_names"])
            for form in forms:
                norm = place_norm(form)
                if not norm:
                    continue
                district_index.setdefault((state, norm), code)
                district_keys.setdefault((state, place_key(form)), code)
                global_forms.setdefault(norm, set()).add(code)
                global_keys.setdefault(place_key(form), set()).add(code)
                per_state.setdefault(state, []).append((norm, code))
            if row["split_from"]:
                split_rows.append((code, state, row["split_from"]))
    # A name used in one state only resolves without a state.
    for norm, codes in global_forms.items():
        if len(codes) == 1:
            district_index.setdefault(("", norm), next(iter(codes)))
    for key, codes in global_keys.items():
        if len(codes) == 1:
            district_keys.setdefault(("", key), next(iter(codes)))
    related: dict[str, set[str]] = {}
    for code, state, text in split_rows:
        for part in _SPLIT_YEAR.sub("", text).split(","):
            parent = district_index.get((state, place_norm(part)))
            if parent and parent != code:
                related.setdefault(code, set()).add(parent)
                related.setdefault(parent, set()).add(code)
    return Gazetteer(
        state_names=state_names,
        district_names=district_names,
        district_state=district_state,
        related={k: frozenset(v) for k, v in related.items()},
        state_index=state_index,
        district_index=district_index,
        district_keys=district_keys,
        state_district_forms={k: tuple(v) for k, v in per_state.items()},
    )


@lru_cache(maxsize=50_000)
def resolve_state(text: str) -> str | None:
    """LGD state code for a state name, abbreviation ("W.B."), ISO code or former name."""
    code = _resolve_state(text)
    if code is None and text:
        code = _one_reading([_resolve_state(r) for r in compass_readings(text)])
    return code


def _resolve_state(text: str) -> str | None:
    norm = place_norm(text or "")
    if not norm:
        return None
    gaz = gazetteer()
    code = gaz.state_index.get(norm)
    if code is None and len(norm) > 4:
        best = process.extractOne(norm, list(gaz.state_index), scorer=fuzz.ratio, score_cutoff=88)
        if best is not None:
            code = gaz.state_index[best[0]]
    return code


@lru_cache(maxsize=100_000)
def resolve_district(text: str, state: str = "") -> tuple[str | None, str | None]:
    """(district LGD code, state LGD code) for free text; None where it cannot be told.

    Old names resolve to the current district (Gurgaon -> Gurugram). Without a state, a
    district name resolves only if it is unique in India. A compass point written as one
    letter ("S 24 Parganas") is tried in full when the text does not resolve as written.
    """
    state_code = resolve_state(state) if state else None
    code = _resolve_district(text, state_code)
    if code is None and text:
        code = _one_reading([_resolve_district(r, state_code) for r in compass_readings(text)])
    if code is not None:
        return code, gazetteer().district_state[code]
    return None, state_code


def _resolve_district(text: str, state_code: str | None) -> str | None:
    norm = place_norm(text or "")
    if not norm:
        return None
    gaz = gazetteer()
    scope = state_code or ""
    code = gaz.district_index.get((scope, norm)) or gaz.district_keys.get((scope, place_key(text)))
    if code is None and state_code and len(norm) > 4:
        forms = gaz.state_district_forms.get(state_code, ())
        best = process.extractOne(norm, [f for f, _ in forms], scorer=fuzz.ratio, score_cutoff=88)
        if best is not None:
            code = forms[best[2]][1]
    return code


def related_districts(code: str) -> frozenset[str]:
    return gazetteer().related.get(code, frozenset())
