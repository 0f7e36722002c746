"""The "date one typo away" birth level; the per-run prior estimate (opt-in)."""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import replace

import numpy as np
import pytest

from setu.linkage import MatchConfig, PersonRecord, dedupe, explain
from setu.linkage._api import scored_candidates
from setu.linkage._batch import _birth_levels, build_frame
from setu.linkage._compare import compare_birth, one_typo_apart
from setu.linkage._config import estimate_prior_log2_odds, evidence_histogram

from .test_engine import DISTRICTS, FAMILY, GIVEN_F, synthetic

# The prior's own behaviour, under the configured weights (learned weights adapt to it).
ESTIMATE = MatchConfig(estimate_prior=True, learn_weights=False)
UNCLAMPED = MatchConfig(estimate_prior=True, prior_range=(-30.0, -1.0), learn_weights=False)

DATED = PersonRecord(
    "A", given_name="Rekha", family_name="Mondal", sex="F", birth_date="1987-05-12",
    village="Beldanga", district="Murshidabad", state="WB",
)  # fmt: skip


def _birth_level(a: str, b: str) -> str:
    ex = explain(replace(DATED, birth_date=a), replace(DATED, record_id="B", birth_date=b))
    return {f.field: f for f in ex.fields}["birth"].level


def test_one_typo_apart() -> None:
    assert one_typo_apart(19870512, 19780512)  # year digits transposed
    assert one_typo_apart(19870512, 19880512)  # one digit of the year
    assert one_typo_apart(19870512, 19870521)  # day digits transposed
    assert one_typo_apart(19870512, 19870513)  # day off by one key
    assert not one_typo_apart(19870512, 19870512)
    assert not one_typo_apart(19870512, 19920803)
    assert not one_typo_apart(19870512, 19780521)  # two separate slips
    assert not one_typo_apart(20050307, 20050703)  # day/month swap is its own level


def test_typo_in_date_of_birth_matches_but_a_different_date_does_not() -> None:
    assert _birth_level("1987-05-12", "1978-05-12") == "date_typo"
    assert _birth_level("1987-05-12", "1987-05-21") == "date_typo"
    assert _birth_level("1987-05-12", "1992-08-03") == "far"
    assert _birth_level("2005-03-07", "2005-07-03") == "date_swapped"
    assert _birth_level("1987-05-12", "1987-05-12") == "date"
    # Same girl, year mistyped: now a match. Before, "far" counted ~5 bits against her.
    typo = explain(DATED, replace(DATED, record_id="B", birth_date="1978-05-12"))
    assert typo.decision == "match", typo.summary
    other = explain(DATED, replace(DATED, record_id="B", birth_date="1992-08-03"))
    assert other.decision != "match"
    assert typo.weight > other.weight + 5


def test_vectorised_birth_levels_equal_compare_birth() -> None:
    values = ["1987-05-12", "1978-05-12", "1987-05-21", "1987-12-05", "1988-05-12", "1987",
              "1987-05", "2005-03-07", "2005-07-03", ""]  # fmt: skip
    records = [PersonRecord(str(i), given_name="x", birth_date=v) for i, v in enumerate(values)]
    records += [PersonRecord("age", given_name="x", age=37, recorded_on="2024-06-01")]
    frame = build_frame(records)
    pairs = list(itertools.product(range(len(records)), repeat=2))
    a = np.array([i for i, _ in pairs])
    b = np.array([j for _, j in pairs])
    got = _birth_levels(frame.ids[2][a], frame.ids[2][b], frame.tables[2])
    want = [compare_birth(frame.feats[i].birth, frame.feats[j].birth) for i, j in pairs]
    assert got.tolist() == want


