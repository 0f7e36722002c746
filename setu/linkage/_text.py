"""Text normalisation for Indian names: script folding, honorifics, phonetic keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from indic_transliteration import sanscript
from indic_transliteration.sanscript import transliterate

# Unicode blocks of the Indic scripts we fold to Latin. Ordered by block start.
_SCRIPT_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0900, 0x097F, sanscript.DEVANAGARI),
    (0x0980, 0x09FF, sanscript.BENGALI),
    (0x0A00, 0x0A7F, sanscript.GURMUKHI),
    (0x0A80, 0x0AFF, sanscript.GUJARATI),
    (0x0B00, 0x0B7F, sanscript.ORIYA),
    (0x0B80, 0x0BFF, sanscript.TAMIL),
    (0x0C00, 0x0C7F, sanscript.TELUGU),
    (0x0C80, 0x0CFF, sanscript.KANNADA),
    (0x0D00, 0x0D7F, sanscript.MALAYALAM),
)

# The Tamil scheme of indic-transliteration renders the (single) Tamil stop series as
# voiced aspirates; Tamil names are written in Latin letters with the unvoiced stop.
_TAMIL_FIX = (("bh", "p"), ("gh", "k"), ("ḍh", "ṭ"), ("dh", "t"), ("jh", "c"))

# Spellings of the same word that phonetic rules alone do not join.
_CANONICAL: dict[str, str] = {
    "md": "mohammad", "mohd": "mohammad", "mohammed": "mohammad", "muhammad": "mohammad",
    "muhammed": "mohammad", "mohamad": "mohammad", "mohamed": "mohammad", "mahammad": "mohammad",
    "mahamad": "mohammad", "mohmmad": "mohammad", "mohmad": "mohammad", "mahmad": "mohammad",
    "shekh": "shaikh", "sheikh": "shaikh", "shaik": "shaikh", "sheik": "shaikh", "seikh": "shaikh",
    "shk": "shaikh", "sekh": "shaikh", "skh": "shaikh", "sk": "shaikh",
    "khatoon": "khatun", "khaton": "khatun", "begam": "begum", "debi": "devi",
    "smt": "smt", "srimati": "smt", "shrimati": "smt", "shri": "shri", "sri": "shri",
    "shree": "shri", "kr": "kumar", "km": "kumari", "kum": "kumari", "kumaari": "kumari",
    "mst": "mst", "mosammat": "mst", "musammat": "mst", "saikh": "shaikh", "kumri": "kumari",
    "kumaree": "kumari", "devee": "devi", "dewi": "devi",
}  # fmt: skip

_HONORIFIC_CANON = frozenset(
    {
        "kumari", "kumar", "devi", "khatun", "begum", "bibi", "bai", "bee", "rani", "smt",
        "shri", "sh", "mr", "mrs", "ms", "miss", "master", "baby", "late", "lt", "mohammad",
        "shaikh", "mst", "ben", "bhai",
    }
)  # fmt: skip
# A record whose whole name is one of these keeps it: a lone "Rani" is a name.
_KEEP_IF_ONLY = frozenset({"rani", "shaikh", "mohammad", "bibi", "begum", "khatun", "devi"})

_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")


def _script_of(ch: str) -> str | None:
    cp = ord(ch)
    for lo, hi, scheme in _SCRIPT_BLOCKS:
        if lo <= cp <= hi:
            return scheme
    return None


_IAST_CONSONANT = set("bcdfghjklmnpqrstvwxyzṭḍṇśṣñṅḷ")
_IAST_VOWEL = set("aāiīuūeoṛṝ") | {"ai", "au"}


def _delete_schwa(word: str) -> str:
    """Drop inherent short 'a' that Hindi and most north Indian names do not pronounce.

    Transliteration of Indic script writes every inherent vowel ("salamā" for सलमा) while
    Latin spellings follow speech ("Salma"). Short 'a' is deleted at the word end and in a
    V C _ C V context, the classic schwa-deletion rule.
    """
    chars = list(word)
    n = len(chars)
    # Final schwa; after y only where the y follows a vowel (विजय Vijay, अजय Ajay, রায় Ray),
    # not after a cluster (सूर्य Surya).
    if (
        n > 2
        and chars[-1] == "a"
        and chars[-2] in _IAST_CONSONANT
        and (chars[-2] != "y" or chars[-3] in _IAST_VOWEL)
    ):
        chars.pop()
        n -= 1
    out: list[str] = []
    i = 0
    while i < n:
        ch = chars[i]
        if (
            ch == "a"
            and 2 <= i <= n - 3
            and chars[i - 1] in _IAST_CONSONANT
            and chars[i - 1] != "h"
            and chars[i - 2] in _IAST_VOWEL
            and chars[i + 1] in _IAST_CONSONANT
            and chars[i + 1] != "h"
            and chars[i + 2] in _IAST_VOWEL
        ):
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


_IAST_TO_LATIN = (
    ("ch", "chh"),  # IAST "ch" is छ; plain "c" is च
    ("c", "ch"),
    ("chhh", "chh"),
    ("ṛ", "ri"),
    ("ṝ", "ri"),
    ("ś", "sh"),
    ("ṣ", "sh"),
    ("ṃ", "n"),
    ("ṁ", "n"),
    ("ḥ", ""),
    ("ṅ", "n"),
    ("ñ", "n"),
    ("ṉ", "n"),
    ("ḻ", "l"),
    ("ṟ", "r"),
)


# Bengali য় (ya with a nukta, U+09DF or য + ়) and Odia ୟ are the plain glide y in names
# (রায় Ray, ଉଦୟ Uday); the transliterator leaves the Bengali nukta as a stray mark and
# writes the Odia letter as ẏ, either of which would keep a final inherent vowel in place.
_BENGALI_YA = "\u09af"
_NUKTA = "\u09bc"


def _indic_run_to_latin(run: str, scheme: str) -> str:
    if scheme == sanscript.BENGALI:
        run = run.replace(_BENGALI_YA + _NUKTA, _BENGALI_YA).replace("\u09df", _BENGALI_YA)
    iast = transliterate(run, scheme, sanscript.IAST).replace(_NUKTA, "").replace("ẏ", "y")
    if scheme == sanscript.TAMIL:
        for a, b in _TAMIL_FIX:
            iast = iast.replace(a, b)
    iast = " ".join(_delete_schwa(w) for w in iast.split(" "))
    # Replace "ch" before "c" so that छ and च stay distinct until the phonetic key.
    iast = iast.replace("ch", "\x00").replace("c", "ch").replace("\x00", "chh")
    for a, b in _IAST_TO_LATIN[3:]:
        iast = iast.replace(a, b)
    return iast


@lru_cache(maxsize=200_000)
def to_latin(text: str) -> str:
    """Lower-case ASCII Latin form of a name written in any Indic script or in Latin."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFC", text)
    parts: list[str] = []
    run: list[str] = []
    run_scheme: str | None = None
    for ch in text:
        scheme = _script_of(ch)
        if scheme is not None and (run_scheme is None or scheme == run_scheme or ch == " "):
            run.append(ch)
            run_scheme = scheme
            continue
        if run:
            parts.append(_indic_run_to_latin("".join(run), run_scheme or ""))
            run, run_scheme = [], None
        if scheme is not None:
            run.append(ch)
            run_scheme = scheme
        else:
            parts.append(ch)
    if run:
        parts.append(_indic_run_to_latin("".join(run), run_scheme or ""))
    folded = unicodedata.normalize("NFKD", "".join(parts).lower())
    return "".join(c for c in folded if not unicodedata.combining(c) and ord(c) < 128)


