"""The ways one person's details drift between records.

All functions take the caller's ``random.Random`` so that generation stays
deterministic. Expensive, input-only work (variant lists, native-script
rendering) is cached per distinct string: name pools are small, so caches
stay small while a million records reuse them.
"""

from __future__ import annotations

import random
import re
from functools import cache

from indic_transliteration import sanscript

from .names import EQUIVALENT_SPELLINGS

# ---------------------------------------------------------------------------
# Native script

SCRIPT_SCHEMES: dict[str, str] = {
    "Deva": sanscript.DEVANAGARI,
    "Beng": sanscript.BENGALI,
    "Orya": sanscript.ORIYA,
    "Telu": sanscript.TELUGU,
    "Taml": sanscript.TAMIL,
    "Knda": sanscript.KANNADA,
    "Guru": sanscript.GURMUKHI,
    "Gujr": sanscript.GUJARATI,
}

_VOWELS = set("aeiouAEIOU")

# Latin spelling -> ITRANS, most specific first. Indian Latin spellings are
# loose, so this is a heuristic that gives the form a clerk would write, not a
# linguistic transcription.
_ITRANS_RULES: tuple[tuple[str, str], ...] = (
    ("ksh", "kSh"),
    ("x", "kSh"),
    ("chh", "Ch"),
    ("aa", "A"),
    ("ee", "I"),
    ("oo", "U"),
    ("ou", "au"),
    ("w", "v"),
    ("f", "ph"),
    ("z", "j"),
    ("q", "k"),
)


def latin_to_itrans(text: str, *, female: bool = False) -> str:
    """Approximate ITRANS for a Latin-script Indian name (one or more words)."""
    words = []
    for word in re.sub(r"[^a-z ]", "", text.lower()).split():
        for old, new in _ITRANS_RULES:
            word = word.replace(old, new)
        # A bare "c" is a k-sound in Indian Latin spellings ("Cuttack").
        word = re.sub(r"c(?!h)", "k", word)
        if word.endswith("oy"):
            # Bengali "Bijoy", "Roy": the o is the inherent vowel before ya (বিজয়).
            words.append(word[:-2] + "aya")
            continue
        last = word[-1]
        if last == "a" and (female or word.endswith(("ya", "ia"))):
            word = word[:-1] + "A"
        elif last in "iy":
            word = word[:-1] + "I"
        elif last not in _VOWELS:
            # Written Indic names end in the inherent vowel, not a virama.
            word += "a"
        words.append(word)
    return " ".join(words)


@cache
def to_script(text: str, script: str, female: bool = False) -> str:
    """Render a Latin name in a native script (ISO 15924 code); cached."""
    if not text or script == "Latn":
        return text
    return sanscript.transliterate(
        latin_to_itrans(text, female=female), sanscript.ITRANS, SCRIPT_SCHEMES[script]
    )


# ---------------------------------------------------------------------------
# Transliteration variants of Latin names

_EQUIV: dict[str, tuple[str, ...]] = {}
for _group in EQUIVALENT_SPELLINGS:
    for _member in _group:
        _EQUIV[_member.lower()] = tuple(m for m in _group if m != _member)

# Regex rewrites that mirror how the same sound is spelt differently across
# states and clerks (Bengali b/v and o/a, Hindi aa/a, English-medium ee/oo).
_TRANSLIT_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"oo", "u"),
        (r"(?<=[^aeiou])u(?=[^aeiou])", "oo"),
        (r"ee", "i"),
        (r"(?<=[^aeiou])i$", "ee"),
        (r"(?<=[^aeiou])i(?=[^aeiou])", "ee"),
        (r"aa", "a"),
        (r"(?<=[^aeiou])a(?=[^aeiouy])", "aa"),
        (r"w", "v"),
        (r"v", "w"),
        (r"sh", "s"),
        (r"(?<!s)s(?=[aeiou])", "sh"),
        (r"ph", "f"),
        (r"ksh", "x"),
        (r"chh", "ch"),
        (r"(?<!c)ch", "chh"),
        (r"th", "t"),
        (r"v", "b"),
        (r"b", "v"),
        (r"(?<=[^aeiou])a(?=[^aeiou])", "o"),
        (r"z", "j"),
        (r"j", "z"),
        (r"([bcdfgklmnprst])\1", r"\1"),
        (r"y$", "i"),
        (r"i$", "y"),
    )
)


