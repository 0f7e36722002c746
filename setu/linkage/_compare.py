"""Field comparators: each turns two records' features into a small integer level.

Level 0 always means "not known on one side" and carries no weight. The same scalar
functions serve explain(), MatchIndex and the batch pipeline (which calls them once per
distinct pair of feature values), so every path scores a pair identically.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA, JaroWinkler

from ._features import BirthDesc, Features, NameDesc, PlaceDesc
from ._places import related_districts
from ._text import phonetic_key, strip_vowels, unvoiced_key

# Level names per field, index = level. Order matters: higher = stronger agreement.
LEVELS: dict[str, tuple[str, ...]] = {
    "given_name": (
        "missing", "different", "similar", "alias", "partial", "swapped", "sound", "exact",
    ),
    "sex": ("missing", "different", "same"),
    "birth": (
        "missing", "far", "near", "consistent", "year", "date_typo", "date_swapped", "date",
    ),
    "family_name": ("missing", "different", "married", "similar", "sound"),
    "father_name": ("missing", "different", "similar", "partial", "sound"),
    "mother_name": ("missing", "different", "similar", "partial", "sound"),
    "village": ("missing", "different", "similar", "sound"),
    "place": (
        "missing", "other_state", "same_state", "state_only", "related_district", "same_district",
    ),
    "phone": ("missing", "different", "same"),
}  # fmt: skip
FIELDS: tuple[str, ...] = tuple(LEVELS)
# Evidence about the person; the rest describes the household, which siblings share.
PERSON_FIELDS: frozenset[str] = frozenset({"given_name", "sex", "birth"})

_SIMILAR = 0.88
FAMILY_DIFFERENT, FAMILY_MARRIED, FAMILY_SIMILAR, FAMILY_SOUND = (
    LEVELS["family_name"].index(n) for n in ("different", "married", "similar", "sound")
)


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


class PreparedName:
    """What ``compare_names`` looks at in one name, worked out once per distinct name
    instead of once per pair: joined words, key sets, and each word's sound key and
    consonant skeleton. At 100,000 records there are about two million distinct pairs of
    names and ~150,000 distinct names, so this moves most string work out of the pairs."""

    __slots__ = (
        "_desc",
        "alias",
        "alias_w",
        "family",
        "given",
        "gsnd",
        "ja",
        "ja_snd",
        "jf",
        "jf_snd",
        "jfk",
        "kfull",
        "kg",
        "sak",
        "sf",
        "sfk",
        "sg",
        "sgk",
        "tamil",
        "unsplit",
        "unvoiced",
        "words_w",
    )  # fmt: skip

    def __init__(self, d: NameDesc, unvoiced: bool = False) -> None:
        # The record as written, when its family name was split off the given names.
        self.unsplit = PreparedName(d.unsplit(), unvoiced) if d.split else None
        self.tamil = d.tamil
        self.unvoiced: PreparedName | None = self if unvoiced else None
        self.given, self.family, self.alias = d.given, d.family, d.alias
        self.ja, self.jf = "".join(d.given), "".join(d.family)
        self.sg, self.sf = " ".join(d.given), " ".join(d.family)
        sound = _unvoiced_sound if unvoiced else _sound
        gkeys, fkeys, akeys = d.gkeys, d.fkeys, d.akeys
        if unvoiced:
            gkeys, fkeys, akeys = (tuple(map(unvoiced_key, k)) for k in (gkeys, fkeys, akeys))
        self.kg = "".join(gkeys)
        self.jfk = "".join(fkeys)
        self.kfull = self.kg + self.jfk
        self.sgk, self.sfk, self.sak = frozenset(gkeys), frozenset(fkeys), frozenset(akeys)
        self.gsnd = gsnd = tuple(sound(t) for t in d.given)
        self.ja_snd = gsnd[0] if len(gsnd) == 1 else sound(self.ja)
        self.jf_snd = sound(self.jf)
        # (word, sound key, skeleton) of the alias words, and of the given and alias words.
        self.alias_w = alias_w = tuple((t, *sound(t)) for t in d.alias)
        self.words_w = tuple((t, *k) for t, k in zip(d.given, gsnd, strict=True)) + alias_w
        self._desc = d

    def without_voicing(self) -> PreparedName:
        """The name with every sound key unvoiced (``unvoiced_key``), for comparing it with
        a name written in Tamil script."""
        if self.unvoiced is None:
            self.unvoiced = PreparedName(self._desc, unvoiced=True)
        return self.unvoiced


def _sound(word: str) -> tuple[str, str]:
    key = phonetic_key(word)
    return key, _skeleton(key)


def _unvoiced_sound(word: str) -> tuple[str, str]:
    key = unvoiced_key(phonetic_key(word))
    return key, _skeleton(key)


def _sounds_k(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """``_sounds`` of two words from their (sound key, skeleton)."""
    ka, kb = a[0], b[0]
    if ka == kb:
        return True
    return a[1] == b[1] and len(ka) >= 3 and _jw(ka, kb) >= 0.85


def _near_k(a: str, sa: tuple[str, str], b: str, sb: tuple[str, str]) -> bool:
    """``_near`` of two words given their (sound key, skeleton)."""
    return _sounds_k(sa, sb) or _similar(a, b)


@lru_cache(maxsize=200_000)
def prepare_name(d: NameDesc) -> PreparedName:
    return PreparedName(d)


@lru_cache(maxsize=500_000)
def compare_names(a: NameDesc, b: NameDesc) -> tuple[int, int]:
    """(given level, family level), looking at swaps, merges and aliases together."""
    return compare_prepared_names(prepare_name(a), prepare_name(b))


def compare_prepared_names(a: PreparedName, b: PreparedName) -> tuple[int, int]:
    """``compare_names`` of two prepared names (the batch pipeline prepares each distinct
    name once).

    A record with no family name whose given-name column holds several words is read with
    its last word as the family name ("Puja Das"); that word may as well be a second given
    name ("Mohammad Rafiq", "Anjali Priya"). Where that reading makes the family names
    disagree, the record is also read as written (every word a given name, no family name)
    and that reading is taken if its given names agree better: a family name that was not
    recorded is missing, not different.
    """
    if a.tamil or b.tamil:
        # Tamil script does not write voicing: compare both names' sounds without it.
        a, b = a.without_voicing(), b.without_voicing()
    g, f = _compare_read(a, b)
    if f == 1 and (a.unsplit is not None or b.unsplit is not None):
        g2, f2 = _compare_read(a.unsplit or a, b.unsplit or b)
        if g2 > g:
            return g2, f2
    return g, f


def _compare_read(a: PreparedName, b: PreparedName) -> tuple[int, int]:
    """(given level, family level) of two names as they were read."""
    ga, gb, fa, fb = a.given, b.given, a.family, b.family
    fam = _compare_family(a, b)
    if not ga or not gb:
        return 0, fam
    ja, jb = a.ja, b.ja
    if ja == jb:
        return 7, fam
    if a.kg == b.kg or (len(ga) == len(gb) == 1 and _sounds_k(a.ja_snd, b.ja_snd)):
        return 6, fam
    if a.kfull == b.kfull:
        # Same words, split differently between the given and family columns.
        return 6, FAMILY_SOUND
    # Each given name against the other record's family name, worked out at most once:
    # the swap rule and the name-in-the-family-column rule both ask.
    near_ab = bool(fb) and _near_k(ja, a.ja_snd, b.jf, b.jf_snd)
    near_ba: bool | None = None
    if fa and near_ab:
        near_ba = _near_k(a.jf, a.jf_snd, jb, b.ja_snd)
        if near_ba:
            return 5, FAMILY_SOUND
    if not a.sgk.isdisjoint(b.sgk) or any(_sounds_k(x, y) for x in a.gsnd for y in b.gsnd):
        return 4, fam
    if near_ab or (
        fa and (near_ba if near_ba is not None else _near_k(a.jf, a.jf_snd, jb, b.ja_snd))
    ):
        # One record has the name in the family-name column.
        return 4, fam
    if _alias_match(a, b):
        return 3, fam
    if _similar(a.sg, b.sg) or (min(len(ja), len(jb)) >= 4 and _jw(a.kg, b.kg) >= 0.9):
        return 2, fam
    return 1, fam


def _alias_match(a: PreparedName, b: PreparedName) -> bool:
    """An alias of one record (a home name, a name given by traffickers) is a name of the
    other: every alias word against every given-name and alias word of the other record,
    by phonetic key, sound or spelling (all pairs, the best counts)."""
    if not a.alias and not b.alias:
        return False
    aa, ab = a.sak, b.sak
    if not (aa.isdisjoint(b.sgk) and ab.isdisjoint(a.sgk) and aa.isdisjoint(ab)):
        return True
    return any(
        _near_k(x, (kx, sx), y, (ky, sy))
        for x, kx, sx in a.alias_w
        for y, ky, sy in b.words_w
        if min(len(x), len(y)) >= 3
    ) or any(
        _near_k(x, (kx, sx), y, (ky, sy))
        for x, kx, sx in b.alias_w
        for y, ky, sy in a.words_w
        if min(len(x), len(y)) >= 3
    )


def _compare_family(a: PreparedName, b: PreparedName) -> int:
    if not a.family or not b.family:
        return 0
    if a.jfk == b.jfk or not a.sfk.isdisjoint(b.sfk):
        return FAMILY_SOUND
    if _similar(a.sf, b.sf):
        return FAMILY_SIMILAR
    if initial_agrees(a.family, b.family):
        return FAMILY_SIMILAR
    return FAMILY_DIFFERENT


def is_initial(tok: str) -> bool:
    """A name written as its first letter ("S." for Shaikh, "J. C." for Jitendra Chandra)."""
    return len(tok) == 1


def initial_agrees(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two names of which at least one is written with initials, word by word in order,
    agreeing on every word both record: an initial with the other's word's first letter,
    two whole words by sound or spelling. One side may stop early ("J. C." / "Jitendra
    Chandra Das"). Police and court records write a surname or a father's given names as
    initials, and Tamil records write the father's given name as an initial where other
    communities write a family name; against the whole name an initial is not a
    disagreement. Whole words of one side are matched only where both sides have a word,
    so "J. C. Das" and "Jitendra Chandra Dutta" stay apart."""
    if not a or not b or not any(map(is_initial, a + b)):
        return False
    for x, y in zip(a, b, strict=False):
        if is_initial(x) or is_initial(y):
            if x[0] != y[0]:
                return False
        elif not (phonetic_key(x) == phonetic_key(y) or _similar(x, y)):
            return False
    return True


