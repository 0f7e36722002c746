"""The benchmark's threshold sweep for Splink (bench/sweep.py) against brute force."""

from __future__ import annotations

import itertools
import random

import pytest

from bench import sweep
from setu.synth.metrics import pairwise_scores


def _components(ids, edges, t):
    parent = {i: i for i in ids}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b, w in edges:
        if w >= t:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
    return {i: find(i) for i in ids}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sweep_equals_connected_components_at_each_threshold(seed):
    rng = random.Random(seed)
    ids = [f"r{i}" for i in range(120)]
    truth = {i: f"p{rng.randrange(50)}" for i in ids}
    by_person = {}
    for i, p in truth.items():
        by_person.setdefault(p, []).append(i)
    edges = []
    for members in by_person.values():  # true pairs, mostly strong
        for a, b in itertools.pairwise(members):
            edges.append((a, b, rng.uniform(-2, 12)))
    for _ in range(150):  # false pairs, mostly weak
        a, b = rng.sample(ids, 2)
        edges.append((a, b, rng.uniform(-6, 6)))
    grid = [-3.0, 0.0, 1.5, 3.25, 6.0, 9.0]
    points = sweep.sweep(edges, truth, grid)
    assert [p.match_weight for p in points] == sorted(grid, reverse=True)
    for p in points:
        expected = pairwise_scores(_components(ids, edges, p.match_weight), truth)
        assert p.precision == pytest.approx(expected.precision)
        assert p.recall == pytest.approx(expected.recall)
        assert p.f1 == pytest.approx(expected.f1)
    best = sweep.best(points)
    assert best.f1 == max(p.f1 for p in points)


def test_probability_of_weight():
    assert sweep.probability(0) == 0.5
    assert sweep.probability(3.169925) == pytest.approx(0.9, abs=1e-6)
