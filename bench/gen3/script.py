"""Writing a romanised Indian name in a native script, as a clerk would.

Everyday romanisation ("Pooja", "Lakshmi", "Rahul") is not a transliteration
scheme, so it is first mapped onto ITRANS by a few rules and then handed to
``indic_transliteration``. The result is what a person typing the name by ear
would produce, not a dictionary spelling.
"""

from __future__ import annotations

import re
from functools import lru_cache

from indic_transliteration import sanscript

SCRIPTS = {
    "devanagari": sanscript.DEVANAGARI,
    "bengali": sanscript.BENGALI,
    "oriya": sanscript.ORIYA,
    "telugu": sanscript.TELUGU,
    "tamil": sanscript.TAMIL,
    "kannada": sanscript.KANNADA,
    "gujarati": sanscript.GUJARATI,
    "gurmukhi": sanscript.GURMUKHI,
}

# Unicode block of each script, for tests and counts.
BLOCKS = {
    "devanagari": (0x0900, 0x097F),
    "bengali": (0x0980, 0x09FF),
    "gurmukhi": (0x0A00, 0x0A7F),
    "gujarati": (0x0A80, 0x0AFF),
    "oriya": (0x0B00, 0x0B7F),
    "tamil": (0x0B80, 0x0BFF),
    "telugu": (0x0C00, 0x0C7F),
    "kannada": (0x0C80, 0x0CFF),
}

_RULES = (
    ("ksh", "kSh"),
    ("x", "kSh"),
    ("aa", "A"),
    ("ee", "I"),
    ("oo", "U"),
    ("ou", "au"),
    ("w", "v"),
    ("q", "k"),
    ("f", "ph"),
    ("z", "j"),
    ("y$", "I"),
)
_VOWEL_END = re.compile(r"[aeiouAIU]$")


def _itrans_word(word: str, feminine: bool) -> str:
    w = word.lower().replace(".", "")
    for pattern, repl in _RULES:
        w = re.sub(pattern, repl, w)
    if feminine and w.endswith("i") and len(w) > 2:
        w = w[:-1] + "I"  # -i of women's names is long in Indian scripts
    elif feminine and w.endswith("a") and not w.endswith("A"):
        w = w[:-1] + "A"
    elif not _VOWEL_END.search(w):
        w += "a"  # inherent vowel: no virama at the end of a written name
    return w


@lru_cache(maxsize=200_000)
def to_script(text: str, script: str, feminine: bool = False) -> str:
    """``text`` (romanised, possibly several words or an initial) in ``script``."""
    if not text:
        return ""
    words = []
    for word in text.split():
        if not word.replace(".", "").isalpha() or not word.isascii():
            words.append(word)
            continue
        if len(word.rstrip(".")) == 1:
            words.append(word)  # an initial stays Latin, as clerks write it
            continue
        words.append(
            sanscript.transliterate(_itrans_word(word, feminine), sanscript.ITRANS, SCRIPTS[script])
        )
    return " ".join(words)


def script_of(text: str) -> str | None:
    """The first native script found in ``text``, or None for Latin-only text."""
    for ch in text:
        code = ord(ch)
        for name, (lo, hi) in BLOCKS.items():
            if lo <= code <= hi:
                return name
    return None
