"""Pure text helpers of the registry: phone normalisation, Aadhaar guard, name folding for search.

No Django models here, so migrations can import these functions safely. The deep fuzzy matching
engine is ``setu.linkage``; this is only what a caseworker's search box needs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from setu.core.crypto import blind_index
from setu.linkage import to_latin

PHONE_ERROR = _(
    "Enter an Indian number of 10 digits (with or without +91 or a leading 0), "
    "or an international number starting with + and the country code."
)
AADHAAR_ERROR = _("Only the last four digits of an Aadhaar number may be stored.")
AADHAAR_SHORT_ERROR = _("Enter the last four digits of the Aadhaar number.")

_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_DIGITS = re.compile(r"\d")


def normalise_phone(raw: str) -> str:
    """Return ``+91XXXXXXXXXX`` for an Indian number or ``+<cc><digits>`` for another country.

    Raises ``ValueError`` (with a user-facing message) when the input is not a phone number.
    """
    text = _PHONE_SEPARATORS.sub("", raw or "")
    if text.startswith("00"):
        text = "+" + text[2:]
    if text.startswith("+"):
        digits = text[1:]
        if not digits.isdigit():
            raise ValueError(str(PHONE_ERROR))
        if digits.startswith("91"):
            national = digits[2:]
            if len(national) == 10 and national[0] in "23456789":
                return "+91" + national
            raise ValueError(str(PHONE_ERROR))
        # Nepal, Bangladesh and others: E.164 allows at most 15 digits.
        if 8 <= len(digits) <= 15 and digits[0] != "0":
            return "+" + digits
        raise ValueError(str(PHONE_ERROR))
    if not text.isdigit():
        raise ValueError(str(PHONE_ERROR))
    if len(text) == 11 and text.startswith("0"):
        text = text[1:]
    elif len(text) == 12 and text.startswith("91"):
        text = text[2:]
    if len(text) == 10 and text[0] in "23456789":
        return "+91" + text
    raise ValueError(str(PHONE_ERROR))


def phone_digits(raw: str) -> str:
    """Only the digits of a string (for partial phone search)."""
    return "".join(_DIGITS.findall(raw or ""))


def looks_like_phone(query: str) -> bool:
    """A query of mostly digits is a phone search, not a name search."""
    compact = _PHONE_SEPARATORS.sub("", query or "").lstrip("+")
    return len(compact) >= 4 and compact.isdigit()


_DOCUMENT = re.compile(r"(?=[A-Za-z0-9]*[A-Za-z])(?=(?:[A-Za-z]*[0-9]){3})[A-Za-z0-9]{6,20}")


def looks_like_document_number(query: str) -> bool:
    """One word of letters and digits (at least three), such as a voter ID ``ABC1234567``, a
    PAN or a passport number, is a document search, not a name search."""
    return bool(_DOCUMENT.fullmatch(re.sub(r"[\s/-]", "", query or "")))


def aadhaar_last_four(raw: str) -> str:
    """The four digits to store for an Aadhaar card; refuses anything with more than four digits."""
    digits = phone_digits(raw)
    if len(digits) > 4:
        raise ValueError(str(AADHAAR_ERROR))
    if len(digits) != 4:
        raise ValueError(str(AADHAAR_SHORT_ERROR))
    return digits


# Romanised Indian names are spelt many ways; these folds make the common variants meet
# (Pooja/Puja, Laxmi/Lakshmi, Khatoon/Khatun, Mohd/Mohammad is left to the linkage engine).
_FOLDS = (
    ("x", "ks"),
    ("ksh", "ks"),
    ("sh", "s"),
    ("ph", "f"),
    ("bh", "b"),
    ("dh", "d"),
    ("gh", "g"),
    ("jh", "j"),
    ("kh", "k"),
    ("th", "t"),
    ("ch", "c"),
    ("z", "j"),
    ("w", "v"),
    # Bengali and Odia write v as b (Bijay/Vijay, দেবাশিস/Debashis), as the linkage keys do.
    ("v", "b"),
    ("q", "k"),
    ("ee", "i"),
    ("oo", "u"),
    ("ou", "u"),
    ("y", "i"),
)
_REPEAT = re.compile(r"(.)\1+")
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)


def strip_diacritics(text: str) -> str:
    """Remove accents from Latin letters (Rāmā -> Rama), keeping other scripts intact."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _latin_word(word: str) -> str:
    """A word in an Indic script in Latin letters, by the linkage engine's own transliteration
    (the one matching builds its keys from); other words as they are."""
    if word.isascii():
        return word
    latin = to_latin(word)
    # A script the engine does not transliterate (Urdu) comes back empty: keep it as written.
    return latin if any(c.isalpha() for c in latin) else word


def fold_token(token: str) -> str:
    """Fold one word: lower case, no diacritics, common transliteration variants merged."""
    word = strip_diacritics(_latin_word(token)).casefold()
    if not word.isascii():
        return word
    for old, new in _FOLDS:
        word = word.replace(old, new)
    word = _REPEAT.sub(r"\1", word)
    # A final 'a' is often dropped in romanisation (Ram/Rama); trailing 'h' too (Shah/Sha).
    if len(word) > 3:
        word = word.rstrip("h")
        if word.endswith("a"):
            word = word[:-1]
    return word


