"""Pairwise accuracy of connected-component clusters at every match-weight threshold.

Splink clusters by connected components of the pairs scored at or above a
threshold (``cluster_pairwise_predictions_at_threshold``). Given its scored
pairs, this finds precision, recall and F1 at each threshold of a grid in one
pass: the pairs are added strongest first to a union-find, and each merge of
two clusters A and B adds |A|·|B| predicted pairs, of which Σₚ Aₚ·Bₚ are true
(Aₚ = records of person p in A). Used only to report the best threshold, an
oracle choice made with the truth, never to set up an engine.
"""

from __future__ import annotations

import csv
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SweepPoint:
    match_weight: float
    match_probability: float
    precision: float
    recall: float
    f1: float


def probability(weight: float) -> float:
    return 1.0 / (1.0 + 2.0 ** (-weight))


def default_grid() -> list[float]:
    # Match weights -6.5 (p ≈ 0.011) to +30 in quarter bits.
    return [w / 4 for w in range(-26, 121)]


def sweep(
    edges: list[tuple[str, str, float]], truth: dict[str, str], grid: list[float] | None = None
) -> list[SweepPoint]:
    """Accuracy at each match-weight threshold in ``grid`` (pairs with weight ≥ t merge)."""
    grid = sorted(default_grid() if grid is None else grid, reverse=True)
    per_person = Counter(truth.values())
    true_pairs = sum(k * (k - 1) // 2 for k in per_person.values())
    parent: dict[str, str] = {}
    members: dict[str, Counter[str]] = {}
    size: dict[str, int] = {}

    def find(x: str) -> str:
        if x not in parent:
            parent[x], members[x], size[x] = x, Counter({truth[x]: 1}), 1
            return x
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    ordered = sorted(edges, key=lambda e: e[2], reverse=True)
    tp = predicted = 0
    i = 0
    out: list[SweepPoint] = []
    for t in grid:
        while i < len(ordered) and ordered[i][2] >= t:
            a, b = find(ordered[i][0]), find(ordered[i][1])
            i += 1
            if a == b:
                continue
            if size[a] < size[b]:
                a, b = b, a
            small = members.pop(b)
            predicted += size[a] * size[b]
            big = members[a]
            tp += sum(n * big.get(p, 0) for p, n in small.items())
            big.update(small)
            size[a] += size.pop(b)
            parent[b] = a
        precision = tp / predicted if predicted else 1.0
        recall = tp / true_pairs if true_pairs else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(SweepPoint(t, probability(t), precision, recall, f1))
    return out


def best(points: list[SweepPoint]) -> SweepPoint:
    # Ties go to the higher threshold (the stricter choice).
    return max(points, key=lambda p: (round(p.f1, 12), p.match_weight))


def read_edges(path: Path) -> list[tuple[str, str, float]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh)
        return [
            (r["unique_id_l"], r["unique_id_r"], float(r["match_weight"]))
            for r in rows
            if r["match_weight"] and not math.isnan(float(r["match_weight"]))
        ]
