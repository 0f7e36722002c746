"""Pairwise precision/recall of a clustering against ground truth.

Kept beside the generator because every consumer of labelled synthetic data
(tests, demo checks, benchmarks) needs the same, correct definition.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PairwiseScores:
    true_positive_pairs: int
    predicted_pairs: int
    true_pairs: int
    precision: float
    recall: float
    f1: float


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(
    predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]
) -> PairwiseScores:
    """Score ``record_id -> cluster`` against ``record_id -> true entity``.

    A pair of records is predicted linked when both share a predicted
    cluster, truly linked when both share a true entity. Only records in
    ``truth`` count; a record missing from ``predicted`` is its own singleton.
    Precision (recall) is 1.0 when nothing was predicted (nothing was there
    to find), so an empty side does not read as a failure.
    """
    pred_sizes: Counter[Hashable] = Counter()
    true_sizes: Counter[Hashable] = Counter()
    both: Counter[tuple[Hashable, Hashable]] = Counter()
    for rid, entity in truth.items():
        # Missing predictions get a key that cannot collide with real clusters.
        cluster = predicted.get(rid, ("__singleton__", rid))
        pred_sizes[cluster] += 1
        true_sizes[entity] += 1
        both[(cluster, entity)] += 1
    tp = sum(_pairs(n) for n in both.values())
    pp = sum(_pairs(n) for n in pred_sizes.values())
    tt = sum(_pairs(n) for n in true_sizes.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairwiseScores(tp, pp, tt, precision, recall, f1)
