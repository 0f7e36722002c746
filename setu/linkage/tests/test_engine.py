from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import setu.linkage as linkage
from setu.linkage import MatchConfig, MatchIndex, PersonRecord, dedupe, explain
from setu.linkage._api import DEFAULT_CONFIG
from setu.linkage._batch import (
    _COMPARATORS,
    build_frame,
    candidate_pairs,
    distinct_inverse,
    distinct_sorted,
    level_memos,
    pair_evidence,
    pair_level_matrix,
    pair_levels,
    score_pairs,
)
from setu.linkage._compare import FIELDS, LEVELS, compare
from setu.linkage._config import (
    SAME_DISTRICT,
    combine_parts,
    estimate_family_log2_odds,
    family_ceilings,
    family_pair_mask,
    family_scored_mask,
    family_shift,
    score_levels,
    weight_bins,
)
from setu.linkage._features import features

GIVEN_F = ["Puja", "Rekha", "Salma", "Lakshmi", "Rina", "Anjali", "Jyoti", "Mamta", "Sunita"]
GIVEN_M = ["Rahul", "Rafiq", "Sanjay", "Amit", "Imran", "Suresh"]
FAMILY = ["Mondal", "Das", "Khatun", "Sk", "Yadav", "Kumari", "Biswas", "Devi"]
SYLLABLES = ["ram", "kh", "bel", "na", "har", "dan", "ga", "pur", "gram", "ta", "li", "mo"]
DISTRICTS = [
    ("Murshidabad", "WB"),
    ("Nadia", "West Bengal"),
    ("Gurgaon", "Haryana"),
    ("Pune", "MH"),
]
FATHERS = [
    "Ramesh", "Abdul", "Biswanath", "Haradhan", "Kailash", "Mukesh", "Sarat", "Anwar", "Dilip",
    "Gobinda", "Nirmal", "Tapan", "Jahangir", "Manas", "Pradip", "Shankar", "Yusuf", "Bikash",
]  # fmt: skip
SPELL = {
    "Puja": "Pooja",
    "Lakshmi": "Laxmi",
    "Rafiq": "Md Rafique",
    "Sk": "Shaikh",
    "Mondal": "Mandal",
}


def synthetic(n_people: int, seed: int) -> tuple[list[PersonRecord], dict[str, int]]:
    """Families of 1-3 children, 1-3 records each, with light spelling variation."""
    rng = random.Random(seed)
    records: list[PersonRecord] = []
    truth: dict[str, int] = {}
    person = 0
    while person < n_people:
        fam = rng.choice(FAMILY)
        # Fathers and villages vary like real ones: few families share both.
        father = f"{rng.choice(FATHERS)} {fam}"
        village = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
        district, state = rng.choice(DISTRICTS)
        phone = f"9{rng.randrange(10**8, 10**9)}"
        used: set[str] = set()
        for _ in range(rng.randint(1, 3)):
            sex = rng.choice("FM")
            given = rng.choice([g for g in (GIVEN_F if sex == "F" else GIVEN_M) if g not in used])
            used.add(given)
            born = rng.randint(1995, 2012)
            for _ in range(rng.randint(1, 3)):
                year = rng.randint(2015, 2025)
                g = SPELL.get(given, given) if rng.random() < 0.3 else given
                f = SPELL.get(fam, fam) if rng.random() < 0.3 else fam
                rid = f"R{len(records):05d}"
                records.append(
                    PersonRecord(
                        rid,
                        given_name=g,
                        family_name=f,
                        sex=sex,
                        age=max(0, year - born + rng.choice((-1, 0, 0, 1))),
                        recorded_on=f"{year}-06-01",
                        father_name=father if rng.random() < 0.7 else "",
                        village=village,
                        district=district,
                        state=state,
                        phone=phone if rng.random() < 0.6 else "",
                    )
                )
                truth[rid] = person
            person += 1
    return records, truth


def test_public_api_is_exactly_all() -> None:
    assert sorted(linkage.__all__) == sorted(
        [
            "Candidate", "DedupeResult", "Explanation", "FieldEvidence", "INDEX_KEYS_VERSION",
            "LinkageInputError", "MatchConfig", "MatchIndex", "PersonRecord", "ReviewPair",
            "ScoredPair", "dedupe", "dedupe_review", "dedupe_spark", "explain", "index_keys", "is_broad_key", "link", "posting_cap",
            "query_keys",
            "read_records", "to_latin",
        ]
    )  # fmt: skip
    for name in linkage.__all__:
        assert getattr(linkage, name) is not None
    assert (Path(linkage.__file__).parent / "py.typed").exists()


