"""The clustering's group-evidence rule: a merge into a group of records must hold on the
groups' combined evidence, not only on their best pair."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from setu.linkage import MatchConfig, PersonRecord, dedupe, explain
from setu.linkage._api import DEFAULT_CONFIG, scored_candidates
from setu.linkage._cluster import cluster, components
from setu.linkage._compare import FIELDS
from setu.linkage._features import features
from setu.linkage._groups import GroupScorer, selection_discount

from .test_engine import synthetic

_HOME = {"village": "Krishnatala", "district": "Birbhum"}


# These tests build borderline cases for the clustering rules under the configured weights;
# weights learned from a few dozen generated families would move the borders.
CONFIGURED = MatchConfig(learn_weights=False, estimate_prior=False)


def namesakes() -> list[PersonRecord]:
    """One woman recorded three times (once with little but her name and village) and a
    namesake from the same village, born three years later to other parents."""
    full = {"given_name": "Fatema", "family_name": "Khatun", "sex": "F", **_HOME}
    return [
        PersonRecord("A1", **full, state="West Bengal", birth_date="2000-07-07",
                     father_name="Mofijul Islam", mother_name="Sabina Bibi", phone="8983266088"),
        PersonRecord("A2", **full, state="West Bengal", birth_date="2000-07-07",
                     father_name="Mofijul Islam", phone="+91 89832 66088"),
        PersonRecord("A3", given_name="Fatema", sex="F", **_HOME, state="WB"),
        PersonRecord("B1", **full, state="WB", birth_date="2003-09-25",
                     father_name="Jahangir Haque", mother_name="Amina Begum"),
    ]  # fmt: skip


def _scorer(records: list[PersonRecord]) -> GroupScorer:
    feats = [features(r) for r in records]
    return GroupScorer(DEFAULT_CONFIG, feats.__getitem__, lambda i: 0.0, 0.0, -12.0)


def test_a_namesake_matching_only_a_sparse_record_stays_apart() -> None:
    a1, a2, a3, b1 = namesakes()
    # The sparse record matches both women on its own; the full records tell them apart.
    assert explain(a3, a1).decision == explain(a3, b1).decision == "match"
    assert explain(a1, b1).decision != "match"
    records = [a1, a2, a3, b1, *synthetic(60, seed=1)[0]]
    clusters = dedupe(records, config=CONFIGURED)
    assert clusters["A1"] == clusters["A2"] == clusters["A3"]
    assert clusters["B1"] == "B1"
    # Without the rule she is merged through the sparse record.
    assert (
        dedupe(records, config=MatchConfig(group_evidence=False, learn_weights=False))["B1"] == "A1"
    )


def test_details_spread_over_a_persons_records_add_up() -> None:
    # Her birth date and family are in two records; a later record gives her mother and
    # village, each of which only one earlier record holds. The later record names no
    # state (a shared state with no district on either side is evidence of its own).
    dated = {"given_name": "Rimpa", "family_name": "Mridha", "sex": "F", "birth_date": "2006-03-14"}
    later = PersonRecord(
        "S3",
        given_name="Reempa",
        sex="F",
        age=17,
        recorded_on="2023-05-01",
        mother_name="Shilpi",
        village="Durgatala",
    )
    records = [
        PersonRecord("S1", **dated, father_name="Gopal Mridha", mother_name="Shilpi", state="WB"),
        PersonRecord("S2", **dated, village="Durgatala", state="WB"),
        later,
        *synthetic(60, seed=1)[0],
    ]  # fmt: skip
    assert explain(records[0], later).decision == "possible"
    clusters = dedupe(records, config=CONFIGURED)
    assert clusters["S1"] == clusters["S2"] == clusters["S3"]
    # Pair by pair, with the name's frequency counted, neither earlier record is enough.
    assert dedupe(records, config=replace(CONFIGURED, group_evidence=False))["S3"] == "S3"


def test_combined_evidence_takes_each_field_from_the_records_that_hold_it() -> None:
    scorer = _scorer(namesakes())
    weights = dict(zip(FIELDS, scorer.field_weights([0, 1], [3]), strict=True))
    # Both of A's dated records disagree with B's date and father: that counts against.
    assert weights["birth"] < 0 and weights["father_name"] < 0 and weights["mother_name"] < 0
    assert weights["given_name"] > 0 and weights["village"] > 0
    # The sparse record alone says nothing about birth or parents.
    sparse = dict(zip(FIELDS, scorer.field_weights([2], [3]), strict=True))
    assert sparse["birth"] == sparse["father_name"] == sparse["phone"] == 0.0
    assert scorer([0, 1, 2], [3]) < scorer([2], [3])
    # A field some of the group lacks does not dilute it: adding the sparse record to the
    # group keeps each field's best agreement with a full record of the same woman.
    assert scorer.field_weights([0, 2], [1]) == scorer.field_weights([0], [1])


def test_one_pair_groups_score_as_the_batch_pipeline_scores_the_pair() -> None:
    records, _ = synthetic(120, seed=3)
    run = scored_candidates(records, DEFAULT_CONFIG)
    assert len(run.a) > 100
    step = max(1, len(run.a) // 300)
    for k in range(0, len(run.a), step):
        i, j = int(run.a[k]), int(run.b[k])
        assert run.group_score([i], [j]) == pytest.approx(float(run.total[k]), abs=1e-9)


def test_cluster_asks_for_group_evidence_only_when_a_group_is_involved() -> None:
    asked: list[tuple[list[int], list[int], bool]] = []

    def refuse(a: list[int], b: list[int], discount: bool) -> float:
        asked.append((sorted(a), sorted(b), discount))
        return -20.0

    # 0-1 and 2-3 are pairs; 1-2 would join the two pairs.
    edges = [(9.0, 0, 1), (8.0, 2, 3), (7.0, 1, 2), (6.0, 4, 5)]
    labels = cluster(6, edges, [], DEFAULT_CONFIG, 4.0, 6.0, refuse)
    assert labels[0] == labels[1] and labels[2] == labels[3] and labels[4] == labels[5]
    assert labels[1] != labels[2]
    # Two groups of two: the combined evidence carries the merge, so it is discounted.
    assert asked == [([0, 1], [2, 3], True)]
    # Evidence that holds lets the merge go ahead.
    labels = cluster(6, edges, [], DEFAULT_CONFIG, 4.0, 6.0, lambda a, b, d: 5.0)
    assert labels[0] == labels[3]


def test_a_possible_pair_merges_groups_only_on_combined_evidence() -> None:
    edges = [(9.0, 0, 1), (1.0, 1, 2), (0.5, 3, 4), (-2.0, 0, 3)]
    # 1-2 is only possible, but the group {0, 1} with 2 holds; 3-4 are two single records,
    # whose combined evidence is their pair's own, so they stay apart; -2 is below support.
    labels = cluster(5, edges, [], DEFAULT_CONFIG, 4.0, 6.0, lambda a, b, d: 5.0, support_log2=0.0)
    assert labels[0] == labels[1] == labels[2]
    assert len({labels[0], labels[3], labels[4]}) == 3
    # Without support the possible pair is never considered.
    labels = cluster(5, edges, [], DEFAULT_CONFIG, 4.0, 6.0, lambda a, b, d: 5.0)
    assert labels[2] != labels[0]


def test_selection_discount_is_the_union_bound_for_the_pairs_that_missed() -> None:
    assert selection_discount(1, 1) == 0.0
    assert selection_discount(4, 4) == 0.0  # every record agrees: nothing was chosen
    assert selection_discount(2, 1) == pytest.approx(1.0)
    assert selection_discount(4, 1) == pytest.approx(2.0)
    assert selection_discount(6, 3) == pytest.approx(1.0)
    assert selection_discount(0, 0) == 0.0


def _woman(rid: str, given: str, **fields: str) -> PersonRecord:
    # No place: the village is to be her household's only evidence.
    return PersonRecord(rid, given_name=given, sex="F", **fields)


def test_a_field_only_one_of_several_records_agrees_on_is_discounted() -> None:
    # Her two records spell the village two ways; a newcomer matches one spelling only.
    records = [
        _woman("A1", "Rupa", village="Kalitala"),
        _woman("A2", "Rupa", village="Koilatola"),
        _woman("N", "Rupa", village="Kalitala"),
    ]
    scorer = _scorer(records)
    village = FIELDS.index("village")
    plain = scorer.field_weights([0, 1], [2])
    discounted = scorer.field_weights([0, 1], [2], discount=True)
    assert discounted[village] == pytest.approx(plain[village] - 1.0)
    # Fields every pair agrees on at the same level are not discounted.
    for field in ("given_name", "sex"):
        c = FIELDS.index(field)
        assert discounted[c] == plain[c] > 0
    # The village is her household's only evidence here, below the household cap, so the
    # discount lowers the merge's log odds by the same bit.
    assert scorer([0, 1], [2], True) == pytest.approx(scorer([0, 1], [2]) - 1.0)


def test_disagreement_is_never_discounted_and_agreement_never_turns_negative() -> None:
    a1, a2, a3, b1 = namesakes()
    scorer = _scorer([a1, a2, a3, b1])
    plain = scorer.field_weights([0, 1, 2], [3])
    discounted = scorer.field_weights([0, 1, 2], [3], discount=True)
    for w, d in zip(plain, discounted, strict=True):
        assert d == w if w <= 0 else 0 <= d <= w


def test_cluster_discounts_only_merges_the_combined_evidence_carries() -> None:
    asked: list[tuple[int, int, bool]] = []

    def record(a: list[int], b: list[int], discount: bool) -> float:
        asked.append((len(a), len(b), discount))
        return 5.0

    # 0-1 a pair; 2 joins it through a pair above the threshold (not discounted); 3-4 a
    # pair; 4-5 is only possible (discounted when it joins 5 to the group {3, 4}).
    edges = [(9.0, 0, 1), (8.0, 1, 2), (7.0, 3, 4), (1.0, 4, 5)]
    cluster(6, edges, [], DEFAULT_CONFIG, 4.0, 6.0, record, support_log2=0.0)
    assert asked == [(2, 1, False), (2, 1, True)]
    # The configuration can turn the discount off.
    asked.clear()
    off = MatchConfig(group_selection_discount=False)
    cluster(6, edges, [], off, 4.0, 6.0, record, support_log2=0.0)
    assert {d for *_, d in asked} == {False}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_components_match_a_union_find(seed: int) -> None:
    rng = random.Random(seed)
    n = 300
    edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.choice((0, 40, 250)))]
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for x, y in edges:
        rx, ry = root(x), root(y)
        parent[max(rx, ry)] = min(rx, ry)
    got = components(n, [x for x, _ in edges], [y for _, y in edges])
    assert got.tolist() == [min(i for i in range(n) if root(i) == root(x)) for x in range(n)]
