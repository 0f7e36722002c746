"""The speed work of issue 23 must not change a single level, score or cluster.

The reference here is a slow path written out in the test: ``compare_names`` as it was
before names were prepared once per distinct name (commit e77d663 on main), word for word,
with two later rules added in the same plain form (the family levels renumbered around
"married", and a name split off the given-name column read as written too: docs/linkage/
normalisation.md), and the batch pipeline run serially with it, the group scorer comparing
features with ``compare``. The fast path (prepared names compared over arrays, forked workers,
the group scorer's levels from the Frame) must give the same levels for every candidate pair and
the same scores and clusters on a fixed input: 2,000 generated records, seed 42.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import setu.linkage._batch as batch
import setu.linkage._cluster as cluster_module
from setu.linkage import MatchConfig, dedupe_review, read_records
from setu.linkage._api import scored_candidates
from setu.linkage._compare import (
    _SIMILAR,
    FAMILY_MARRIED,
    LEVELS,
    PreparedName,
    _jw,
    _skeleton,
    compare_names,
    compare_prepared_names,
    prepare_name,
)
from setu.linkage._features import NameDesc, features
from setu.linkage._records import PersonRecord
from setu.linkage._text import phonetic_key
from setu.synth import generate_population, persons_for_records, write_interchange_csv


def _similar(a: str, b: str) -> bool:
    from rapidfuzz.distance import OSA

    if _jw(a, b) >= _SIMILAR:
        return True
    n = min(len(a), len(b))
    return n >= 4 and OSA.distance(a, b) <= (1 if n < 8 else 2)


def _sounds(a: str, b: str) -> bool:
    ka, kb = phonetic_key(a), phonetic_key(b)
    if ka == kb:
        return True
    return _skeleton(ka) == _skeleton(kb) and len(ka) >= 3 and _jw(ka, kb) >= 0.85


def _near(a: str, b: str) -> bool:
    return _sounds(a, b) or _similar(a, b)


def _alias_match(a: NameDesc, b: NameDesc) -> bool:
    if not a.alias and not b.alias:
        return False
    aa, ab = set(a.akeys), set(b.akeys)
    if (aa & set(b.gkeys)) or (ab & set(a.gkeys)) or (aa & ab):
        return True
    words_a, words_b = a.given + a.alias, b.given + b.alias
    return any(_near(x, y) for x in a.alias for y in words_b if min(len(x), len(y)) >= 3) or any(
        _near(x, y) for x in b.alias for y in words_a if min(len(x), len(y)) >= 3
    )


def _compare_family(a: NameDesc, b: NameDesc) -> int:
    fa, fb = a.family, b.family
    if not fa or not fb:
        return 0
    ka, kb = a.fkeys, b.fkeys
    if "".join(ka) == "".join(kb) or set(ka) & set(kb):
        return 4
    if _similar(" ".join(fa), " ".join(fb)):
        return 3
    return 1


def reference_compare_names(a: NameDesc, b: NameDesc) -> tuple[int, int]:
    """compare_names, unprepared (the slow reference path)."""
    g, f = _reference_read(a, b)
    if f == 1 and (a.split or b.split):
        g2, f2 = _reference_read(a.unsplit() if a.split else a, b.unsplit() if b.split else b)
        if g2 > g:
            return g2, f2
    return g, f


def _reference_read(a: NameDesc, b: NameDesc) -> tuple[int, int]:
    ga, gb, fa, fb = a.given, b.given, a.family, b.family
    fam = _compare_family(a, b)
    if not ga or not gb:
        return 0, fam
    ja, jb = "".join(ga), "".join(gb)
    if ja == jb:
        return 7, fam
    kga, kgb = a.gkeys, b.gkeys
    if "".join(kga) == "".join(kgb) or (len(ga) == len(gb) == 1 and _sounds(ja, jb)):
        return 6, fam
    full_a, full_b = kga + a.fkeys, kgb + b.fkeys
    if "".join(full_a) == "".join(full_b):
        return 6, 4
    if fa and fb and _near(ja, "".join(fb)) and _near("".join(fa), jb):
        return 5, 4
    if set(kga) & set(kgb) or any(_sounds(x, y) for x in ga for y in gb):
        return 4, fam
    if (fb and _near(ja, "".join(fb))) or (fa and _near("".join(fa), jb)):
        return 4, fam
    if _alias_match(a, b):
        return 3, fam
    if _similar(" ".join(ga), " ".join(gb)) or (
        min(len(ja), len(jb)) >= 4 and _jw("".join(kga), "".join(kgb)) >= 0.9
    ):
        return 2, fam
    return 1, fam


@pytest.fixture(scope="module")
def generated_2k(tmp_path_factory: pytest.TempPathFactory) -> tuple[PersonRecord, ...]:
    """2,000 generated records, seed 42, read back from the interchange CSV as the bench does."""
    path = tmp_path_factory.mktemp("generated") / "generated_2000_s42.csv"
    write_interchange_csv(generate_population(persons_for_records(2000), seed=42).records, path)
    return tuple(read_records(path))


def _with_aliases(records: tuple[PersonRecord, ...]) -> list[PersonRecord]:
    # The generated records carry few aliases; give every fifth one another record's
    # given name as its alias so that the alias rule is exercised both ways.
    from dataclasses import replace

    out = list(records)
    for i in range(0, len(out), 5):
        out[i] = replace(out[i], alias=out[(i * 7 + 3) % len(out)].given_name)
    return out


def test_prepared_names_compare_as_the_reference_on_every_candidate_pair(
    generated_2k: tuple[PersonRecord, ...],
) -> None:
    records = _with_aliases(generated_2k)
    frame = batch.build_frame(records)
    a, b = batch.candidate_pairs(frame.feats, MatchConfig())
    names = [f.name for f in frame.feats]
    rng = random.Random(42)
    # Candidate pairs reach the agreeing levels; random pairs mostly the "different" end.
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    pairs |= {(rng.randrange(len(names)), rng.randrange(len(names))) for _ in range(20_000)}
    seen_levels: set[int] = set()
    for i, j in sorted(pairs):
        expected = reference_compare_names(names[i], names[j])
        got = compare_prepared_names(prepare_name(names[i]), prepare_name(names[j]))
        assert got == expected, (names[i], names[j])
        assert compare_names.__wrapped__(names[i], names[j]) == expected
        seen_levels.add(expected[0])
    # Every given-name level, alias included, was reached at least once.
    assert seen_levels == set(range(8))


def test_prepared_names_handle_names_built_without_keys() -> None:
    # NameDesc(...) without .of() has no phonetic keys: the prepared form must follow the
    # descriptor's keys exactly as the reference does, not recompute them.
    a = NameDesc(("puja",), ("das",), ())
    b = NameDesc(("pooja",), ("dass",), ("rina",))
    c = features(PersonRecord(record_id="x", given_name="Pooja", family_name="Dass")).name
    for x, y in [(a, b), (b, a), (a, c), (c, b), (b, b)]:
        assert compare_prepared_names(prepare_name(x), prepare_name(y)) == (
            reference_compare_names(x, y)
        )


@pytest.fixture
def reference_pipeline(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Runs the batch pipeline serially with the reference name comparator."""

    def use() -> None:
        import setu.linkage._api as api

        pairwise = dict(batch._PAIRWISE)
        pairwise[0] = (reference_compare_names, 2, None)
        monkeypatch.setattr(batch, "_PAIRWISE", pairwise)
        monkeypatch.setattr(batch, "_BATCH", {})
        monkeypatch.setattr(batch, "_workers", lambda: 1)
        # The group scorer compares the records' features (``compare``).
        monkeypatch.setattr(api, "RecordPairLevels", lambda frame: None)

    return use