def test_prior_estimate_recovers_the_match_rate_and_is_clamped() -> None:
    cfg = MatchConfig(prior_range=(-30.0, -1.0))
    n_pairs = 1_000_000
    # 100 pairs with overwhelming evidence, the rest clearly not matches; no ceiling.
    evidence = np.concatenate([np.full(100, 40.0), np.full(50_000, -10.0)])
    hist = evidence_histogram(evidence, np.full(len(evidence), 100.0))
    prior = estimate_prior_log2_odds(cfg, *hist, n_pairs)
    assert prior == pytest.approx(np.log2(100 / (n_pairs - 100)), abs=0.01)
    # Ten times as many pairs with the same matches: the prior falls by log2(10).
    lower = estimate_prior_log2_odds(cfg, *hist, 10 * n_pairs)
    assert prior - lower == pytest.approx(np.log2(10), abs=0.01)
    # Clamped to the configured range; no candidates: the configured prior.
    # Never above the configured prior, however many of a small input's pairs match.
    assert estimate_prior_log2_odds(MatchConfig(), *hist, 200) == MatchConfig().prior_log2_odds
    assert estimate_prior_log2_odds(MatchConfig(), [], [], [], 0) == -12.0


def test_pairs_at_the_family_ceiling_keep_their_odds_whatever_the_prior() -> None:
    # 1,000 pairs whose household evidence is saturated (odds = ceiling = +5 bits,
    # posterior 0.97) and 50,000 weak pairs: the saturated pairs alone set the rate.
    cfg = MatchConfig(prior_range=(-40.0, -1.0))
    evidence = np.concatenate([np.full(1_000, 40.0), np.full(50_000, -10.0)])
    ceiling = np.concatenate([np.full(1_000, 5.0), np.full(50_000, 100.0)])
    hist = evidence_histogram(evidence, ceiling)
    n_pairs = 1e9
    prior = estimate_prior_log2_odds(cfg, *hist, n_pairs)
    saturated = 1_000 / (1 + 2**-5)
    assert prior == pytest.approx(np.log2(saturated / n_pairs), abs=0.01)


def test_prior_estimate_falls_as_blocks_fill_with_non_matches() -> None:
    people, _ = synthetic(150, seed=6)
    prior = []
    rng = random.Random(0)
    for extra in (0, 600, 2400):
        # Girls and boys with the same common given names, other families and ages.
        strangers = [
            PersonRecord(
                f"S{k}", given_name=rng.choice(GIVEN_F), sex="F", age=rng.randint(8, 40),
                recorded_on="2024-06-01", family_name=f"{rng.choice(FAMILY)}{rng.randint(0, 999)}",
                district=rng.choice(DISTRICTS)[0], state=rng.choice(DISTRICTS)[1],
            )
            for k in range(extra)
        ]  # fmt: skip
        p = scored_candidates(people + strangers, UNCLAMPED).prior
        prior.append(p)
        clamped = scored_candidates(people + strangers, ESTIMATE).prior
        assert clamped == min(p, ESTIMATE.prior_range[1])
    assert prior[0] > prior[1] > prior[2], prior


def test_estimated_prior_keeps_siblings_apart() -> None:
    # Sisters: same family, parents, village, phone; different given name and age.
    a = PersonRecord("A", given_name="Rekha", family_name="Mondal", sex="F", age=14,
                     recorded_on="2024-01-01", father_name="Ramesh Mondal",
                     mother_name="Gita Mondal", village="Beldanga", district="Murshidabad",
                     state="WB", phone="9830012345")  # fmt: skip
    sister = replace(a, record_id="B", given_name="Mamta", age=17)
    twin = replace(a, record_id="C", given_name="Mamta", age=None, birth_date="2010-01-01")
    twin_a = replace(a, age=None, birth_date="2010-01-01")
    labels = dedupe([a, sister], config=ESTIMATE)
    assert labels["A"] != labels["B"]
    labels = dedupe([twin_a, twin], config=ESTIMATE)
    assert labels["A"] != labels["C"]


def test_a_learned_prior_falls_as_the_register_grows_and_never_rises_above_the_configured() -> None:
    fixed = MatchConfig(estimate_prior=False)
    people, _ = synthetic(150, seed=6)
    rng = random.Random(0)
    strangers = [
        PersonRecord(
            f"S{k}", given_name=rng.choice(GIVEN_F), sex="F", age=rng.randint(8, 40),
            recorded_on="2024-06-01", family_name=f"{rng.choice(FAMILY)}{rng.randint(0, 999)}",
            district=rng.choice(DISTRICTS)[0], state=rng.choice(DISTRICTS)[1],
        )
        for k in range(2400)
    ]  # fmt: skip
    assert scored_candidates(people + strangers, fixed).prior == fixed.prior_log2_odds
    # Learned with m (learn_weights): the same people among 2,400 strangers match at a
    # lower rate of their pairs; the default range never rises above the configured prior.
    unclamped = MatchConfig(estimate_prior=True, prior_range=(-30.0, -1.0))
    alone = scored_candidates(people, unclamped).prior
    among = scored_candidates(people + strangers, unclamped).prior
    assert among < alone - 1
    learned = MatchConfig(estimate_prior=True)
    assert scored_candidates(people, learned).prior == min(alone, fixed.prior_log2_odds)