def woman(sex_a: str, sex_b: str) -> bool:
    """Both records can be of one woman: one or both say female, neither says male."""
    return "F" in (sex_a, sex_b) and "M" not in (sex_a, sex_b)


def married_level(family: int, sex_a: str, sex_b: str) -> int:
    """A woman's family names that differ: "married", not plain "different".

    In India a woman commonly takes her husband's family name at marriage, and one record
    (a missing-person report filed by her parents) holds her father's name while another
    (a rescue, years later) holds her husband's. Her family-name disagreement is therefore
    weaker evidence of two people than a man's; the level has its own, smaller weight.
    (Generic married-woman surnames, Devi, Bibi, Khatun, Begum, Kumari, Bai, are removed
    as honorifics in normalisation: against a real surname they count as not recorded.)
    """
    return FAMILY_MARRIED if family == FAMILY_DIFFERENT and woman(sex_a, sex_b) else family


def _women(sex_a: Any, sex_b: Any, sexes: Sequence[str]) -> Any:
    import numpy as np

    female = np.array([s == "F" for s in sexes], dtype=bool)
    male = np.array([s == "M" for s in sexes], dtype=bool)
    return (female[sex_a] | female[sex_b]) & ~male[sex_a] & ~male[sex_b]


def married_levels(family: Any, sex_a: Any, sex_b: Any, sexes: Sequence[str]) -> Any:
    """``married_level`` for arrays: family levels, and both records' indices into the
    table ``sexes`` of distinct normalised sex values (the batch pipeline's form)."""
    import numpy as np

    married = (np.asarray(family) == FAMILY_DIFFERENT) & _women(sex_a, sex_b, sexes)
    return np.where(married, FAMILY_MARRIED, family).astype(np.asarray(family).dtype)