def fold_name(text: str) -> list[str]:
    """The folded words of a name, in order. Words in an Indic script are written in Latin
    letters first (before punctuation is removed: their vowel signs are not word characters),
    so রূপা, रूपा, Rupa and Roopa all fold to the same word and a search in one script finds
    records written in another."""
    latin = " ".join(_latin_word(w) for w in (text or "").split())
    cleaned = _NON_WORD.sub(" ", latin)
    return [t for t in (fold_token(w) for w in cleaned.split()) if t]


def search_key(names: Iterable[str]) -> str:
    """The folded words of names, each preceded by a space: what ``Person.search_key`` held
    before names were encrypted (migrations 0003, 0008 and the reverse of 0013 use it)."""
    seen: list[str] = []
    for name in names:
        for token in fold_name(name):
            if token not in seen:
                seen.append(token)
    return "".join(f" {t}" for t in seen) + (" " if seen else "")


# A folded query word this long or longer also finds the names it starts (typing "Pri" finds
# Priya); a single letter finds only whole words, so that it does not list half the registry.
# Two, not three: folding shortens what is typed ("Kha" folds to "ka", "She" to "se"), and three
# typed letters must find Khatun and Sheikh.
MIN_PREFIX = 2
# Domain separation of the name-word digests from every other blind index.
NAME_WORD_PURPOSE = "registry.person.name_word"


def name_words(names: Iterable[str]) -> set[str]:
    """What name search can find a person by: every folded word of her names and aliases, and
    each word's starts of ``MIN_PREFIX`` letters or more."""
    words: set[str] = set()
    for name in names:
        for word in fold_name(name):
            words.add(word)
            words.update(word[:end] for end in range(MIN_PREFIX, len(word)))
    return words


def name_word_digest(word: str) -> str:
    """The blind index of one folded word (HMAC under the field index key)."""
    return blind_index(NAME_WORD_PURPOSE, word)


def name_digests(names: Iterable[str]) -> set[str]:
    """The blind indexes stored for a person's names (``PersonNameToken``)."""
    return set(name_tokens(names))


def name_tokens(names: Iterable[str]) -> dict[str, bool]:
    """The blind indexes stored for a person's names, each with whether it is a whole word of
    one of them (``PersonNameToken.whole``): search ranks a person whose name is the word typed
    before one whose name only starts with it ("Rupa" before "Rupali")."""
    whole = {word for name in names for word in fold_name(name)}
    return {name_word_digest(word): word in whole for word in name_words(names)}


def query_digests(query: str) -> list[str]:
    """One blind index per word of a name search, in order, without repeats: a person is found
    when every one of them is among her tokens."""
    out: list[str] = []
    for word in fold_name(query):
        digest = name_word_digest(word)
        if digest not in out:
            out.append(digest)
    return out


_SCRIPT_RANGES = (
    ((0x0900, 0x097F), "devanagari"),
    ((0x0980, 0x09FF), "bengali"),
    ((0x0A00, 0x0A7F), "gurmukhi"),
    ((0x0A80, 0x0AFF), "gujarati"),
    ((0x0B00, 0x0B7F), "odia"),
    ((0x0B80, 0x0BFF), "tamil"),
    ((0x0C00, 0x0C7F), "telugu"),
    ((0x0C80, 0x0CFF), "kannada"),
    ((0x0D00, 0x0D7F), "malayalam"),
    ((0x0600, 0x06FF), "urdu"),
)


def detect_script(text: str) -> str:
    """The script of the first non-Latin letter in ``text`` ('' when none is recognised)."""
    for char in text or "":
        code = ord(char)
        for (low, high), script in _SCRIPT_RANGES:
            if low <= code <= high:
                return script
    return "latin" if any(c.isalpha() for c in text or "") else ""


# --- case references ------------------------------------------------------------------------------

# One scheme: ``<ORG>/<year>/<nnnn>`` (as FIR and court numbers are written). Older numbers were
# also written ``<ORG>-<year>-<nnnn>``; either spelling, any case, any padding, means the same.
_CASE_REFERENCE = re.compile(
    r"^\s*([A-Za-z][A-Za-z0-9]*)\s*[-/. ]\s*(\d{4})\s*[-/. ]\s*(\d{1,6})\s*$"
)


def case_reference(prefix: str, year: int, sequence: int) -> str:
    """The reference of a case numbered ``sequence`` in ``year`` by an organisation."""
    return f"{prefix.upper()}/{year}/{sequence:04d}"


def parse_case_reference(text: str) -> tuple[str, int, int] | None:
    """``(prefix, year, sequence)`` of a numbered reference, or None for a free-form one."""
    match = _CASE_REFERENCE.match(text or "")
    if match is None:
        return None
    return match.group(1).upper(), int(match.group(2)), int(match.group(3))


def normalise_case_reference(text: str) -> str:
    """A numbered reference in the one scheme; a free-form reference (a court's file number)
    stripped but otherwise as written."""
    parsed = parse_case_reference(text)
    return case_reference(*parsed) if parsed else (text or "").strip()