def test_record_is_frozen() -> None:
    r = PersonRecord("1", given_name="Puja")
    with pytest.raises(AttributeError):
        r.given_name = "Rekha"  # type: ignore[misc]


def test_imports_without_django() -> None:
    code = textwrap.dedent(
        """
        import sys
        sys.modules['django'] = None
        import setu.linkage as l
        r = l.PersonRecord('1', given_name='Puja', sex='F', birth_date='2005-01-02',
                           village='Rampur', district='Nadia', father_name='Ramesh Das')
        print(l.explain(r, r).decision)
        assert not any(m == 'django' or m.startswith('django.') for m in sys.modules
                       if sys.modules[m] is not None)
        banned = [m for m in sys.modules if m.startswith('setu.')
                  and not m.startswith('setu.linkage')]
        assert not banned, banned
        """
    )
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "match"


def test_explain_words(girl: PersonRecord) -> None:
    other = replace(
        girl, record_id="P-9", given_name="पूजा", age=19, recorded_on="2024-05-01",
        district="Murshidabaad", state="W.B.", phone="098300-12345",
    )  # fmt: skip
    ex = explain(girl, other)
    texts = {f.field: f.text for f in ex.fields}
    assert (
        texts["given_name"].startswith("Same given name") or "sound the same" in texts["given_name"]
    )
    assert "पूजा" in texts["given_name"]
    assert "consistent with an estimated age" in texts["birth"]
    assert "families share phones" in texts["phone"]
    assert "Same district" in texts["place"]
    assert ex.decision == "match" and "Likely the same person" in ex.summary
    sister = replace(girl, record_id="S-1", given_name="Rekha", age=16)
    sx = explain(girl, sister)
    assert (
        sx.decision == "non-match"
        and "different" in {f.field: f.text for f in sx.fields}["given_name"]
    )
    assert "brothers and sisters" in sx.summary
    assert all(f.level for f in ex.fields) and len(ex.fields) == 9