class PreparedParent:
    """What ``compare_parent`` looks at in one parent's name, worked out once per distinct
    name (the clustering compares the same names with many others)."""

    __slots__ = ("first", "joined", "key", "keyset", "known", "toks")

    def __init__(self, toks: tuple[str, ...]) -> None:
        keys = _keys(toks)
        self.toks = toks
        self.known = bool(toks)
        self.key = "".join(keys)  # name_key(toks)
        self.first = keys[0] if keys else ""
        self.keyset = frozenset(keys)
        self.joined = " ".join(toks)


@lru_cache(maxsize=500_000)
def compare_parent(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    return compare_prepared_parents(PreparedParent(a), PreparedParent(b))


def compare_prepared_parents(a: PreparedParent, b: PreparedParent) -> int:
    """``compare_parent`` of two prepared parents' names."""
    if not a.known or not b.known:
        return 0
    if a.key == b.key:
        return 4
    if a.first == b.first or a.keyset <= b.keyset or b.keyset <= a.keyset:
        # "Ramesh" / "Ramesh Chandra Das": one side wrote less.
        return 3
    if _jw(a.joined, b.joined) >= _SIMILAR:
        return 2
    if initial_agrees(a.toks, b.toks):
        # "J. C. Das" / "Jitendra Chandra": not a disagreement, yet too little to count
        # for the pair: "R. Shaikh" is every Shaikh whose name starts with R, and as
        # "partial" it merged namesakes' families at 100,000 records (bench/HISTORY.md).
        return 0
    return 1


class PreparedVillage:
    """What ``compare_village`` looks at in one village: the text and its sound key."""

    __slots__ = ("key", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.key = "".join(phonetic_key(t) for t in text.split())


@lru_cache(maxsize=500_000)
def compare_village(a: str, b: str) -> int:
    return compare_prepared_villages(PreparedVillage(a), PreparedVillage(b))


def compare_prepared_villages(a: PreparedVillage, b: PreparedVillage) -> int:
    """``compare_village`` of two prepared villages."""
    if not a.text or not b.text:
        return 0
    if a.text == b.text:
        return 3
    ka, kb = a.key, b.key
    if ka == kb:
        return 3
    if _similar(a.text, b.text) or (min(len(ka), len(kb)) >= 4 and _jw(ka, kb) >= 0.92):
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
    return _one_slip(f"{x:08d}", f"{y:08d}")


def _one_slip(a: str, b: str) -> bool:
    """Two different strings of one length that differ in one character, or in two
    neighbouring characters swapped: a hand's slip copying a number."""
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    i, j = diff if len(diff) == 2 else (0, 0)
    return j == i + 1 and a[i] == b[j] and a[j] == b[i]


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


def code_slip(a: str, b: str) -> bool:
    """Two district codes outside the gazetteer written in digits (postcodes, PIN codes)
    that differ by one slip of a hand copying a number: one digit, or two neighbouring
    digits swapped (as ``one_typo_apart`` for dates). Such a code is the other one miscopied
    or a neighbouring area's; which, the learned weight of the level says."""
    if len(a) != len(b) or a == b or not (a.startswith("~") and b.startswith("~")):
        return False
    return a[1:].isdigit() and b[1:].isdigit() and _one_slip(a, b)


@lru_cache(maxsize=100_000)
def compare_place(a: PlaceDesc | None, b: PlaceDesc | None) -> int:
    if a is None or b is None:
        return 0
    if a.district and b.district:
        if a.district == b.district:
            return 5
        if b.district in related_districts(a.district) or code_slip(a.district, b.district):
            return 4
    if a.state and b.state:
        if a.state.startswith("~") != b.state.startswith("~"):
            # One state resolved, one not: the unresolved one may be a misspelling of it.
            return 0
        if a.state != b.state:
            return 1
        # Same state. Two districts recorded and different is a (weak) disagreement; a
        # district recorded on one side only is unknown, not different: the state agrees.
        return 2 if a.district and b.district else 3
    return 0


def compare(a: Features, b: Features) -> tuple[int, ...]:
    """Levels for every field in FIELDS order."""
    g, f = compare_names(a.name, b.name)
    return (
        g,
        compare_sex(a.sex, b.sex),
        compare_birth(a.birth, b.birth),
        married_level(f, a.sex, b.sex),
        compare_parent(a.father, b.father),
        compare_parent(a.mother, b.mother),
        compare_village(a.village, b.village),
        compare_place(a.place, b.place),
        compare_phone(a.phone, b.phone),
    )
