"""The one place where the matching app talks to the linkage engine (``setu.linkage``).

Everything here is pure Python (no database). The keys stored in the database are the
engine's public ``index_keys`` / ``query_keys`` (those its own ``MatchIndex`` uses), each
turned into an HMAC under the field index key (``setu.core.crypto``).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from setu import linkage
from setu.core import crypto
from setu.linkage import Explanation, MatchConfig, MatchIndex, PersonRecord

CONFIG = MatchConfig()


def posting_cap(key: str) -> int:
    """How many postings of a stored key a lookup reads: fewer for the broad kinds."""
    return linkage.posting_cap(key, CONFIG)


def _keyed(keys: list[str]) -> list[str]:
    """The engine's keys as blind indexes: ``kind:`` + an HMAC under the field index key.

    The engine's own digests are unkeyed, so whoever holds the table could hash every phone
    number or name sound and look for it; under the index key they can not. The kind stays
    readable, as the engine's posting caps need it."""
    out = []
    for key in keys:
        kind, _sep, rest = key.partition(":")
        out.append(f"{kind}:{crypto.blind_index('matching.key', rest)[:24]}")
    return out


def index_keys(record: PersonRecord) -> list[str]:
    """Keys a stored record is filed under (the engine's blocking keys + name×sex×birth band)."""
    return _keyed(linkage.index_keys(record))


def query_keys(record: PersonRecord) -> list[str]:
    """Keys to look a record up by (neighbouring birth bands, either sex when unknown)."""
    return _keyed(linkage.query_keys(record))


