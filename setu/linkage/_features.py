"""Per-record normalised features: what the comparators and blocking keys look at."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ._places import place_key, place_norm, resolve_district
from ._records import PersonRecord, parse_partial_date
from ._text import (
    consonant_key,
    name_key,
    phonetic_key,
    strip_honorifics,
    to_latin,
    tokens,
    written_in_tamil,
)

_FAMILY_KEEP = frozenset({"shaikh"})
_DIGITS = re.compile(r"\D+")


@dataclass(frozen=True, slots=True)
class NameDesc:
    given: tuple[str, ...]
    family: tuple[str, ...]
    alias: tuple[str, ...]
    # Phonetic keys of the words above, computed once per record, not once per pair.
    gkeys: tuple[str, ...] = ()
    fkeys: tuple[str, ...] = ()
    akeys: tuple[str, ...] = ()
    # The family name was not recorded: ``family`` is the last word of the given-name
    # column, which may be a surname ("Puja Das") or a second given name ("Mohammad
    # Rafiq"). The comparators also read the record as written (``unsplit``).
    split: bool = False
    # Some of the name was written in Tamil script, which does not mark voicing: its
    # Latin reading may have p for b, k for g, t for d (``_text.unvoiced_key``).
    tamil: bool = False

    @classmethod
    def of(
        cls,
        given: tuple[str, ...],
        family: tuple[str, ...],
        alias: tuple[str, ...],
        split: bool = False,
        tamil: bool = False,
    ) -> NameDesc:
        def k(toks: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(phonetic_key(t) for t in toks)

        return cls(given, family, alias, k(given), k(family), k(alias), split, tamil)

    def unsplit(self) -> NameDesc:
        """The name as written when ``split``: every word a given name, no family name."""
        return NameDesc(
            self.given + self.family,
            (),
            self.alias,
            self.gkeys + self.fkeys,
            (),
            self.akeys,
            tamil=self.tamil,
        )


@dataclass(frozen=True, slots=True)
class BirthDesc:
    """Birth as an interval of years: centre +- tol; date parts when known exactly."""

    kind: str  # "date", "ym", "year", "age" (age with a reference date), "age?" (no date)
    center: float
    tol: float
    year: int | None = None
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True, slots=True)
class PlaceDesc:
    district: str  # LGD code, or "~" + normalised text when it could not be resolved
    state: str  # LGD code or ""


@dataclass(frozen=True, slots=True)
class Features:
    name: NameDesc
    sex: str
    birth: BirthDesc | None
    father: tuple[str, ...]
    mother: tuple[str, ...]
    village: str
    place: PlaceDesc | None
    phone: str


@lru_cache(maxsize=200_000)
def normalise_sex(text: str) -> str:
    s = to_latin(text).strip().strip(".")
    if not s:
        return ""
    if s in {"f", "female", "girl", "woman", "w", "fem", "mahila", "stri", "ladki"}:
        return "F"
    if s in {"m", "male", "boy", "man", "purush", "ladka"}:
        return "M"
    if s in {"t", "tg", "transgender", "o", "other", "x", "third gender", "kinnar"}:
        return "X"
    # Indic-script words already went through to_latin; first letter is a fair guess.
    return {"f": "F", "m": "M"}.get(s[0], "")


_PLACEHOLDER = re.compile(r"^(\d)\1{9}$|^0123456789$|^1234567890$|^9876543210$")


@lru_cache(maxsize=200_000)
def normalise_phone(text: str) -> str:
    """10-digit Indian mobile number, or the digits of a landline; "" if unusable.

    Handles +91, 0091, a leading 0, spaces, dashes and brackets. Placeholder numbers
    (9999999999) are treated as missing because many records share them.
    """
    digits = _DIGITS.sub("", text or "")
    if not digits:
        return ""
    if len(digits) == 14 and digits.startswith("0091"):
        digits = digits[4:]
    elif len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) == 10 and digits[0] in "6789":
        return "" if _PLACEHOLDER.match(digits) else digits
    # Landline with STD code: keep, but only if it is long enough to mean something.
    digits = digits.lstrip("0")
    return digits if 8 <= len(digits) <= 11 and len(set(digits)) > 2 else ""


def estimate_tolerance(age: int) -> float:
    """How many years either way an estimated age may be off; grows with age."""
    return 1.0 + age / 15.0


def _year_fraction(parts: tuple[int, int | None, int | None]) -> float:
    year, month, day = parts
    if month is None:
        return year + 0.5
    start = dt.date(year, month, day or 15)
    return year + (start.timetuple().tm_yday - 0.5) / 365.25


def birth_desc(record: PersonRecord) -> BirthDesc | None:
    parts = parse_partial_date(record.birth_date) if record.birth_date else None
    if parts is not None:
        year, month, day = parts
        if month is None:
            # A bare year is often itself an estimate.
            return BirthDesc("year", year + 0.5, 0.5, year)
        if day is None:
            return BirthDesc("ym", year + 0.5, 0.5, year, month)
        return BirthDesc("date", year + 0.5, 0.5, year, month, day)
    if record.age is None:
        return None
    ref = parse_partial_date(record.recorded_on) if record.recorded_on else None
    tol = estimate_tolerance(record.age)
    if ref is None:
        return BirthDesc("age?", -float(record.age), tol)
    # Someone aged N on date D was born between D-N-1 and D-N years.
    return BirthDesc("age", _year_fraction(ref) - record.age - 0.5, tol + 0.5)


def _name_tokens(text: str) -> tuple[str, ...]:
    return tokens(text)


def name_desc(record: PersonRecord) -> NameDesc:
    given_raw = _name_tokens(record.given_name)
    family_raw = _name_tokens(record.family_name)
    given = strip_honorifics(given_raw)
    family = tuple(t for t in family_raw if t not in given) or ()
    family = strip_honorifics(family, keep_first=False) or tuple(
        t for t in family if t in _FAMILY_KEEP
    )
    if not given and family:
        # A single name written in the family-name column.
        given, family = family, ()
    split = not family and len(given) > 1
    if split:
        # "Puja Das" merged into one field: the last word is the likeliest surname.
        given, family = given[:-1], given[-1:]
    alias: list[str] = []
    for part in re.split(r"[|;,/]", record.alias):
        alias.extend(strip_honorifics(_name_tokens(part)))
    tamil = any(written_in_tamil(t) for t in (record.given_name, record.family_name, record.alias))
    return NameDesc.of(given, family, tuple(dict.fromkeys(alias)), split, tamil)


@lru_cache(maxsize=200_000)
def parent_tokens(text: str) -> tuple[str, ...]:
    return strip_honorifics(_name_tokens(text))


def place_desc(record: PersonRecord) -> PlaceDesc | None:
    if not record.district and not record.state:
        return None
    code, state = resolve_district(record.district, record.state)
    if state is None and record.state:
        # A state outside the gazetteer (another country's, FEBRL's "nsw") is still compared
        # as text with other unresolved states (compare_place).
        state = "~" + place_norm(record.state) if place_norm(record.state) else None
    if code is None and record.district:
        # Not in the gazetteer (a place abroad, a new district, a postcode): compared as
        # text, by its sound so that Sindhupalchok and Sindhupalchowk agree; digits as
        # they are, since a sound key would fold 2000 and 2200 together.
        norm = place_norm(record.district)
        return PlaceDesc(
            "~" + (norm if norm.isdigit() else place_key(record.district)), state or ""
        )
    return PlaceDesc(code or "", state or "")


@lru_cache(maxsize=200_000)
def village_norm(text: str) -> str:
    return " ".join(re.split(r"[^a-z0-9]+", to_latin(text))).strip()


def features(record: PersonRecord) -> Features:
    return Features(
        name=name_desc(record),
        sex=normalise_sex(record.sex),
        birth=birth_desc(record),
        father=parent_tokens(record.father_name),
        mother=parent_tokens(record.mother_name),
        village=village_norm(record.village),
        place=place_desc(record),
        phone=normalise_phone(record.phone),
    )


def features_of(records: Iterable[PersonRecord]) -> list[Features]:
    """``features`` of each record, each part worked out once per distinct value of the
    columns it reads: in a register names, dates and places repeat, and at 100,000
    records normalising every record's name alone took seconds. Records with the same
    columns share one (frozen, equal) descriptor."""
    names: dict[tuple[str, str, str], NameDesc] = {}
    births: dict[tuple[str, int | None, str], BirthDesc | None] = {}
    places: dict[tuple[str, str], PlaceDesc | None] = {}
    out = []
    for r in records:
        nk = (r.given_name, r.family_name, r.alias)
        name = names.get(nk)
        if name is None:
            name = names[nk] = name_desc(r)
        bk = (r.birth_date, r.age, r.recorded_on)
        birth = births.get(bk, _MISSING)
        if birth is _MISSING:
            birth = births[bk] = birth_desc(r)
        pk = (r.district, r.state)
        place = places.get(pk, _MISSING)
        if place is _MISSING:
            place = places[pk] = place_desc(r)
        out.append(
            Features(
                name=name,
                sex=normalise_sex(r.sex),
                birth=birth,  # type: ignore[arg-type]
                father=parent_tokens(r.father_name),
                mother=parent_tokens(r.mother_name),
                village=village_norm(r.village),
                place=place,  # type: ignore[arg-type]
                phone=normalise_phone(r.phone),
            )
        )
    return out


_MISSING = object()


def name_frequency_key(f: Features) -> str:
    """What term-frequency adjustment counts: the sound of the whole given name."""
    return " ".join(f.name.gkeys)


def district_frequency_key(f: Features) -> str:
    """What the district's term-frequency adjustment counts: the district as compared."""
    return f.place.district if f.place is not None else ""


