"""Plain-words explanations of a pair's score, for caseworkers."""

from __future__ import annotations

from dataclasses import dataclass

from ._compare import FIELDS, LEVELS, compare
from ._config import REVIEW_REASON, MatchConfig, combine, probability, review_mask
from ._features import BirthDesc, Features, features
from ._places import gazetteer
from ._records import PersonRecord


@dataclass(frozen=True, slots=True)
class FieldEvidence:
    field: str
    left: str
    right: str
    level: str
    weight: float  # log2 Bayes factor this field contributed before the household cap
    text: str


@dataclass(frozen=True, slots=True)
class Explanation:
    probability: float
    decision: str  # "match", "review", "possible" or "non-match"
    weight: float  # total log2 odds
    fields: tuple[FieldEvidence, ...]
    summary: str


_PERSON = ("given_name", "sex", "birth")


def _name(r: PersonRecord) -> str:
    return " ".join(p for p in (r.given_name, r.family_name) if p) or "—"


def _birth_text(r: PersonRecord) -> str:
    if r.birth_date:
        return r.birth_date
    if r.age is not None:
        return f"age {r.age}" + (f" on {r.recorded_on}" if r.recorded_on else "")
    return ""


def _year(b: BirthDesc | None) -> str:
    if b is None:
        return "?"
    if b.year is not None:
        return str(b.year)
    if b.kind == "age?":
        return f"age {int(-b.center)}"
    return f"about {int(b.center)}"


def _place_text(r: PersonRecord, f: Features) -> str:
    parts = [p for p in (r.district, r.state) if p]
    text = ", ".join(parts)
    if f.place is not None and f.place.district and not f.place.district.startswith("~"):
        official = gazetteer().district_names.get(f.place.district, "")
        text += f" [{official}, LGD {f.place.district}]"
    return text


def _texts(field: str, level: str, left: str, right: str, fa: Features, fb: Features) -> str:
    pair = f"({left} / {right})"
    if level == "missing":
        label = {
            "given_name": "Given name",
            "sex": "Sex",
            "birth": "Birth date or age",
            "family_name": "Family name",
            "father_name": "Father's name",
            "mother_name": "Mother's name",
            "village": "Village",
            "place": "District",
            "phone": "Phone number",
        }[field]
        if left and right and field in ("father_name", "mother_name"):
            # Recorded on both sides and still not compared: names that agree only in
            # their initials ("J. C. Das" / "Jitendra Chandra").
            return f"{label} agrees only in its initials {pair} — no evidence either way"
        return f"{label} not recorded on both sides — no evidence either way"
    if field == "given_name":
        return {
            "exact": f"Same given name {pair}",
            "sound": f"Given names sound the same {pair}",
            "swapped": f"Same names, but given and family name are swapped or run together {pair}",
            "partial": f"Given names share a name, one has an extra word {pair}",
            "alias": f"A nickname or alias on one record matches the other's name {pair}",
            "similar": f"Given names are spelled similarly {pair}",
            "different": f"Given names are different {pair} — a strong sign of two people",
        }[level]
    if field == "sex":
        if level == "same":
            return {"F": "Both recorded as female", "M": "Both recorded as male"}.get(
                fa.sex, "Same sex recorded"
            )
        return f"Recorded sex differs {pair} — two people, unless one record is wrong"
    if field == "birth":
        ya, yb = _year(fa.birth), _year(fb.birth)
        return {
            "date": f"Same date of birth ({left})",
            "date_swapped": f"Same date of birth with day and month swapped {pair}",
            "date_typo": f"Dates of birth one digit apart, as a typing slip makes them {pair}",
            "year": f"Born in the same year ({ya})",
            "consistent": f"Born in {ya} and {yb}: consistent with an estimated age {pair}",
            "near": f"Born in {ya} and {yb}: a little further apart than estimates "
            f"usually are {pair}",
            "far": f"Born in {ya} and {yb}: too far apart to be one person {pair}",
        }[level]
    if field == "family_name":
        return {
            "sound": f"Family names sound the same {pair} — shared by the whole family",
            "similar": f"Family names are spelled similarly {pair}",
            "married": f"Family names differ {pair} — weak for a woman, who may be recorded "
            "under her father's or her husband's family name",
            "different": f"Family names differ {pair} — weak, names change with marriage "
            "and between records",
        }[level]
    if field in ("father_name", "mother_name"):
        who = "Father's" if field == "father_name" else "Mother's"
        return {
            "sound": f"{who} names sound the same {pair} — siblings share this",
            "partial": f"{who} names partly agree; one record has more of the name {pair}",
            "similar": f"{who} names are spelled similarly {pair}",
            "different": f"{who} names differ {pair}",
        }[level]
    if field == "village":
        return {
            "sound": f"Same village {pair}",
            "similar": f"Village names are spelled similarly {pair}",
            "different": f"Different villages {pair}",
        }[level]
    if field == "place":
        return {
            "same_district": f"Same district {pair}",
            "related_district": (
                f"Districts that were one district before a split, or district codes one "
                f"typing slip apart {pair}"
            ),
            "same_state": f"Different districts in the same state {pair}",
            "state_only": f"Same state; the district is recorded on one side only {pair}",
            "other_state": f"Different states {pair}",
        }[level]
    return {
        "same": f"Same phone number ({left}) — but families share phones, so this alone is weak",
        "different": f"Different phone numbers {pair} — weak, numbers change often",
    }[level]


