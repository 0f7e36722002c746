"""The benchmark's pairwise metrics, checked against brute-force pair counting."""

from __future__ import annotations

import itertools
import random

import pytest

from setu.synth.metrics import pairwise_scores


def _brute(pred: dict[str, object], truth: dict[str, object]) -> tuple[int, int, int]:
    ids = sorted(truth)
    tp = pp = tt = 0
    for a, b in itertools.combinations(ids, 2):
        p = a in pred and b in pred and pred[a] == pred[b]
        t = truth[a] == truth[b]
        pp += p
        tt += t
        tp += p and t
    return tp, pp, tt


def test_hand_worked_example():
    truth = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 3}
    # Predicted: {a,b} {c,d,e} {f}. True pairs: ab ac bc de = 4.
    # Predicted pairs: ab cd ce de = 4; correct: ab de = 2.
    pred = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y", "f": "z"}
    s = pairwise_scores(pred, truth)
    assert (s.true_positive_pairs, s.predicted_pairs, s.true_pairs) == (2, 4, 4)
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(0.5)
    assert s.f1 == pytest.approx(0.5)


def test_perfect_and_all_singletons():
    truth = {"a": 1, "b": 1, "c": 2}
    assert pairwise_scores(truth, truth).f1 == 1.0
    s = pairwise_scores({k: k for k in truth}, truth)
    assert (s.precision, s.recall, s.f1) == (1.0, 0.0, 0.0)


def test_one_big_cluster():
    truth = {"a": 1, "b": 1, "c": 2, "d": 3}
    s = pairwise_scores(dict.fromkeys(truth, 0), truth)
    assert s.predicted_pairs == 6
    assert s.precision == pytest.approx(1 / 6)
    assert s.recall == 1.0


def test_missing_predictions_are_singletons():
    truth = {"a": 1, "b": 1, "c": 1}
    s = pairwise_scores({"a": 5, "b": 5}, truth)
    assert (s.true_positive_pairs, s.predicted_pairs, s.true_pairs) == (1, 1, 3)


def test_cluster_labels_may_equal_record_ids():
    # Setu labels clusters by their smallest record_id; labels must not be
    # confused with the singleton keys of missing records.
    truth = {"r1": 1, "r2": 1, "r3": 2}
    s = pairwise_scores({"r1": "r1", "r2": "r1"}, truth)
    assert (s.true_positive_pairs, s.predicted_pairs) == (1, 1)


def test_matches_brute_force_on_random_clusterings():
    rng = random.Random(4)
    for _ in range(50):
        ids = [f"r{i}" for i in range(rng.randint(1, 40))]
        truth = {i: rng.randrange(8) for i in ids}
        pred = {i: rng.randrange(6) for i in ids if rng.random() < 0.9}
        s = pairwise_scores(pred, truth)
        assert (s.true_positive_pairs, s.predicted_pairs, s.true_pairs) == _brute(pred, truth)