@lru_cache(maxsize=200_000)
def tokens(text: str) -> tuple[str, ...]:
    """Canonical Latin tokens of a name ("Md. Rafiq" -> ("mohammad", "rafiq"))."""
    out = []
    for tok in _TOKEN_SPLIT.split(to_latin(text)):
        if tok and not tok.isdigit():
            out.append(_CANONICAL.get(tok, tok))
    return tuple(out)


# Regional suffixes that also come and go (Odia "Dei", Kannada/Tamil "Amma", Bengali
# "Dasi"); matched by sound so that "Devee", "Dewi" and "Kumaree" are caught too.
_HONORIFIC_EXTRA = ("dei", "amma", "dasi", "begam", "kumaree", "devee", "bewa")


def is_honorific(tok: str) -> bool:
    # By sound only from three letters: "De" is a Bengali and Odia surname, not the Odia
    # suffix "Dei" that it sounds like.
    return tok in _HONORIFIC_CANON or (len(tok) >= 3 and phonetic_key(tok) in _honorific_keys())


@lru_cache(maxsize=1)
def _honorific_keys() -> frozenset[str]:
    return frozenset(phonetic_key(t) for t in (*_HONORIFIC_CANON, *_HONORIFIC_EXTRA))


def strip_honorifics(toks: tuple[str, ...], *, keep_first: bool = True) -> tuple[str, ...]:
    """Remove titles and gendered suffixes, but never leave a name empty.

    A lone "Rani" or "Shaikh" is the name; "Puja Rani" is Puja.
    """
    kept = tuple(t for t in toks if not is_honorific(t))
    if kept:
        return kept
    if not toks:
        return ()
    # Every token is an honorific: keep those that can be names on their own.
    names = tuple(t for t in toks if t in _KEEP_IF_ONLY)
    return names if keep_first else ()