def _values(r: PersonRecord, f: Features) -> dict[str, str]:
    return {
        "given_name": _name(r) + (f" alias {r.alias}" if r.alias else ""),
        "sex": r.sex,
        "birth": _birth_text(r),
        "family_name": r.family_name,
        "father_name": r.father_name,
        "mother_name": r.mother_name,
        "village": r.village,
        "place": _place_text(r, f),
        "phone": r.phone,
    }


def decision_for(cfg: MatchConfig, p: float) -> str:
    if p >= cfg.match_threshold:
        return "match"
    if p >= cfg.possible_threshold:
        return "possible"
    return "non-match"


def explain_features(
    a: PersonRecord, b: PersonRecord, fa: Features, fb: Features, cfg: MatchConfig
) -> Explanation:
    levels = compare(fa, fb)
    w = cfg.weights()
    fw = tuple(w[name][lv] for name, lv in zip(FIELDS, levels, strict=True))
    total, _person, household = combine(cfg, fw)
    p = probability(total)
    va, vb = _values(a, fa), _values(b, fb)
    evidence = []
    for name, lv, weight in zip(FIELDS, levels, fw, strict=True):
        level = LEVELS[name][lv]
        text = _texts(name, level, va[name] or "—", vb[name] or "—", fa, fb)
        evidence.append(FieldEvidence(name, va[name], vb[name], level, round(weight, 3), text))
    decision = decision_for(cfg, p)
    review = bool(review_mask(levels)[0])
    if review:
        # Conflicting evidence (review_mask): neither merge nor split it silently.
        decision = "review"
    head = {
        "match": "Likely the same person",
        "review": "Needs review",
        "possible": "Possibly the same person — a caseworker should check",
        "non-match": "Probably different people",
    }[decision]
    summary = f"{head} (probability {p:.0%})."
    if review:
        summary += " " + REVIEW_REASON
    counted = [e for e in evidence if e.weight != 0]
    # The person's own evidence first: it is what should carry a decision.
    pros = [
        e
        for e in sorted(counted, key=lambda e: (e.field not in _PERSON, -e.weight))
        if e.weight > 0
    ][:2]
    cons = [e for e in sorted(counted, key=lambda e: e.weight) if e.weight < 0][:2]
    if pros:
        summary += " For: " + "; ".join(e.text for e in pros) + "."
    if cons:
        summary += " Against: " + "; ".join(e.text for e in cons) + "."
    raw_household = sum(
        fw[i] for i, n in enumerate(FIELDS) if n not in ("given_name", "sex", "birth")
    )
    if raw_household - household > 0.5:
        summary += (
            " Family, place and phone evidence was counted only in part, because brothers "
            "and sisters share it; the person's own name, sex and age must carry the match."
        )
    return Explanation(p, decision, total, tuple(evidence), summary)


def explain_records(a: PersonRecord, b: PersonRecord, cfg: MatchConfig) -> Explanation:
    return explain_features(a, b, features(a), features(b), cfg)