def test_batch_scores_equal_explain_scores() -> None:
    records, _ = synthetic(120, seed=3)
    frame = build_frame(records)
    a, b = candidate_pairs(frame.feats, DEFAULT_CONFIG)
    assert len(a) > 100
    levels = pair_levels(frame, a, b)
    totals, _ = score_pairs(frame, DEFAULT_CONFIG, a, b)
    for k in range(0, len(a), max(1, len(a) // 200)):
        fa, fb = frame.feats[a[k]], frame.feats[b[k]]
        assert tuple(levels[k].tolist()) == compare(fa, fb)
        assert totals[k] == pytest.approx(score_levels(DEFAULT_CONFIG, compare(fa, fb))[0])
        assert explain(records[a[k]], records[b[k]]).weight == pytest.approx(float(totals[k]))


def _pairs(labels: dict[str, object]) -> set[tuple[str, str]]:
    groups: dict[object, list[str]] = {}
    for rid, c in labels.items():
        groups.setdefault(c, []).append(rid)
    return {(x, y) for g in groups.values() for x in g for y in g if x < y}


def test_dedupe_quality_on_synthetic_families() -> None:
    records, truth = synthetic(400, seed=11)
    clusters = dedupe(records)
    found, true = _pairs(clusters), _pairs(truth)
    precision = len(found & true) / max(1, len(found))
    recall = len(found & true) / max(1, len(true))
    assert precision >= 0.93, precision
    assert recall >= 0.8, recall


def test_dedupe_is_deterministic_and_order_independent() -> None:
    records, _ = synthetic(150, seed=5)
    first = dedupe(records)
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    assert dedupe(records) == first
    assert dedupe(shuffled) == first or _pairs(dedupe(shuffled)) == _pairs(first)
    assert all(c <= rid for rid, c in first.items())


def test_cluster_size_safeguard() -> None:
    # 40 records of one person: the cap splits them, never one giant cluster.
    base = PersonRecord("X00", given_name="Puja", family_name="Das", sex="F", birth_date="2005-01-02",
                        village="Rampur", district="Nadia", state="WB", father_name="Ramesh Das")  # fmt: skip
    records = [replace(base, record_id=f"X{i:02d}") for i in range(40)]
    cfg = MatchConfig(max_cluster_size=10)
    sizes: dict[str, int] = {}
    for c in dedupe(records, config=cfg).values():
        sizes[c] = sizes.get(c, 0) + 1
    assert max(sizes.values()) <= 10


def test_match_index_add_remove_candidates(girl: PersonRecord) -> None:
    records, _ = synthetic(200, seed=2)
    index = MatchIndex(records)
    assert len(index) == len(records)
    index.add(girl)
    assert len(index) == len(records) + 1
    query = replace(girl, record_id="NEW", given_name="Pooja", family_name="", age=19,
                    recorded_on="2024-05-01", phone="098300 12345")  # fmt: skip
    found = index.candidates(query, limit=5)
    assert found and found[0].record_id == girl.record_id
    assert found[0].probability >= 0.9
    assert [c.probability for c in found] == sorted((c.probability for c in found), reverse=True)
    assert found[0].explanation.decision == "match"
    assert all(c.probability >= 0.2 for c in found) and len(found) <= 5
    index.remove(girl.record_id)
    assert len(index) == len(records)
    assert girl.record_id not in {c.record_id for c in index.candidates(query)}
    with pytest.raises(KeyError):
        index.remove(girl.record_id)
    # Replacing a record with the same id does not duplicate it.
    index.add(girl)
    index.add(replace(girl, village="Beldanga"))
    assert len(index) == len(records) + 1


def test_match_index_search_as_you_type_by_alias() -> None:
    index = MatchIndex(
        [PersonRecord("1", given_name="Parvati", alias="Munni", sex="F"),
         PersonRecord("2", given_name="Salma", sex="F")]
    )  # fmt: skip
    hits = index.candidates(PersonRecord("q", given_name="Munni"), min_probability=0.0)
    assert [h.record_id for h in hits][:1] == ["1"]


def test_index_agrees_with_explain() -> None:
    records, _ = synthetic(60, seed=8)
    index = MatchIndex(records[1:])
    for c in index.candidates(records[0], limit=20, min_probability=0.0):
        other = next(r for r in records if r.record_id == c.record_id)
        assert c.probability == pytest.approx(explain(records[0], other).probability)


def test_features_are_hashable_and_stable() -> None:
    r = PersonRecord("1", given_name="Md. Rafiq", family_name="Sk", district="Calcutta", state="WB")
    assert features(r) == features(r) and hash(features(r)) == hash(features(r))


def test_term_frequency_adjustment_weighs_rare_names_up_and_common_names_down() -> None:
    from setu.linkage._batch import given_name_frequencies, tf_adjustments
    from setu.linkage._config import name_frequency_adjustment

    def rec(rid: str, given: str, family: str) -> PersonRecord:
        return PersonRecord(rid, given_name=given, family_name=family, sex="F", birth_date="2005")

    records = [rec("R0", "Tanusree", "Mondal"), rec("R1", "Tanusree", "Mondal")]
    records += [rec(f"P{i:02d}", "Puja", "Das") for i in range(20)]
    frame = build_frame(records)
    freq = given_name_frequencies(frame.feats)
    assert freq[0] == pytest.approx(2 / 22) and freq[2] == pytest.approx(20 / 22)
    a, b = candidate_pairs(frame.feats, DEFAULT_CONFIG)
    plain, _ = score_pairs(frame, DEFAULT_CONFIG, a, b)
    # In a big data set Tanusree would be 1 record in 1,000; Puja is 20 of these 22.
    freq[:2] = 0.001
    tf, _ = score_pairs(frame, DEFAULT_CONFIG, a, b, name_frequency=freq)
    by_pair = {(int(i), int(j)): (p, t) for i, j, p, t in zip(a, b, plain, tf, strict=True)}
    rare_plain, rare_tf = by_pair[(0, 1)]
    common_plain, common_tf = by_pair[(2, 3)]
    # Rare names count more, common names less, within the configured bounds.
    assert 0 < rare_tf - rare_plain <= DEFAULT_CONFIG.tf_max_up
    assert -DEFAULT_CONFIG.tf_max_down <= common_tf - common_plain < 0
    # Same rule in the scalar and the vectorised form; no adjustment unless names agree.
    lv = pair_levels(frame, a, b)[:, 0]
    pair_freq = np.maximum(freq[a], freq[b])
    vec = tf_adjustments(DEFAULT_CONFIG, lv, pair_freq)
    for k in range(len(a)):
        assert vec[k] == pytest.approx(
            name_frequency_adjustment(DEFAULT_CONFIG, int(lv[k]), float(pair_freq[k]))
        )
    assert name_frequency_adjustment(DEFAULT_CONFIG, 1, 0.5) == 0.0


def test_spark_scorer_applies_the_same_frequency_adjustment_as_dedupe() -> None:
    from collections import Counter
    from dataclasses import replace as with_

    from setu.linkage._batch import district_frequencies, given_name_frequencies, levels_evidence
    from setu.linkage._features import district_frequency_key, features, name_frequency_key
    from setu.linkage._records import COLUMNS
    from setu.linkage._spark import _score_partition

    cfg = with_(DEFAULT_CONFIG, district_frequency=True)  # off by default; compared here too
    records, _ = synthetic(60, seed=4)
    frame = build_frame(records)
    a, b = candidate_pairs(frame.feats, cfg)
    freq = given_name_frequencies(frame.feats)
    dfreq = district_frequencies(frame.feats)
    levels = pair_level_matrix(frame, a, b)
    opens, ceilings, persons = levels_evidence(
        cfg, levels, a, b, name_frequency=freq, district_frequency=dfreq
    )
    # The district's adjustment is exercised: some pairs agree on a district.
    assert (levels[:, FIELDS.index("place")] == SAME_DISTRICT).any()
    counts = Counter(name_frequency_key(features(r)) for r in records)
    districts = Counter(district_frequency_key(features(r)) for r in records)
    scorer = _score_partition(cfg, dict(counts), dict(districts), len(records))

    def row(i: int) -> dict[str, object]:
        return {"idx": i, **{c: getattr(records[i], c) for c in COLUMNS}}

    rows = [{"a": row(int(i)), "b": row(int(j))} for i, j in zip(a, b, strict=True)]
    got = list(scorer(iter(rows)))
    families = family_pair_mask(cfg, opens, ceilings, persons)
    assert families.any() and not families.all()
    scored = family_scored_mask(cfg, opens, ceilings, persons)
    negatives = ceilings - family_ceilings(cfg, persons)
    for (_, _, open_ev, ceiling, person, family, sc, neg), o, c, p, f, s, n in zip(
        got, opens, ceilings, persons, families, scored, negatives, strict=True
    ):
        assert open_ev == pytest.approx(float(o)) and ceiling == pytest.approx(float(c))
        assert person == pytest.approx(float(p)) and family == bool(f)
        assert sc == bool(s) and neg == pytest.approx(float(n))


def test_family_share_is_the_em_mixture_share() -> None:
    # 800 family pairs that are clearly one person, 200 clearly siblings: share 0.8.
    bins = weight_bins(np.array([10.0, -10.0]))
    cfg = MatchConfig(family_pseudo_pairs=0)
    assert estimate_family_log2_odds(cfg, bins, [800, 200]) == pytest.approx(2.0, abs=0.01)
    # The configured value (-12 + 10 = -2 bits) counts as 200 pairs.
    blended = estimate_family_log2_odds(MatchConfig(), bins, [800, 200])
    assert blended == pytest.approx((1000 * 2.0 + 200 * -2.0) / 1200, abs=0.01)
    assert estimate_family_log2_odds(cfg, bins, [1000, 0]) == 8.0  # family_range
    assert estimate_family_log2_odds(cfg, [], []) == -2.0


def test_family_pairs_agree_on_the_household_and_disagree_on_nothing() -> None:
    def levels(**given: str) -> tuple[float, float, float]:
        fw = tuple(
            DEFAULT_CONFIG.weights()[f][LEVELS[f].index(given.get(f, "missing"))] for f in FIELDS
        )
        return combine_parts(DEFAULT_CONFIG, fw)

    household = {"family_name": "sound", "village": "sound", "place": "same_district"}
    cases = [
        (levels(given_name="different", birth="date", **household), True),
        (levels(given_name="exact", birth="far", **household), True),
        (levels(given_name="exact", **household, phone="different"), False),
        (levels(given_name="exact", family_name="sound", place="same_district"), False),
    ]
    for (open_ev, ceiling, person), expected in cases:
        assert family_pair_mask(DEFAULT_CONFIG, open_ev, ceiling, person) == expected


def _register_without_families(n_people: int, seed: int) -> tuple[list[PersonRecord], set]:
    """Two records per person, no siblings; every fourth repeat has another given name."""
    rng = random.Random(seed)
    records, renamed = [], set()
    for p in range(n_people):
        family = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
        village = "".join(rng.choice(SYLLABLES) for _ in range(4)).title()
        district, state = rng.choice(DISTRICTS)
        born = f"{rng.randint(1990, 2010)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        given = rng.choice(GIVEN_F)
        for k in range(2):
            name = rng.choice([g for g in GIVEN_F if g != given]) if k and p % 4 == 0 else given
            records.append(
                PersonRecord(f"P{p:04d}-{k}", given_name=name, family_name=family, sex="F",
                             birth_date=born, village=village, district=district, state=state)
            )  # fmt: skip
        if p % 4 == 0:
            renamed.add((f"P{p:04d}-0", f"P{p:04d}-1"))
    return records, renamed


def test_family_ceiling_follows_the_data() -> None:
    records, renamed = _register_without_families(400, seed=3)
    # The ceiling alone, with the configured weights (learned weights also see it, below).
    fixed = _pairs(dedupe(records, config=MatchConfig(estimate_family=False, learn_weights=False)))
    estimated = _pairs(dedupe(records))
    # Where records of one family are nearly always one person, a changed given name with
    # the same date of birth, family and village no longer keeps them apart...
    assert not renamed & fixed
    assert len(renamed & estimated) >= 0.9 * len(renamed)
    assert all(x.split("-")[0] == y.split("-")[0] for x, y in estimated)
    # ...while among siblings the estimate stays far lower and they stay apart.
    frame = build_frame(records)
    a, b = candidate_pairs(frame.feats, DEFAULT_CONFIG)
    no_families = family_shift(DEFAULT_CONFIG, *pair_evidence(frame, DEFAULT_CONFIG, a, b))[0]
    siblings, _ = synthetic(400, seed=11)
    frame = build_frame(siblings)
    a, b = candidate_pairs(frame.feats, DEFAULT_CONFIG)
    with_siblings = family_shift(DEFAULT_CONFIG, *pair_evidence(frame, DEFAULT_CONFIG, a, b))[0]
    assert no_families > 5 and with_siblings < no_families - 3


def test_forked_comparisons_give_the_same_levels(monkeypatch: pytest.MonkeyPatch) -> None:
    import setu.linkage._batch as batch

    records, _ = synthetic(150, seed=8)
    frame = build_frame(records)
    a, b = candidate_pairs(frame.feats, DEFAULT_CONFIG)
    serial = pair_levels(frame, a, b)
    monkeypatch.setattr(batch, "_PARALLEL_MIN", 1)
    monkeypatch.setattr(batch, "_workers", lambda: 2)
    forked = pair_levels(frame, a, b)
    assert forked.dtype == serial.dtype and len(serial) == len(a) > 100
    assert (forked == serial).all()


def test_level_memo_carries_comparisons_across_chunks() -> None:
    records, _ = synthetic(150, seed=8)
    frame = build_frame(records)
    a, b = candidate_pairs(frame.feats, DEFAULT_CONFIG)
    whole = pair_levels(frame, a, b)
    memos = level_memos()
    half = len(a) // 2
    chunked = np.concatenate(
        [
            pair_levels(frame, a[:half], b[:half], memos),
            pair_levels(frame, a[half:], b[half:], memos),
        ]
    )
    assert (chunked == whole).all()
    # The memo holds each value pair once, in order, and never compares a seen one again.
    father = memos[[name for name, _ in _COMPARATORS].index("father")]
    assert list(father.codes) == sorted(set(father.codes))
    calls: list[int] = []

    def counting(codes: np.ndarray) -> np.ndarray:
        calls.append(len(codes))
        return np.ones(len(codes), dtype=np.int8)

    again = father.levels_of(father.codes[:5], counting)
    assert calls == [] and (again[:, 0] == father.levels[:5, 0]).all()
    fresh = np.array([father.codes[0], father.codes[-1] + 1])
    assert father.levels_of(fresh, counting)[:, 0].tolist() == [father.levels[0, 0], 1]
    assert calls == [1] and father.codes[-1] == fresh[-1]


@pytest.mark.parametrize("size", [0, 1, 2, 1000])
def test_distinct_helpers_agree_with_numpy_unique(size: int) -> None:
    values = np.random.default_rng(size).integers(0, 50, size)
    expected, expected_inverse = np.unique(values, return_inverse=True)
    uniq, inverse = distinct_inverse(values)
    assert uniq.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()
    assert distinct_sorted(values.copy()).tolist() == expected.tolist()