_AY = re.compile(r"ay(?![aeiou])")
_KEY_RULES: tuple[tuple[str | re.Pattern[str], str], ...] = (
    ("que", "k"),
    ("ksh", "x"),
    ("kch", "x"),
    ("ks", "x"),
    ("chh", "c"),
    ("ch", "c"),
    ("sch", "s"),
    ("ph", "f"),
    ("bh", "b"),
    ("th", "t"),
    ("dh", "d"),
    ("kh", "k"),
    ("gh", "g"),
    ("jh", "j"),
    ("sh", "s"),
    ("ck", "k"),
    ("q", "k"),
    ("z", "j"),
    # "ow" before a consonant or at the end is the vowel o/au: Chowdhury/Chaudhuri,
    # Sowmya/Saumya, Gowda/Gauda. Before a vowel it is o + w (Bhowani), left alone.
    (re.compile(r"ow(?![aeiouy])"), "o"),
    ("w", "v"),
    ("ee", "i"),
    ("oo", "u"),
    # Bengali and Odia spellings write the vowel au as ou: Sourav/Saurav, Gourav/Gaurav,
    # Moumita/Maumita.
    ("ou", "o"),
    ("aa", "a"),
    ("ai", "e"),
    ("ei", "e"),
    # "ay" is the diphthong only before a consonant or at the end (Sanjay, Jaydeep); before
    # a vowel the y begins the next syllable (Damayanti, Jayanti), and a native-script name
    # whose inherent vowel was dropped (दमयंती -> damyanti) must keep its y.
    (_AY, "e"),
    ("au", "o"),
    ("iy", "i"),
    ("yi", "i"),
)
_DOUBLE = re.compile(r"([a-z])\1+")
_H_AFTER_CONS = re.compile(r"([bcdfgjklmnpqrstvxz])h")