def test_blocking_finds_a_mangled_given_name_by_family_and_year_or_by_full_date() -> None:
    from setu.linkage._batch import candidate_pairs
    from setu.linkage._config import MatchConfig as Cfg

    a = PersonRecord("A", given_name="Kathleen", family_name="Stanley", birth_date="1997-11-17")
    typo = replace(a, record_id="B", given_name="Ktahleen")  # family name + birth year
    both = replace(a, record_id="C", given_name="Kathlene", family_name="Stenlye")  # full date
    stranger = replace(a, record_id="D", given_name="Zubeida", family_name="Ansari",
                       birth_date="1997-03-02")  # fmt: skip
    frame = build_frame([a, typo, both, stranger])
    lo, hi = candidate_pairs(frame.feats, Cfg())
    pairs = set(zip(lo.tolist(), hi.tolist(), strict=True))
    assert (0, 1) in pairs and (0, 2) in pairs
    assert not any(3 in p for p in pairs)


def test_blocking_finds_a_given_name_misspelt_past_its_sound_by_family_name_in_district() -> None:
    from setu.linkage._batch import candidate_pairs
    from setu.linkage._blocking import blocking_keys, is_broad_key

    # No birth date, so the family name cannot pair with a year; no village or phone.
    a = PersonRecord("A", given_name="Rekha", family_name="Mondal", sex="F", age=15,
                     recorded_on="2023-01-01", district="Murshidabad", state="WB")  # fmt: skip
    misspelt = replace(a, record_id="B", given_name="Rkeha")
    elsewhere = replace(misspelt, record_id="C", district="Nadia")
    frame = build_frame([a, misspelt, elsewhere])
    assert not set(frame.feats[0].name.given) & set(frame.feats[1].name.given)
    lo, hi = candidate_pairs(frame.feats, MatchConfig())
    pairs = set(zip(lo.tolist(), hi.tolist(), strict=True))
    assert (0, 1) in pairs
    assert (0, 2) not in pairs
    # The family name in a district is as broad as a common first name.
    assert [k for k in blocking_keys(frame.feats[0]) if k.startswith("fa:")]
    assert all(is_broad_key(k) for k in blocking_keys(frame.feats[0]) if k.startswith("fa:"))
    assert not is_broad_key("n:mondal rekha")


def test_a_whole_family_agreeing_still_matches_when_the_estimated_prior_falls() -> None:
    # The same girl twice, an estimated age each time, her family in full; then 3,000
    # strangers nobody could confuse, so the estimated prior falls far below the fixed one.
    girl = PersonRecord("G1", given_name="Rekha", family_name="Mondal", sex="F", age=14,
                        recorded_on="2021-01-01", father_name="Ramesh Mondal",
                        mother_name="Gita Mondal", village="Beldanga",
                        district="Murshidabad", state="WB", phone="9830012345")  # fmt: skip
    again = replace(girl, record_id="G2", given_name="Rekha Kumari", age=17,
                    recorded_on="2024-03-01", phone="")  # fmt: skip
    rng = random.Random(1)

    def word() -> str:
        return "".join(rng.choice("bdfgjklmnprstvz") + rng.choice("aeiou") for _ in range(4))

    strangers = [
        PersonRecord(f"S{k}", given_name=word(), family_name=word(), sex="F",
                     age=rng.randint(8, 40), recorded_on="2024-06-01")
        for k in range(3_000)
    ]  # fmt: skip
    records = [girl, again, *strangers]
    prior = scored_candidates(records, ESTIMATE).prior
    assert prior < MatchConfig().prior_log2_odds - 2
    labels = dedupe(records, config=ESTIMATE)
    assert labels["G1"] == labels["G2"]


