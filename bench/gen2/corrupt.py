"""How a name gets written down: script, romanisation style, and errors.

A person's name is held in its native script. Each record writes it either in a
native script (the region's, or another org's: Devanagari names in Bengali script
at a Kolkata shelter) or romanised in one of several styles a clerk might use, then
applies at most a few errors: keyboard slips, OCR confusions, phonetic respellings,
or (in native script) a vowel sign dropped or lengthened.
"""

from __future__ import annotations

import random
import unicodedata
from functools import lru_cache

from indic_transliteration import sanscript

SCHEMES = {
    "devanagari": sanscript.DEVANAGARI,
    "bengali": sanscript.BENGALI,
    "oriya": sanscript.ORIYA,
}


@lru_cache(maxsize=65536)
def to_script(text: str, source: str, target: str) -> str:
    if source == target:
        return text
    src = text.replace("ୱ", "ଵ") if source == "oriya" else text
    return sanscript.transliterate(src, SCHEMES[source], SCHEMES[target])


@lru_cache(maxsize=65536)
def _iast(text: str, source: str) -> str:
    src = text.replace("ୱ", "ଵ") if source == "oriya" else text
    # The ya with nukta (Bengali য়, Odia ୟ) is plain y in Latin spelling.
    src = src.replace("\u09df", "\u09af").replace("\u09af\u09bc", "\u09af")
    src = src.replace("\u0b5f", "\u0b2f")
    return sanscript.transliterate(src, SCHEMES[source], sanscript.IAST)


# Romanisation styles: how long vowels, sibilants and the inherent vowel are written.
STYLES = ("plain", "long", "eastern", "clerk")


def romanise(text: str, source: str, style: str) -> str:
    """A Latin spelling of a native-script name in one of ``STYLES``.

    plain: Sunita, Lakshmi, Ram; long: Suneeta, Laxmee, Raam (doubled vowels);
    eastern: the inherent vowel as o, v as b, final a kept (Bengali/Odia habit:
    Sourov, Bijoy); clerk: sh and s merged, ksh as x, aspirates sometimes dropped.
    """
    s = _iast(text, source).lower()
    final_short_a = s.endswith("a") and not s.endswith("ā")
    rep = [
        ("ṛ", "ri"),
        ("ṝ", "ri"),
        ("kṣ", "ksh"),
        ("jñ", "gy"),
        ("ś", "sh"),
        ("ṣ", "sh"),
        ("ṭ", "t"),
        ("ḍ", "d"),
        ("ṇ", "n"),
        ("ñ", "n"),
        ("ṅ", "n"),
        ("ḥ", ""),
        ("ṁ", "n"),
        ("ṃ", "n"),
        ("ch", "chh"),
        ("c", "ch"),
        ("ḻ", "l"),
        ("ẏ", "y"),
    ]
    for a, b in rep:
        s = s.replace(a, b)
    if style == "long":
        s = s.replace("ā", "aa").replace("ī", "ee").replace("ū", "oo")
    elif style == "eastern" and source in ("bengali", "oriya"):
        s = _inherent_o(s).replace("v", "b").replace("w", "b")
    elif style == "clerk":
        s = s.replace("ksh", "x").replace("sh", "s").replace("chh", "ch").replace("ph", "f")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if ch.isascii() and (ch.isalpha() or ch == " "))
    if final_short_a and len(s) > 3 and s[-2] not in "aeiou":
        s = s[:-1]  # Hindi-belt speech drops the final inherent vowel: Rama -> Ram
    return s[:1].upper() + s[1:]


def _inherent_o(s: str) -> str:
    # The first short a (not ā) after a consonant, not at the end, is written o, as
    # Bengali and Odia spellings do (Sourav -> Sourov, Bijay -> Bijoy).
    for i in range(1, len(s) - 1):
        if s[i] == "a" and s[i - 1] not in "aeiouāīū" and i >= len(s) // 2:
            return s[:i] + "o" + s[i + 1 :]
    return s


QWERTY_NEIGHBOURS = {
    "a": "qsz",
    "b": "vgn",
    "c": "xvd",
    "d": "sfe",
    "e": "wrd",
    "f": "dgr",
    "g": "fht",
    "h": "gjy",
    "i": "uok",
    "j": "hku",
    "k": "jli",
    "l": "kop",
    "m": "nj",
    "n": "bmh",
    "o": "ipl",
    "p": "ol",
    "r": "etf",
    "s": "adw",
    "t": "rgy",
    "u": "yij",
    "v": "cbf",
    "w": "qes",
    "y": "tuh",
    "z": "xas",
}
OCR_CONFUSIONS = (("rn", "m"), ("m", "rn"), ("cl", "d"), ("li", "h"), ("nn", "m"), ("u", "ii"))
PHONETIC = (
    ("sh", "s"),
    ("s", "sh"),
    ("v", "w"),
    ("w", "v"),
    ("ee", "i"),
    ("i", "ee"),
    ("oo", "u"),
    ("u", "oo"),
    ("ph", "f"),
    ("z", "j"),
    ("j", "z"),
    ("x", "ksh"),
    ("aa", "a"),
    ("th", "t"),
    ("dh", "d"),
    ("bh", "b"),
    ("y", "i"),
)
# Dependent vowel signs that get confused (short/long i and u) in the native scripts.
MATRA_SWAPS = (
    ("ि", "ी"),
    ("ी", "ि"),
    ("ु", "ू"),
    ("ू", "ु"),
    ("ি", "ী"),
    ("ী", "ি"),
    ("ু", "ূ"),
    ("ୁ", "ୂ"),
    ("ି", "ୀ"),
    ("ୀ", "ି"),
)


def keyboard_typo(s: str, rng: random.Random) -> str:
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s))
    kind = rng.random()
    ch = s[i].lower()
    if kind < 0.4 and ch in QWERTY_NEIGHBOURS:
        return s[:i] + rng.choice(QWERTY_NEIGHBOURS[ch]) + s[i + 1 :]
    if kind < 0.6:
        return s[:i] + s[i + 1 :]  # dropped letter
    if kind < 0.8 and i < len(s) - 1:
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]  # transposed
    return s[:i] + s[i] + s[i:]  # doubled


def ocr_error(s: str, rng: random.Random) -> str:
    options = [(a, b) for a, b in OCR_CONFUSIONS if a in s[1:]]
    if not options:
        return s
    a, b = rng.choice(options)
    i = s.index(a, 1)
    return s[:i] + b + s[i + len(a) :]


def phonetic_respelling(s: str, rng: random.Random) -> str:
    low = s.lower()
    options = [(a, b) for a, b in PHONETIC if a in low]
    if not options:
        return s
    a, b = rng.choice(options)
    i = low.index(a)
    out = low[:i] + b + low[i + len(a) :]
    return out[:1].upper() + out[1:]


def matra_error(s: str, rng: random.Random) -> str:
    options = [(a, b) for a, b in MATRA_SWAPS if a in s]
    if not options:
        return s
    a, b = rng.choice(options)
    return s.replace(a, b, 1)


def latin_error(s: str, rng: random.Random) -> tuple[str, str]:
    """One error in a romanised name; returns (text, kind)."""
    r = rng.random()
    if r < 0.45:
        return keyboard_typo(s, rng), "keyboard"
    if r < 0.65:
        out = ocr_error(s, rng)
        if out != s:
            return out, "ocr"
    return phonetic_respelling(s, rng), "phonetic"