@lru_cache(maxsize=200_000)
def phonetic_key(token: str) -> str:
    """A sound key tuned for Indian names written in Latin letters.

    Collapses what transliteration varies: aspirates (bh/b, th/t ...), vowel length
    (aa/a, ee/i, oo/u), v/w/b, z/j, sh/s, ksh/x, doubled letters, a final 'a' or 'h'.
    """
    s = token
    if not s:
        return ""
    for a, b in _KEY_RULES:
        s = s.replace(a, b) if isinstance(a, str) else a.sub(b, s)
    s = _H_AFTER_CONS.sub(r"\1", s)
    s = s.replace("v", "b")  # Bengali and Odia write v as b (Bijay/Vijay)
    s = s.replace("y", "i") if s.endswith("y") else s
    s = _DOUBLE.sub(r"\1", s)
    # Before the final vowel goes, so that it still counts as the vowel after (Kamala and
    # কমলা, said Kamla). A dropped a can leave "ay" before a consonant, and that diphthong
    # can open the context for the next a (Jayaraman/जयरामन), so repeat until nothing moves.
    for _ in range(3):
        dropped = _AY.sub("e", _drop_medial_a(s))
        if dropped == s:
            break
        s = dropped
    if len(s) > 2 and s[-1] in "ah":
        s = s[:-1]
        if len(s) > 2 and s[-1] == "a":
            s = s[:-1]
    return s


_KEY_VOWELS = frozenset("aeiou")


def _drop_medial_a(key: str) -> str:
    """A sound key without the short 'a' that writing may or may not show between two
    consonants after a vowel (V C a C V): Bhatanagar/Bhatnagar, Sanajida/Sanjida,
    Jetalee/जेटली, Damayanti/दमयंती.

    Text transliterated letter by letter from an Indic script writes every inherent vowel;
    spellings that follow speech drop many of them, and ``to_latin`` drops them by rule,
    which cannot always agree with a clerk. Deciding left to right on what is already kept
    makes the key the same for both spellings (and applying it twice changes nothing).
    """
    if len(key) < 5 or "a" not in key[2:-2]:
        return key
    out: list[str] = []
    n = len(key)
    for i, ch in enumerate(key):
        if (
            ch == "a"
            and 2 <= i <= n - 3
            and out[-1] not in _KEY_VOWELS
            and out[-2] in _KEY_VOWELS
            and key[i + 1] not in _KEY_VOWELS
            and key[i + 2] in _KEY_VOWELS
        ):
            continue
        out.append(ch)
    return "".join(out)


def strip_vowels(key: str, vowels: str = "aeiou") -> str:
    """A sound key without the vowels after its first letter ("rekha" -> "rkh")."""
    return key[:1] + "".join(c for c in key[1:] if c not in vowels)


_DEVOICE = str.maketrans("bdgj", "ptkc")


@lru_cache(maxsize=200_000)
def consonant_key(key: str) -> str:
    """The consonants of a sound key (``phonetic_key``), unvoiced: coarser, for blocking.

    Vowels are what transliteration and regional speech vary most after aspiration:
    Shabnam/Shobnam and Ramya/Romya (Bengali and Odia say a short 'a' as 'o'), Hari/Hori,
    and the inherent vowel that a name written in an Indic script may or may not show in
    Latin letters (रमशंकर as Ramshankar or Ramashankar). Tamil script does not mark voicing,
    so Binita written in it comes back as Pinita. A leading vowel is kept (Anita/Sunita).
    """
    return strip_vowels(key, "aeiouy").translate(_DEVOICE)


_TAMIL_LO, _TAMIL_HI = 0x0B80, 0x0BFF


def written_in_tamil(text: str) -> bool:
    """The text holds Tamil script."""
    return not text.isascii() and any(_TAMIL_LO <= ord(c) <= _TAMIL_HI for c in text)


_UNVOICE = str.maketrans("bdgf", "ptkp")


@lru_cache(maxsize=200_000)
def unvoiced_key(key: str) -> str:
    """A sound key (``phonetic_key``) with the distinctions Tamil script does not write
    folded away: voiced and unvoiced stops (one letter, ப, stands for p and b; க for k
    and g; த for t and d) and f, which Tamil writes with ப. A name written in Tamil
    script and read back into Latin letters cannot say which it was: கீதா is Geetha,
    read as *kita*; ஸபிநா is Sabina, read as *sapina*."""
    return key.translate(_UNVOICE)


def name_key(toks: tuple[str, ...]) -> str:
    return "".join(phonetic_key(t) for t in toks)