def engine_version(config: MatchConfig | None = None) -> str:
    """A fingerprint of the engine's weights, thresholds and key format; a change means re-match
    (stored keys from another key format would no longer find the records)."""
    cfg = config or MatchConfig()
    text = repr(
        (
            sorted(cfg.weights().items()),
            cfg.prior_log2_odds,
            cfg.household_cap,
            cfg.household_slack,
            linkage.INDEX_KEYS_VERSION,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def record_from_data(data: Mapping[str, Any]) -> PersonRecord:
    """Rebuild a PersonRecord from its stored JSON (unknown keys ignored)."""
    names = {f.name for f in dataclasses.fields(PersonRecord)}
    return PersonRecord(**{k: v for k, v in data.items() if k in names})


def record_to_data(record: PersonRecord) -> dict[str, Any]:
    return dataclasses.asdict(record)


def score(
    query: PersonRecord, candidates: Iterable[PersonRecord], *, min_probability: float, limit: int
) -> list[tuple[str, float, Explanation]]:
    """(record_id, probability, explanation) of candidates at or above ``min_probability``."""
    index = MatchIndex(candidates)
    found = index.candidates(query, limit=limit, min_probability=min_probability)
    return [(c.record_id, c.probability, c.explanation) for c in found]


def explain(a: PersonRecord, b: PersonRecord) -> Explanation:
    """Field-by-field evidence for a pair, from the engine."""
    return linkage.explain(a, b)


STRONG = CONFIG.match_threshold
POSSIBLE = CONFIG.possible_threshold

# The check before creating works on the name alone: what else is typed refines it. These
# levels tell two records apart however well their names agree.
_TOLD_APART = (("sex", "different"), ("birth", "far"), ("place", "other_state"))


def check_rating(probability: float, explanation: Explanation) -> str:
    """How the check before creating rates a candidate: "strong", "possible" or "" (not shown).

    Strong: the engine's match threshold, or the same name (given name the same or sounding
    the same, family name not different) with nothing recorded that tells the two apart (sex,
    age, home state). Possible: the engine's possible threshold, or a given name that agrees
    with nothing telling them apart. A name alone never reaches the engine's thresholds (its
    prior is for whole records), so without this a name typed in showed nothing until age and
    district were filled in.
    """
    levels = {f.field: f.level for f in explanation.fields}
    told_apart = any(levels.get(name) == level for name, level in _TOLD_APART)
    given = levels.get("given_name")
    if probability >= STRONG or (
        given in ("exact", "sound")
        and levels.get("family_name") in (None, "missing", "sound")
        and not told_apart
    ):
        return "strong"
    if probability >= POSSIBLE or (given in ("exact", "sound", "swapped") and not told_apart):
        return "possible"
    return ""


# Words without values, for the other organisation's record before a link is confirmed.
_VALUE_FREE = {
    ("given_name", "exact"): gettext_lazy("Given names are the same"),
    ("given_name", "sound"): gettext_lazy("Given names sound the same"),
    ("given_name", "swapped"): gettext_lazy("Same names, with given and family name swapped"),
    ("given_name", "partial"): gettext_lazy("Given names share a name"),
    ("given_name", "alias"): gettext_lazy("A nickname or alias matches the other's name"),
    ("given_name", "similar"): gettext_lazy("Given names are spelled similarly"),
    ("given_name", "different"): gettext_lazy("Given names are different"),
    ("sex", "same"): gettext_lazy("Same sex recorded"),
    ("sex", "different"): gettext_lazy("Recorded sex differs"),
    ("birth", "date"): gettext_lazy("Same date of birth"),
    ("birth", "date_swapped"): gettext_lazy("Same date of birth with day and month swapped"),
    ("birth", "date_typo"): gettext_lazy(
        "Dates of birth one digit apart, as a typing slip makes them"
    ),
    ("birth", "year"): gettext_lazy("Born in the same year"),
    ("birth", "consistent"): gettext_lazy(
        "Born within a few years of each other: consistent with estimated ages"
    ),
    ("birth", "near"): gettext_lazy("Ages a little further apart than estimates usually are"),
    ("birth", "far"): gettext_lazy("Ages too far apart to be one person"),
    ("family_name", "sound"): gettext_lazy("Family names sound the same"),
    ("family_name", "similar"): gettext_lazy("Family names are spelled similarly"),
    ("family_name", "married"): gettext_lazy(
        "Family names differ: weak for a woman, who may be recorded under her father's or her "
        "husband's family name"
    ),
    ("family_name", "different"): gettext_lazy("Family names differ"),
    ("father_name", "sound"): gettext_lazy("Fathers' names sound the same"),
    ("father_name", "partial"): gettext_lazy("Fathers' names partly agree"),
    ("father_name", "similar"): gettext_lazy("Fathers' names are spelled similarly"),
    ("father_name", "different"): gettext_lazy("Fathers' names differ"),
    ("mother_name", "sound"): gettext_lazy("Mothers' names sound the same"),
    ("mother_name", "partial"): gettext_lazy("Mothers' names partly agree"),
    ("mother_name", "similar"): gettext_lazy("Mothers' names are spelled similarly"),
    ("mother_name", "different"): gettext_lazy("Mothers' names differ"),
    ("village", "sound"): gettext_lazy("Same village"),
    ("village", "similar"): gettext_lazy("Village names are spelled similarly"),
    ("village", "different"): gettext_lazy("Different villages"),
    ("place", "same_district"): gettext_lazy("Same home district"),
    ("place", "related_district"): gettext_lazy(
        "Home districts that were one district before a split"
    ),
    ("place", "same_state"): gettext_lazy("Home districts in the same state"),
    ("place", "state_only"): gettext_lazy(
        "Same home state; the district is recorded on one side only"
    ),
    ("place", "other_state"): gettext_lazy("Home places in different states"),
    ("phone", "same"): gettext_lazy("Same phone number (families share phones: weak on its own)"),
    ("phone", "different"): gettext_lazy("Different phone numbers"),
}


_NOT_RECORDED = gettext_lazy("Not recorded on both sides: no evidence either way")

_VERDICTS = {
    "match": gettext_lazy("Likely the same person"),
    "review": gettext_lazy("Needs review: the evidence conflicts"),
    "possible": gettext_lazy("Possibly the same person"),
}
_DIFFERENT = gettext_lazy("Probably different people")
_REVIEW_REASON = gettext_lazy(
    "A different given name, but the same full date of birth and the same family (family "
    "name, parents, village, phone or place): one person renamed or recorded under another "
    "name, or twins or sisters. A caseworker should decide."
)
_HOUSEHOLD_CAPPED = gettext_lazy(
    "Family, place and phone evidence was counted only in part, because brothers and sisters "
    "share it; the person's own name, sex and age must carry the match."
)
_PERSON = ("given_name", "sex", "birth")


def evidence_text(field: str, level: str) -> str:
    """The sentence for a field's comparison level, without values, in the active language.

    The engine's own ``FieldEvidence.text`` is English with the values in it; the pages show
    the values in their own columns and this sentence beside them. An unknown level (a newer
    engine) shows as its code rather than failing.
    """
    if level == "missing":
        return str(_NOT_RECORDED)
    text = _VALUE_FREE.get((field, level))
    return str(text) if text is not None else level


def verdict_text(explanation: Explanation) -> str:
    """The engine's decision in words (active language), without the probability."""
    return str(_VERDICTS.get(explanation.decision, _DIFFERENT))


def summary_text(explanation: Explanation) -> str:
    """The engine's summary (verdict, probability, the strongest evidence for and against) in
    the active language: the same content as ``Explanation.summary``, which is English."""
    ex = explanation
    parts = [
        gettext("%(verdict)s (probability %(percent)s).")
        % {"verdict": verdict_text(ex), "percent": f"{ex.probability:.0%}"}
    ]
    if ex.decision == "review":
        parts.append(str(_REVIEW_REASON))
    counted = [e for e in ex.fields if e.weight != 0]
    pros = [
        e
        for e in sorted(counted, key=lambda e: (e.field not in _PERSON, -e.weight))
        if e.weight > 0
    ][:2]
    cons = [e for e in sorted(counted, key=lambda e: e.weight) if e.weight < 0][:2]
    if pros:
        items = "; ".join(evidence_text(e.field, e.level) for e in pros)
        parts.append(gettext("For: %(items)s.") % {"items": items})
    if cons:
        items = "; ".join(evidence_text(e.field, e.level) for e in cons)
        parts.append(gettext("Against: %(items)s.") % {"items": items})
    person = sum(e.weight for e in ex.fields if e.field in _PERSON)
    raw_household = sum(e.weight for e in ex.fields if e.field not in _PERSON)
    household = ex.weight - CONFIG.prior_log2_odds - person
    if raw_household - household > 0.5:
        parts.append(str(_HOUSEHOLD_CAPPED))
    return " ".join(parts)


def value_free_evidence(explanation: Explanation) -> list[tuple[str, str, float]]:
    """(field, sentence without any value, weight) per field recorded on both sides, the
    sentence in the active language."""
    out = []
    for ev in explanation.fields:
        if ev.level == "missing":
            continue
        out.append((ev.field, evidence_text(ev.field, ev.level), ev.weight))
    return out


# The engine's sex codes (``records.SEX``), as the registry's gender labels say them.
_SEX = {
    "F": gettext_lazy("Female"),
    "M": gettext_lazy("Male"),
    "X": gettext_lazy("Transgender or non-conforming"),
}


def _day(text: str) -> str:
    """An engine date ('YYYY-MM-DD', 'YYYY-MM' or 'YYYY') day-month-year in the active language."""
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 3:
            return date_format(datetime.date(*parts), "DATE_FORMAT")
        if len(parts) == 2:
            return date_format(datetime.date(parts[0], parts[1], 1), "YEAR_MONTH_FORMAT")
    except ValueError:
        return text
    return text


def value_text(field: str, record: PersonRecord) -> str:
    """What a record holds for an evidence field, in the active language ("" when nothing).

    The engine describes values in English ("age 17 on 2026-01-05", "F", "… alias …",
    "[…, LGD 304]"); the pages show this instead: words translated, dates day-month-year,
    places by name and no codes.
    """
    r = record
    if field == "given_name":
        name = " ".join(p for p in (r.given_name, r.family_name) if p)
        aliases = ", ".join(a for a in r.alias.split("|") if a)
        if aliases:
            also = gettext("also known as %(names)s") % {"names": aliases}
            return f"{name} ({also})" if name else also
        return name
    if field == "sex":
        return str(_SEX.get(r.sex, r.sex))
    if field == "birth":
        if r.birth_date:
            return gettext("born %(date)s") % {"date": _day(r.birth_date)}
        if r.age is None:
            return ""
        age = ngettext("about %(age)d year old", "about %(age)d years old", r.age) % {"age": r.age}
        if r.recorded_on:
            return gettext("%(age)s on %(date)s") % {"age": age, "date": _day(r.recorded_on)}
        return age
    if field == "place":
        return ", ".join(p for p in (r.district, r.state) if p)
    return str(getattr(r, field, "") or "")


@dataclasses.dataclass(frozen=True)
class Reasons:
    """Why the engine rates a pair as it does, in the active language: its summary and, per
    field recorded on both sides, the sentence with both values."""

    summary: str
    lines: tuple[str, ...]


def reasons(explanation: Explanation, left: PersonRecord, right: PersonRecord) -> Reasons:
    """The explanation of ``left`` against ``right`` for a reader allowed to see both records'
    values (the check before creating: what was typed, and the organisation's own record)."""
    lines = []
    for ev in explanation.fields:
        if ev.level == "missing":
            continue
        values = f"{value_text(ev.field, left) or '—'} / {value_text(ev.field, right) or '—'}"
        lines.append(f"{evidence_text(ev.field, ev.level)} ({values})")
    return Reasons(summary_text(explanation), tuple(lines))
