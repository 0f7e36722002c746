"""Blocking: which pairs are worth comparing. Pure functions shared by all backends."""

from __future__ import annotations

from ._features import (
    Features,
    area,
    family_key,
    full_name_key,
    given_keys,
    parent_key,
    village_key,
)
from ._text import consonant_key

# Keys with these prefixes are broad (one common first name, or one common surname in a
# district, can fill thousands): when oversized they get the narrow broad_window, and in
# the index a smaller posting cap; the specific keys carry most recall.
BROAD_PREFIXES = ("g:", "fa:")


def is_broad_key(key: str) -> bool:
    """Whether a blocking or index key is one of the broad kinds."""
    return key.startswith(BROAD_PREFIXES)


def blocking_keys(f: Features) -> list[str]:
    """Every key a record is filed under; two records sharing a key become a candidate.

    Several independent keys so that one mangled field does not hide a match: the sound
    of the given name (or alias), the same sound within a district or family, all name
    words in any order, the phone, the father/village within a district, and the family
    name within a district (finds a given name misspelt past its sound when there is no
    birth date to pair the family name with).
    """
    keys: list[str] = []
    where = area(f)
    fam = family_key(f)
    for g in given_keys(f):
        keys.append(f"g:{g}")
        if where:
            keys.append(f"gd:{g}:{where}")
            # The name's consonants: the same name with other vowels, or written in
            # Tamil script without voicing, in the same district.
            consonants = consonant_key(g)
            if len(consonants) >= 2:
                keys.append(f"gk:{consonants}:{where}")
        if fam:
            keys.append(f"gf:{g}:{fam}")
    full = full_name_key(f)
    if full:
        keys.append(f"n:{full}")
        keys.append(f"nk:{full_name_key(f, consonants=True)}")
    if f.phone:
        keys.append(f"p:{f.phone}")
    fk = parent_key(f.father)
    if fk and where:
        keys.append(f"fd:{fk}:{where}")
    mk = parent_key(f.mother)
    if fk and mk:
        keys.append(f"fm:{fk}:{mk}")
    vk = village_key(f)
    if vk:
        # An unrecorded sex may be either.
        keys.extend(f"v:{vk}:{sex}" for sex in ((f.sex,) if f.sex else ("F", "M")))
    if fam and where:
        keys.append(f"fa:{fam}:{where}")
    if fam and f.birth is not None and f.birth.kind in ("date", "ym", "year"):
        # A stated birth year with the family name: finds a mistyped given name.
        keys.append(f"fy:{fam}:{f.birth.year}")
    if f.birth is not None and f.birth.kind == "date":
        # A full date of birth is specific enough on its own: finds both names mangled.
        keys.append(f"b:{f.birth.year}-{f.birth.month}-{f.birth.day}")
    return keys


def sort_key(f: Features, idx: int) -> tuple[str, int, str, str, int]:
    """Order inside an oversized block; neighbours in this order get compared.

    Sex, then birth year, then place: inside a block of one common name the likely
    duplicates sit next to each other.
    """
    year = 9999 if f.birth is None or f.birth.kind == "age?" else int(f.birth.center)
    return (f.sex or "~", year, area(f), family_key(f), idx)
