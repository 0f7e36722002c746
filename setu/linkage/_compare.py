"""Field comparators: each turns two records' features into a small integer level.

Level 0 always means "not known on one side" and carries no weight. The same scalar
functions serve explain(), MatchIndex and the batch pipeline (which calls them once per
distinct pair of feature values), so every path scores a pair identically.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler

from ._features import BirthDesc, Features, NameDesc, PlaceDesc
from ._places import related_districts
from ._text import name_key, phonetic_key, strip_vowels

# Level names per field, index = level. Order matters: higher = stronger agreement.
LEVELS: dict[str, tuple[str, ...]] = {
    "given_name": (
        "missing", "different", "similar", "alias", "partial", "swapped", "sound", "exact",
    ),
    "sex": ("missing", "different", "same"),
    "birth": (
        "missing", "far", "near", "consistent", "year", "date_typo", "date_swapped", "date",
    ),
    "family_name": ("missing", "different", "similar", "sound"),
    "father_name": ("missing", "different", "similar", "partial", "sound"),
    "mother_name": ("missing", "different", "similar", "partial", "sound"),
    "village": ("missing", "different", "similar", "sound"),
    "place": ("missing", "other_state", "same_state", "related_district", "same_district"),
    "phone": ("missing", "different", "same"),
}  # fmt: skip
FIELDS: tuple[str, ...] = tuple(LEVELS)
# Evidence about the person; the rest describes the household, which siblings share.
PERSON_FIELDS: frozenset[str] = frozenset({"given_name", "sex", "birth"})

_SIMILAR = 0.88


def _jw(a: str, b: str) -> float:
    return JaroWinkler.normalized_similarity(a, b)


def _keys(toks: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(phonetic_key(t) for t in toks)


@lru_cache(maxsize=200_000)
def _skeleton(key: str) -> str:
    return strip_vowels(key)


def _similar(a: str, b: str) -> bool:
    """Spelling close enough to be a typo or a transliteration variant."""
    if _jw(a, b) >= _SIMILAR:
        return True
    n = min(len(a), len(b))
    # Transposed or dropped letters ("Yusfu" / "Yusuf") score low on Jaro-Winkler.
    return n >= 4 and OSA.distance(a, b) <= (1 if n < 8 else 2)


def _sounds(a: str, b: str) -> bool:
    """Two single words that sound alike (same key, or same consonants and close)."""
    ka, kb = phonetic_key(a), phonetic_key(b)
    if ka == kb:
        return True
    return _skeleton(ka) == _skeleton(kb) and len(ka) >= 3 and _jw(ka, kb) >= 0.85


def _near(a: str, b: str) -> bool:
    return _sounds(a, b) or _similar(a, b)


@lru_cache(maxsize=500_000)
def compare_names(a: NameDesc, b: NameDesc) -> tuple[int, int]:
    """(given level, family level), looking at swaps, merges and aliases together."""
    ga, gb, fa, fb = a.given, b.given, a.family, b.family
    fam = _compare_family(a, b)
    if not ga or not gb:
        return 0, fam
    ja, jb = "".join(ga), "".join(gb)
    if ja == jb:
        return 7, fam
    kga, kgb = a.gkeys, b.gkeys
    if "".join(kga) == "".join(kgb) or (len(ga) == len(gb) == 1 and _sounds(ja, jb)):
        return 6, fam
    full_a, full_b = kga + a.fkeys, kgb + b.fkeys
    if "".join(full_a) == "".join(full_b):
        # Same words, split differently between the given and family columns.
        return 6, 3
    if fa and fb and _near(ja, "".join(fb)) and _near("".join(fa), jb):
        return 5, 3
    if set(kga) & set(kgb) or any(_sounds(x, y) for x in ga for y in gb):
        return 4, fam
    if (fb and _near(ja, "".join(fb))) or (fa and _near("".join(fa), jb)):
        # One record has the name in the family-name column.
        return 4, fam
    if _alias_match(a, b):
        return 3, fam
    if _similar(" ".join(ga), " ".join(gb)) or (
        min(len(ja), len(jb)) >= 4 and _jw("".join(kga), "".join(kgb)) >= 0.9
    ):
        return 2, fam
    return 1, fam


def _alias_match(a: NameDesc, b: NameDesc) -> bool:
    """An alias of one record (a home name, a name given by traffickers) is a name of the
    other: every alias word against every given-name and alias word of the other record,
    by phonetic key, sound or spelling (all pairs, the best counts)."""
    if not a.alias and not b.alias:
        return False
    aa, ab = set(a.akeys), set(b.akeys)
    if (aa & set(b.gkeys)) or (ab & set(a.gkeys)) or (aa & ab):
        return True
    words_a, words_b = a.given + a.alias, b.given + b.alias
    return any(_near(x, y) for x in a.alias for y in words_b if min(len(x), len(y)) >= 3) or any(
        _near(x, y) for x in b.alias for y in words_a if min(len(x), len(y)) >= 3
    )


def _compare_family(a: NameDesc, b: NameDesc) -> int:
    fa, fb = a.family, b.family
    if not fa or not fb:
        return 0
    ka, kb = a.fkeys, b.fkeys
    if "".join(ka) == "".join(kb) or set(ka) & set(kb):
        return 3
    if _similar(" ".join(fa), " ".join(fb)):
        return 2
    return 1


@lru_cache(maxsize=500_000)
def compare_parent(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    if not a or not b:
        return 0
    if name_key(a) == name_key(b):
        return 4
    ka, kb = _keys(a), _keys(b)
    if ka[0] == kb[0] or set(ka) <= set(kb) or set(kb) <= set(ka):
        # "Ramesh" / "Ramesh Chandra Das": one side wrote less.
        return 3
    if _jw(" ".join(a), " ".join(b)) >= _SIMILAR:
        return 2
    return 1


@lru_cache(maxsize=500_000)
def compare_village(a: str, b: str) -> int:
    if not a or not b:
        return 0
    if a == b:
        return 3
    ka = "".join(phonetic_key(t) for t in a.split())
    kb = "".join(phonetic_key(t) for t in b.split())
    if ka == kb:
        return 3
    if _similar(a, b) or (min(len(ka), len(kb)) >= 4 and _jw(ka, kb) >= 0.92):
        return 2
    return 1


def compare_sex(a: str, b: str) -> int:
    if not a or not b:
        return 0
    return 2 if a == b else 1


def compare_phone(a: str, b: str) -> int:
    if not a or not b:
        return 0
    return 2 if a == b else 1


def date_digits(year: int, month: int, day: int) -> int:
    """YYYYMMDD as one integer (the batch pipeline compares dates digit by digit)."""
    return year * 10_000 + month * 100 + day


def one_typo_apart(x: int, y: int) -> bool:
    """Two YYYYMMDD dates differing in one digit, or in two neighbouring digits swapped.

    The errors of a hand-copied date: 1987 -> 1978, 12 -> 21, a day off by one key.
    """
    if x == y:
        return False
    dx, dy = f"{x:08d}", f"{y:08d}"
    diff = [i for i in range(8) if dx[i] != dy[i]]
    if len(diff) == 1:
        return True
    i, j = diff if len(diff) == 2 else (0, 0)
    return j == i + 1 and dx[i] == dy[j] and dx[j] == dy[i]


@lru_cache(maxsize=200_000)
def compare_birth(a: BirthDesc | None, b: BirthDesc | None) -> int:
    if a is None or b is None:
        return 0
    if (a.kind == "age?") != (b.kind == "age?"):
        # An age with no date to count from cannot be set against a birth year.
        return 0
    both_dates = a.kind == "date" and b.kind == "date"
    if both_dates and a.year == b.year:
        if a.month == b.month and a.day == b.day:
            return 7
        if a.month == b.day and a.day == b.month:
            return 6
    if both_dates and one_typo_apart(
        date_digits(a.year, a.month, a.day),  # type: ignore[arg-type]
        date_digits(b.year, b.month, b.day),  # type: ignore[arg-type]
    ):
        return 5
    if a.year is not None and a.year == b.year:
        return 4
    gap = abs(a.center - b.center) - a.tol - b.tol
    if gap <= 1e-9:
        return 3
    if gap <= 2.0:
        return 2
    return 1


@lru_cache(maxsize=100_000)
def compare_place(a: PlaceDesc | None, b: PlaceDesc | None) -> int:
    if a is None or b is None:
        return 0
    if a.district and b.district:
        if a.district == b.district:
            return 4
        if b.district in related_districts(a.district):
            return 3
    if a.state and b.state:
        if a.state.startswith("~") != b.state.startswith("~"):
            # One state resolved, one not: the unresolved one may be a misspelling of it.
            return 0
        return 2 if a.state == b.state else 1
    return 0


def compare(a: Features, b: Features) -> tuple[int, ...]:
    """Levels for every field in FIELDS order."""
    g, f = compare_names(a.name, b.name)
    return (
        g,
        compare_sex(a.sex, b.sex),
        compare_birth(a.birth, b.birth),
        f,
        compare_parent(a.father, b.father),
        compare_parent(a.mother, b.mother),
        compare_village(a.village, b.village),
        compare_place(a.place, b.place),
        compare_phone(a.phone, b.phone),
    )