# -- blocking keys ----------------------------------------------------------------------


def given_keys(f: Features) -> tuple[str, ...]:
    """Phonetic keys a record can be found by: first given name, whole given, aliases."""
    keys = []
    if f.name.given:
        keys.append(phonetic_key(f.name.given[0]))
        if len(f.name.given) > 1:
            keys.append(name_key(f.name.given))
    keys.extend(phonetic_key(a) for a in f.name.alias)
    return tuple(k for k in dict.fromkeys(keys) if len(k) >= 2)


def full_name_key(f: Features, consonants: bool = False) -> str:
    """Order-free key of all name words: finds given/family swaps and merges. With
    ``consonants``, of each word's ``consonant_key`` instead of its sound."""
    keys = (phonetic_key(t) for t in f.name.given + f.name.family)
    toks = sorted(consonant_key(k) for k in keys) if consonants else sorted(keys)
    return "|".join(toks) if len(toks) >= 2 else ""


def family_key(f: Features) -> str:
    return name_key(f.name.family)


def parent_key(toks: tuple[str, ...]) -> str:
    return phonetic_key(toks[0]) if toks else ""


def village_key(f: Features) -> str:
    return place_key(f.village) if f.village else ""


def area(f: Features) -> str:
    if f.place is None:
        return ""
    return f.place.district or f.place.state