def test_blocking_finds_a_given_name_with_other_vowels_in_the_same_district() -> None:
    from setu.linkage._batch import candidate_pairs

    # Only the given name and the district: no family name, parents, village or phone.
    a = PersonRecord("A", given_name="Shabnam", sex="F", age=15, recorded_on="2023-01-01",
                     district="Murshidabad", state="WB")  # fmt: skip
    spoken = replace(a, record_id="B", given_name="Shobnam")
    elsewhere = replace(spoken, record_id="C", district="Nadia")
    frame = build_frame([a, spoken, elsewhere])
    assert frame.feats[0].name.given != frame.feats[1].name.given
    lo, hi = candidate_pairs(frame.feats, MatchConfig())
    pairs = set(zip(lo.tolist(), hi.tolist(), strict=True))
    assert (0, 1) in pairs
    # Another district needs the same sound (the g: key), as before.
    assert (0, 2) not in pairs and (1, 2) in pairs


def test_blocking_by_village_treats_an_unrecorded_sex_as_either() -> None:
    from setu.linkage._batch import candidate_pairs

    # Names mangled past every name key; the village is all they share.
    a = PersonRecord("A", given_name="Kathleen", sex="F", village="Beldanga")
    unknown = PersonRecord("B", given_name="Zubeida", village="Beldanga")
    boy = PersonRecord("C", given_name="Mohan", sex="M", village="Beldanga")
    frame = build_frame([a, unknown, boy])
    lo, hi = candidate_pairs(frame.feats, MatchConfig())
    pairs = set(zip(lo.tolist(), hi.tolist(), strict=True))
    assert (0, 1) in pairs and (1, 2) in pairs
    assert (0, 2) not in pairs


def test_fixed_prior_falls_by_half_a_bit_per_doubling_beyond_the_reference_size() -> None:
    from setu.linkage._config import register_prior_log2_odds

    cfg = MatchConfig()
    ref = cfg.prior_reference_records

    def pairs(n: float) -> float:
        return n * (n - 1) / 2

    assert register_prior_log2_odds(cfg, pairs(10_000)) == cfg.prior_log2_odds
    assert register_prior_log2_odds(cfg, pairs(ref)) == cfg.prior_log2_odds
    # The default falls from 25,000 records: a bit below the configured prior at 100,000.
    assert register_prior_log2_odds(cfg, pairs(100_000)) == pytest.approx(
        cfg.prior_log2_odds - 1.0, abs=1e-4
    )
    assert register_prior_log2_odds(cfg, pairs(4 * ref)) == pytest.approx(
        cfg.prior_log2_odds - 1.0, abs=1e-4
    )
    # Linking 200,000 x 200,000 records is as many pairs as deduplicating ~283,000.
    assert register_prior_log2_odds(cfg, 200_000.0 * 200_000) == pytest.approx(
        register_prior_log2_odds(cfg, pairs(282_843)), abs=1e-4
    )
    off = replace(cfg, prior_scale_rate=0.0)
    assert register_prior_log2_odds(off, pairs(40 * ref)) == cfg.prior_log2_odds


def test_dedupe_uses_the_register_scaled_prior_and_a_lower_prior_merges_less() -> None:
    records, _ = synthetic(200, seed=3)  # about 400 records, four doublings past 25
    # The prior alone moves the scores: no learned weights, no district frequencies.
    small_reference = MatchConfig(
        prior_reference_records=25,
        learn_weights=False,
        district_frequency=False,
        estimate_prior=False,
    )
    doublings = math.log2(len(records) / 25)
    prior = scored_candidates(records, small_reference).prior
    assert prior == pytest.approx(MatchConfig().prior_log2_odds - 0.5 * doublings, abs=0.01)
    fixed = MatchConfig(learn_weights=False, district_frequency=False, estimate_prior=False)
    assert scored_candidates(records, fixed).prior == fixed.prior_log2_odds
    merged = sum(1 for rid, c in dedupe(records, config=fixed).items() if rid != c)
    merged_scaled = sum(1 for rid, c in dedupe(records, config=small_reference).items() if rid != c)
    assert merged_scaled < merged