def _match_case(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@cache
def translit_variants(word: str) -> tuple[str, ...]:
    """All single-step spelling variants of one name token (cached)."""
    low = word.lower()
    out: dict[str, None] = {}
    for alt in _EQUIV.get(low, ()):
        out[alt] = None
    for pattern, repl in _TRANSLIT_RULES:
        for m in pattern.finditer(low):
            variant = low[: m.start()] + m.expand(repl) + low[m.end() :]
            if len(variant) >= 2 and variant != low:
                out[_match_case(word, variant)] = None
            # One rewrite per rule per token keeps variants plausible.
            break
    out.pop(word, None)
    return tuple(out)


def translit_variant(name: str, rng: random.Random) -> str:
    """Respell one token of a (possibly multi-word) name."""
    tokens = name.split()
    if not tokens:
        return name
    i = rng.randrange(len(tokens))
    options = translit_variants(tokens[i])
    if not options:
        return name
    tokens[i] = options[rng.randrange(len(options))]
    return " ".join(tokens)


# ---------------------------------------------------------------------------
# Keyboard typos

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS: dict[str, str] = {}
for _r, _row in enumerate(_KEYBOARD_ROWS):
    for _c, _ch in enumerate(_row):
        near = []
        if _c > 0:
            near.append(_row[_c - 1])
        if _c < len(_row) - 1:
            near.append(_row[_c + 1])
        for _other in (_r - 1, _r + 1):
            if 0 <= _other < len(_KEYBOARD_ROWS):
                orow = _KEYBOARD_ROWS[_other]
                near.extend(orow[max(0, _c - 1) : _c + 1])
        _NEIGHBOURS[_ch] = "".join(near)


def keyboard_typo(text: str, rng: random.Random) -> str:
    """One slip of the finger: neighbour key, dropped, doubled or swapped letter."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))
    ch = text[i]
    kind = rng.random()
    if kind < 0.4 and ch.lower() in _NEIGHBOURS:
        sub = rng.choice(_NEIGHBOURS[ch.lower()])
        sub = sub.upper() if ch.isupper() else sub
        return text[:i] + sub + text[i + 1 :]
    if kind < 0.65:
        return text[:i] + text[i + 1 :]
    if kind < 0.8:
        return text[:i] + ch + text[i:]
    if i < len(text) - 1:
        return text[:i] + text[i + 1] + ch + text[i + 2 :]
    return text[:i] + text[i] + text[i:]


# ---------------------------------------------------------------------------
# Places

# Spelling families for village-name suffixes (Rampur/Rampore, Kalikapara/
# Kalikaparah, Chintalpalli/Chintalpalle...).
_SUFFIX_VARIANTS: dict[str, tuple[str, ...]] = {
    "pur": ("pore", "poor", "puur"),
    "para": ("parah", "pada", "paraa"),
    "pada": ("para", "padaa"),
    "gaon": ("gao", "gaun", "gaon"),
    "palli": ("palle", "pally", "pali"),
    "guda": ("gudem", "gooda"),
    "hat": ("haat",),
    "ganj": ("gunj", "gonj"),
    "halli": ("hali", "hally"),
    "wadi": ("wadee", "vadi"),
    "danga": ("dunga", "donga"),
    "tola": ("toli", "tolla"),
    "bari": ("baree", "bary"),
    "garh": ("gadh", "gar"),
    "dih": ("deeh", "dihi"),
    "sahi": ("shahi", "sai"),
}
_SUFFIX_RE = re.compile("(" + "|".join(sorted(_SUFFIX_VARIANTS, key=len, reverse=True)) + ")")


@cache
def village_variants(name: str) -> tuple[str, ...]:
    """Plausible respellings of a village name (cached)."""
    out: dict[str, None] = {}
    for m in _SUFFIX_RE.finditer(name.lower()):
        for alt in _SUFFIX_VARIANTS[m.group(1)]:
            out[name[: m.start()] + alt + name[m.end() :]] = None
    first = name.split()[0]
    for v in translit_variants(first):
        out[name.replace(first, v, 1)] = None
    out.pop(name, None)
    return tuple(out)


def village_variant(name: str, rng: random.Random) -> str:
    options = village_variants(name)
    return options[rng.randrange(len(options))] if options else name


# ---------------------------------------------------------------------------
# Phones


def format_phone(number: str, rng: random.Random) -> str:
    """Write a 10-digit mobile number the way different forms do."""
    r = rng.random()
    if r < 0.42:
        return number
    if r < 0.54:
        return "+91" + number
    if r < 0.64:
        return f"+91 {number[:5]} {number[5:]}"
    if r < 0.74:
        return "0" + number
    if r < 0.82:
        return f"{number[:5]}-{number[5:]}"
    if r < 0.88:
        return f"+91-{number}"
    if r < 0.94:
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    return f"91{number}"


def phone_typo(number: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(number))
    if rng.random() < 0.5 and i < len(number) - 1:
        return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    return number[:i] + str(rng.randrange(10)) + number[i + 1 :]