def test_scores_and_clusters_match_the_reference_path(
    generated_2k: tuple[PersonRecord, ...],
    reference_pipeline: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = list(generated_2k)
    cfg = MatchConfig()
    # Fast path, forced onto two forked workers even at this size: the comparison
    # workers, the forked half of the blocking keys and of the comparators, and the
    # components clustered in a forked process.
    with monkeypatch.context() as m:
        m.setattr(batch, "_PARALLEL_MIN", 1)
        m.setattr(batch, "_FORK_MIN", 1)
        m.setattr(batch, "_FORK_MIN_RECORDS", 1)
        m.setattr(cluster_module, "_FORK_MIN_EDGES", 1)
        m.setattr(batch, "_workers", lambda: 2)
        fast = scored_candidates(records, cfg)
        fast_result = dedupe_review(records, config=cfg)
    reference_pipeline()
    slow = scored_candidates(records, cfg)
    slow_result = dedupe_review(records, config=cfg)
    assert len(fast.a) > 5_000
    for field in ("a", "b", "total", "person", "review"):
        assert np.array_equal(getattr(fast, field), getattr(slow, field)), field
    assert fast.prior == slow.prior
    assert fast_result.clusters == slow_result.clusters
    assert fast_result.review == slow_result.review
    assert len(set(fast_result.clusters.values())) < len(records)


def test_random_pair_levels_from_the_run_frame_equal_a_fresh_frame(
    generated_2k: tuple[PersonRecord, ...],
) -> None:
    from setu.linkage._learn import random_pair_levels

    records = list(generated_2k)
    cfg = MatchConfig()
    frame = batch.build_frame(records)
    fresh = random_pair_levels(records, cfg)
    reused = random_pair_levels(records, cfg, frame=frame)
    assert len(fresh) > 1000
    assert np.array_equal(fresh, reused)


def _name_pairs(records: list[PersonRecord]) -> tuple[list[Any], int, Any]:
    """(prepared name table, base, distinct pair codes): every candidate pair's names and
    20,000 random pairs of names, as ``_pair_levels`` hands them to a comparator."""
    frame = batch.build_frame(records)
    a, b = batch.candidate_pairs(frame.feats, MatchConfig())
    ids, table = frame.ids[0], frame.tables[0]
    base = len(table) + 1
    rng = np.random.default_rng(42)
    ra, rb = rng.integers(0, len(table), 20_000), rng.integers(0, len(table), 20_000)
    lo = np.concatenate([np.minimum(ids[a], ids[b]), ra])
    hi = np.concatenate([np.maximum(ids[a], ids[b]), rb])
    values = frame.prepared_table(0, PreparedName, np.arange(len(table)))
    return values, base, np.unique(lo * base + hi)


def test_name_levels_over_arrays_equal_the_scalar_comparator(
    generated_2k: tuple[PersonRecord, ...],
) -> None:
    records = _with_aliases(generated_2k)
    # Names the array form leaves to the scalar comparator: two given words, two aliases.
    from dataclasses import replace

    for i in range(3, len(records), 97):
        r = records[i]
        records[i] = replace(r, given_name=f"{r.given_name} {records[i - 1].given_name}")
    for i in range(7, len(records), 101):
        records[i] = replace(records[i], alias=f"{records[i - 2].given_name} Munni")
    # Family names written as an initial ("S." for Sarkar), which the scalar form compares.
    for i in range(11, len(records), 13):
        records[i] = replace(records[i], family_name=records[i].family_name[:1] + ".")
    values, base, codes = _name_pairs(records)
    got = batch.prepared_name_levels(values, base, codes)
    expected = [compare_prepared_names(values[c // base], values[c % base]) for c in codes.tolist()]
    assert got.tolist() == [list(e) for e in expected]
    # Both forms were used, and every given-name and family-name level was reached.
    simple = [batch._simple_name(v) for v in values]
    assert 0 < sum(simple) < len(simple)
    assert set(got[:, 0].tolist()) == set(range(8))
    # "married" is never a name comparator's level: it comes from the records' sex, later.
    assert set(got[:, 1].tolist()) == set(range(len(LEVELS["family_name"]))) - {FAMILY_MARRIED}


def test_similarities_on_a_cutoff_follow_the_scalar_scorer() -> None:
    # Jaro-Winkler of these pairs is a cutoff exactly in rational numbers (0.92 = 0.8667 +
    # 4 x 0.1 x 0.1333 ...); the pairwise scorer may round it to the other side.
    from rapidfuzz.distance import JaroWinkler

    words = ["abcde", "abcdf", "abcdx", "sunita", "sunitha", "sunit", "ramesh", "ramesch"]
    words += ["kumari", "kumar", "pooja", "puja", "laxmi", "lakshmi", "devi", "debi"]
    a = np.array([x for x in words for _ in words], dtype=object)
    b = np.array([y for _ in words for y in words], dtype=object)
    sims = [JaroWinkler.normalized_similarity(x, y) for x, y in zip(a, b, strict=True)]
    for cutoff in (0.85, 0.88, 0.9, 0.92, *sims):
        got = batch._jw_at_least(a, b, cutoff)
        assert got.tolist() == [s >= cutoff for s in sims], cutoff


def test_record_pair_levels_equal_compare_on_every_candidate_pair(
    generated_2k: tuple[PersonRecord, ...],
) -> None:
    from setu.linkage._compare import compare

    records = _with_aliases(generated_2k)
    frame = batch.build_frame(records)
    a, b = batch.candidate_pairs(frame.feats, MatchConfig())
    rng = random.Random(7)
    n = len(records)
    pairs = list(zip(a.tolist(), b.tolist(), strict=True))
    pairs += [(rng.randrange(n), rng.randrange(n)) for _ in range(5_000)]
    # A tiny memo, so that it is emptied many times along the way.
    levels_of = batch.RecordPairLevels(frame, memo_size=50)
    feats = frame.feats
    for x, y in pairs:
        assert levels_of(x, y) == compare(feats[x], feats[y]), (x, y)


@pytest.mark.parametrize("c", [3, 4, 5])
def test_parent_and_village_levels_over_arrays_equal_the_scalar_comparators(
    generated_2k: tuple[PersonRecord, ...], c: int
) -> None:
    from dataclasses import replace

    records = list(generated_2k)
    # Parents' names of several words, some a part of another's ("Ramesh" / "Ramesh
    # Chandra Das"), and villages of two words.
    for i in range(0, len(records), 7):
        r, other = records[i], records[(i * 13 + 5) % len(records)]
        records[i] = replace(
            r,
            father_name=f"{other.father_name} {r.father_name}",
            mother_name=f"{r.mother_name} {other.given_name}",
            village=f"{r.village} {other.village}",
        )
    # Fathers' names written with initials ("J. C. Das" / "Jitendra Chandra Das").
    for i in range(3, len(records), 11):
        r = records[i]
        words = r.father_name.split()
        records[i] = replace(
            r,
            father_name=" ".join(w[0] + "." for w in words[:-1]) + " " + words[-1]
            if len(words) > 1
            else r.father_name[:1] + ".",
        )
    frame = batch.build_frame(records)
    a, b = batch.candidate_pairs(frame.feats, MatchConfig())
    ids, table = frame.ids[c], frame.tables[c]
    base = len(table) + 1
    rng = np.random.default_rng(c)
    ra, rb = rng.integers(0, len(table), 20_000), rng.integers(0, len(table), 20_000)
    lo = np.concatenate([np.minimum(ids[a], ids[b]), ra])
    hi = np.concatenate([np.maximum(ids[a], ids[b]), rb])
    codes = np.unique(lo * base + hi)
    scalar = batch._PAIRWISE[c][0]
    got = batch._BATCH[c](table, base, codes)
    expected = [scalar(table[k // base], table[k % base]) for k in codes.tolist()]
    assert got.tolist() == expected
    levels = 5 if c in (3, 4) else 4
    assert set(expected) == set(range(levels))


def test_forked_stages_give_what_the_serial_ones_give(
    generated_2k: tuple[PersonRecord, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocking keys hashed in two processes, the comparators split between two, and the
    components clustered in two give the serial pairs, levels and labels."""
    records = _with_aliases(generated_2k)
    cfg = MatchConfig()
    frame = batch.build_frame(records)
    monkeypatch.setattr(batch, "_workers", lambda: 1)
    a, b = batch.candidate_pairs(frame.feats, cfg)
    levels = batch.pair_level_matrix(frame, a, b, chunk=4_000)
    serial = dedupe_review(records, config=cfg)
    monkeypatch.setattr(batch, "_workers", lambda: 2)
    monkeypatch.setattr(batch, "_FORK_MIN", 1)
    monkeypatch.setattr(batch, "_FORK_MIN_RECORDS", 1)
    monkeypatch.setattr(cluster_module, "_FORK_MIN_EDGES", 1)
    fa, fb = batch.candidate_pairs(frame.feats, cfg)
    assert np.array_equal(fa, a) and np.array_equal(fb, b) and len(a) > 5_000
    forked = batch.pair_level_matrix(frame, a, b, chunk=4_000)
    assert forked.dtype == levels.dtype and np.array_equal(forked, levels)
    assert len(np.unique(levels, axis=0)) > 100
    forks: list[str] = []
    forked_class = batch._Forked

    def counted(fn: Callable[[], Any]) -> Any:
        forks.append(getattr(fn, "__qualname__", ""))
        return forked_class(fn)

    monkeypatch.setattr(batch, "_Forked", counted)
    parallel = dedupe_review(records, config=cfg)
    # Blocking keys, comparisons and clustering each went through a forked process.
    expected = ["candidate_pairs", "pair_level_matrix", "cluster_arrays"]
    assert [f.split(".")[0] for f in forks] == expected
    assert parallel.clusters == serial.clusters
    assert parallel.review == serial.review


def _reference_cluster(
    n: int, edges: list[tuple[float, int, int]], cannot: list[tuple[int, int]], size_cap: int
) -> list[int]:
    """Greedy clustering as ``cluster`` did it before the per-group conflict sets (no
    group scorer): every member's conflicts of the smaller group looked up one by one."""
    parent = list(range(n))
    members: dict[int, list[int]] = {}
    conflicts: dict[int, set[int]] = {}
    for i, j in cannot:
        conflicts.setdefault(i, set()).add(j)
        conflicts.setdefault(j, set()).add(i)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        mi, mj = members.get(ri, [ri]), members.get(rj, [rj])
        if len(mi) + len(mj) > size_cap:
            continue
        small, big_root = (mi, rj) if len(mi) <= len(mj) else (mj, ri)
        if any(find(c) == big_root for x in small for c in conflicts.get(x, ())):
            continue
        if len(mi) < len(mj):
            ri, rj, mi, mj = rj, ri, mj, mi
        parent[rj] = ri
        members[ri] = mi + mj
        members.pop(rj, None)
    return [find(x) for x in range(n)]


@pytest.mark.parametrize("seed", range(6))
def test_cannot_link_check_on_group_sets_blocks_the_same_merges(seed: int) -> None:
    from dataclasses import replace

    rng = random.Random(seed)
    n = 300
    edges = [(rng.uniform(0, 20), *sorted(rng.sample(range(n), 2))) for _ in range(900)]
    cannot = [tuple(sorted(rng.sample(range(n), 2))) for _ in range(150)]
    cfg = replace(MatchConfig(), max_cluster_size=12, strict_size=10**6)
    got = cluster_module.cluster(n, edges, cannot, cfg, 0.0, 0.0)
    expected = _reference_cluster(n, edges, cannot, 12)
    assert got == expected
    # The conflicts did block merges: without them the groups differ.
    assert cluster_module.cluster(n, edges, [], cfg, 0.0, 0.0) != got


def test_features_once_per_distinct_value_equal_features_record_by_record(
    generated_2k: tuple[PersonRecord, ...],
) -> None:
    """``features_of`` and the Frame's ids by object identity give what ``features`` of
    each record and a numbering of the values in order of first appearance give."""
    from dataclasses import replace

    from setu.linkage._features import features_of

    records = _with_aliases(generated_2k)
    # Equal values from different column text ("Puja" / "PUJA"), so that two distinct
    # descriptor objects must share one id.
    for i in range(0, len(records), 9):
        r = records[i]
        records[i] = replace(r, given_name=r.given_name.upper(), state=f" {r.state} ")
    expected = [features(r) for r in records]
    assert features_of(records) == expected
    frame = batch.build_frame(records)
    for c, (attr, _) in enumerate(batch._COMPARATORS):
        numbering: dict[Any, int] = {}
        ids = [numbering.setdefault(getattr(f, attr), len(numbering)) for f in expected]
        assert frame.ids[c].tolist() == ids, attr
        assert frame.tables[c] == list(numbering), attr
    # Shared objects for repeated columns, yet equal values from different text too.
    names = {id(f.name) for f in frame.feats}
    assert len(frame.tables[0]) < len(names) < len(records)


def test_edges_sorted_with_numpy_cluster_as_sorted_in_python(
    generated_2k: tuple[PersonRecord, ...],
) -> None:
    """``cluster_arrays`` hands ``cluster`` its edges filtered and ordered with numpy
    (``ordered``); the labels are those of ``cluster`` sorting the same edges itself,
    ties in log2 odds included."""
    rng = np.random.default_rng(3)
    n = 400
    a = rng.integers(0, n - 1, 3_000)
    b = np.minimum(a + rng.integers(1, 40, 3_000), n - 1)
    keep = a < b
    codes = np.unique(a[keep] * n + b[keep])
    a, b = codes // n, codes % n
    # Few distinct weights, so that many edges tie and the (i, j) order decides.
    w = rng.integers(-4, 12, len(a)).astype(np.float64) / 2
    group = cluster_module.components(n, a, b)
    empty = np.empty(0, dtype=np.int64)
    cfg = MatchConfig()
    got = cluster_module.cluster_arrays(n, w, a, b, empty, empty, group, cfg, 1.0, 4.0)
    edges = list(zip(w.tolist(), a.tolist(), b.tolist(), strict=True))
    rng_edges = random.Random(5)
    rng_edges.shuffle(edges)
    expected = cluster_module.cluster(n, edges, [], cfg, 1.0, 4.0)
    assert got == expected
    assert len(set(got)) < n


def test_dedupe_pauses_the_cycle_collector_and_restores_it(
    generated_2k: tuple[PersonRecord, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import setu.linkage._api as api

    seen: list[bool] = []
    real = api.scored_candidates

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "scored_candidates", spy)
    records = list(generated_2k[:300])
    assert gc.isenabled()
    dedupe_review(records)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        dedupe_review(records)
        assert not gc.isenabled()
    finally:
        gc.enable()
