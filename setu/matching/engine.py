"""The one place where the matching app talks to the linkage engine (``setu.linkage``).

Everything here is pure Python (no database). The keys stored in the database come from the
engine's public ``index_keys`` / ``query_keys``, exactly those its own ``MatchIndex`` uses.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from setu import linkage
from setu.linkage import Explanation, MatchConfig, MatchIndex, PersonRecord

CONFIG = MatchConfig()


def posting_cap(key: str) -> int:
    """How many postings of a stored key a lookup reads: fewer for the broad kinds."""
    return linkage.posting_cap(key, CONFIG)


def index_keys(record: PersonRecord) -> list[str]:
    """Keys a stored record is filed under (the engine's blocking keys + name×sex×birth band)."""
    return linkage.index_keys(record)


def query_keys(record: PersonRecord) -> list[str]:
    """Keys to look a record up by (neighbouring birth bands, either sex when unknown)."""
    return linkage.query_keys(record)


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
    ("given_name", "exact"): "Given names are the same",
    ("given_name", "sound"): "Given names sound the same",
    ("given_name", "swapped"): "Same names, with given and family name swapped",
    ("given_name", "partial"): "Given names share a name",
    ("given_name", "alias"): "A nickname or alias matches the other's name",
    ("given_name", "similar"): "Given names are spelled similarly",
    ("given_name", "different"): "Given names are different",
    ("sex", "same"): "Same sex recorded",
    ("sex", "different"): "Recorded sex differs",
    ("birth", "date"): "Same date of birth",
    ("birth", "date_swapped"): "Same date of birth with day and month swapped",
    ("birth", "date_typo"): "Dates of birth one digit apart, as a typing slip makes them",
    ("birth", "year"): "Born in the same year",
    (
        "birth",
        "consistent",
    ): "Born within a few years of each other: consistent with estimated ages",
    ("birth", "near"): "Ages a little further apart than estimates usually are",
    ("birth", "far"): "Ages too far apart to be one person",
    ("family_name", "sound"): "Family names sound the same",
    ("family_name", "similar"): "Family names are spelled similarly",
    ("family_name", "different"): "Family names differ",
    ("father_name", "sound"): "Fathers' names sound the same",
    ("father_name", "partial"): "Fathers' names partly agree",
    ("father_name", "similar"): "Fathers' names are spelled similarly",
    ("father_name", "different"): "Fathers' names differ",
    ("mother_name", "sound"): "Mothers' names sound the same",
    ("mother_name", "partial"): "Mothers' names partly agree",
    ("mother_name", "similar"): "Mothers' names are spelled similarly",
    ("mother_name", "different"): "Mothers' names differ",
    ("village", "sound"): "Same village",
    ("village", "similar"): "Village names are spelled similarly",
    ("village", "different"): "Different villages",
    ("place", "same_district"): "Same home district",
    ("place", "related_district"): "Home districts that were one district before a split",
    ("place", "same_state"): "Home districts in the same state",
    ("place", "other_state"): "Home places in different states",
    ("phone", "same"): "Same phone number (families share phones: weak on its own)",
    ("phone", "different"): "Different phone numbers",
}


def value_free_evidence(explanation: Explanation) -> list[tuple[str, str, float]]:
    """(field, sentence without any value, weight) per field recorded on both sides."""
    out = []
    for ev in explanation.fields:
        if ev.level == "missing":
            continue
        out.append((ev.field, _VALUE_FREE.get((ev.field, ev.level), ev.level), ev.weight))
    return out
