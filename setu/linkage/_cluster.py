"""Clustering with safeguards against chaining."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ._config import MatchConfig


def cannot_link_mask(cfg: MatchConfig, total: Any, person: Any, threshold: float) -> Any:
    """Candidate pairs that forbid their two groups from merging: the pair says *two
    people* as surely as a merge must say one person, and does so on the person's own
    evidence.

    Person evidence below ``cannot_link_person_weight`` (different sex, a clearly different
    given name, incompatible ages) alone is not enough: in a register where names or dates
    are replaced on re-registration (FEBRL's duplicates, a survivor renamed by traffickers)
    one record of a person can contradict another on one field while the rest agrees. A
    split also needs the pair's own log2 odds at or below log2((1 - t) / t), t the match
    threshold: the mirror image of the evidence a merge needs. Two sisters of one household
    (a different given name and age, the household capped) stay far below it.
    """
    import numpy as np

    conflict = np.asarray(person) < cfg.cannot_link_person_weight
    if not cfg.cannot_link_mirror:
        return conflict
    two_people = -math.log2(threshold / (1.0 - threshold))
    return conflict & (np.asarray(total) <= two_people)


def cluster(
    n: int,
    edges: Iterable[tuple[float, int, int]],
    cannot_link: Iterable[tuple[int, int]],
    cfg: MatchConfig,
    threshold_log2: float,
    strict_log2: float,
    group_score: Callable[[Sequence[int], Sequence[int], bool], float] | None = None,
    support_log2: float | None = None,
    ordered: bool = False,
) -> list[int]:
    """Component label per item (0..n-1), built greedily from the strongest edge down.

    Safeguards, because one wrong merge can hand a survivor's file to someone else:
    - two groups never merge if any pair across them is a known conflict
      (``cannot_link_mask``: the pair says two people, on the person's own evidence);
    - a merge that makes a group bigger than ``strict_size`` needs the strict threshold;
    - groups never grow beyond ``max_cluster_size``;
    - with ``group_score`` (the groups' combined evidence, ``_groups.GroupScorer``), a
      merge into a group of two or more records must reach the threshold on it too: one
      good pair is not enough if the person's other records disagree. Then an edge down to
      ``support_log2`` (a possible match) may merge two groups whose combined evidence
      reaches the threshold, when the person's details are spread over several records.
      Where the combined evidence carries the merge — two groups of two or more records,
      or a pair below the threshold — it is asked for with ``discount`` (the best of many
      comparisons is discounted for having been chosen, ``_groups.selection_discount``);
      a single record joining through a pair above the threshold is carried by that pair,
      and its combined evidence only checks the group's other records against it.
    Edges are (log2 odds, i, j); ties are broken by (i, j) so the result is deterministic.
    ``ordered``: the edges are already those from ``lowest_edge`` up, in that order
    (``cluster_arrays`` sorts them with numpy).
    """
    parent = list(range(n))
    members: dict[int, list[int]] = {}
    # Per group (by its root), the records that any of its members conflicts with. A
    # conflict is symmetric, so two groups conflict when either's set holds a member of
    # the other: the smaller set is searched, and on a merge the smaller set is poured
    # into the larger one.
    conflicts: dict[int, set[int]] = {}
    for i, j in cannot_link:
        conflicts.setdefault(i, set()).add(j)
        conflicts.setdefault(j, set()).add(i)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # Groups only grow, so two roots with the same sizes are the same two groups: their
    # combined evidence is scored once, however many of their pairs come up.
    scored: dict[tuple[int, int, bool], tuple[int, int, float]] = {}

    def combined(ri: int, mi: list[int], rj: int, mj: list[int], discount: bool) -> float:
        assert group_score is not None
        if ri > rj:
            ri, mi, rj, mj = rj, mj, ri, mi
        known = scored.get((ri, rj, discount))
        if known is not None and known[:2] == (len(mi), len(mj)):
            return known[2]
        value = group_score(mi, mj, discount)
        scored[(ri, rj, discount)] = (len(mi), len(mj), value)
        return value

    if not ordered:
        low = lowest_edge(threshold_log2, group_score is not None, support_log2)
        edges = sorted(
            ((w, i, j) for w, i, j in edges if w >= low), key=lambda e: (-e[0], e[1], e[2])
        )
    for w, i, j in edges:
        # find() without the call where the record is a root or a root's child (most
        # records, most of the time): the same root, and find would change nothing.
        ri = parent[i]
        if parent[ri] != ri:
            ri = find(i)
        rj = parent[j]
        if parent[rj] != rj:
            rj = find(j)
        if ri == rj:
            continue
        mi = members.get(ri, [ri])
        mj = members.get(rj, [rj])
        size = len(mi) + len(mj)
        if size > cfg.max_cluster_size:
            continue
        direct = w >= threshold_log2
        if direct and size > cfg.strict_size and w < strict_log2:
            continue
        ci, cj = conflicts.get(ri), conflicts.get(rj)
        if ci and cj:
            root, search, other_root = (ri, ci, rj) if len(ci) <= len(cj) else (rj, cj, ri)
            # The records searched are replaced by their groups' roots: a record stands
            # for its group in a conflict, and records conflicting with one group gather
            # into a few groups as the clustering goes on, so each search is shorter.
            search = conflicts[root] = {find(c) for c in search}
            if other_root in search:
                continue
        if group_score is not None and size > 2:
            carried = not direct or min(len(mi), len(mj)) > 1
            evidence = combined(ri, mi, rj, mj, carried and cfg.group_selection_discount)
            if evidence < threshold_log2:
                continue
            if not direct and size > cfg.strict_size and evidence < strict_log2:
                continue
        elif not direct:
            continue
        if len(mi) < len(mj):
            ri, rj, mi, mj = rj, ri, mj, mi
        parent[rj] = ri
        members[ri] = mi + mj
        members.pop(rj, None)
        cj = conflicts.pop(rj, None)
        if cj:
            ci = conflicts.get(ri)
            if ci is None or len(ci) < len(cj):
                ci, cj = cj, ci or set()
                conflicts[ri] = ci
            ci |= cj
    return [find(x) for x in range(n)]


def lowest_edge(threshold_log2: float, grouped: bool, support_log2: float | None) -> float:
    """Log2 odds of the weakest edge ``cluster`` looks at: the threshold, or with a group
    scorer (``grouped``) the support floor if lower."""
    if grouped and support_log2 is not None:
        return min(threshold_log2, support_log2)
    return threshold_log2


# Edges above which the components are clustered in two processes (``cluster_arrays``).
_FORK_MIN_EDGES = 50_000


def cluster_arrays(
    n: int,
    weights: Any,
    a: Any,
    b: Any,
    cannot_a: Any,
    cannot_b: Any,
    group: Any,
    cfg: MatchConfig,
    threshold_log2: float,
    strict_log2: float,
    group_score: Callable[[Sequence[int], Sequence[int], bool], float] | None = None,
    support_log2: float | None = None,
) -> list[int]:
    """``cluster`` of the edges a-b (log2 odds ``weights``) and cannot-link pairs, every
    pair inside one component of ``group`` (``components`` of the edges).

    A merge, its cannot-link check and its combined evidence only ever involve records
    of one component, and the edges of a component are taken in the same order whatever
    the other components hold, so components can be clustered apart: from
    ``_FORK_MIN_EDGES`` edges, a forked process clusters the components of about half
    the edges while this one clusters the rest, and each record takes the label of the
    side that clustered its component: the labels ``cluster`` gives all the edges at once.
    """
    import numpy as np

    from ._batch import _can_fork, _Forked

    low = lowest_edge(threshold_log2, group_score is not None, support_log2)

    def run(edges: Any, cannot: Any) -> list[int]:
        w, i, j = weights[edges], a[edges], b[edges]
        keep = w >= low
        w, i, j = w[keep], i[keep], j[keep]
        # cluster's order, (-w, i, j) ascending; lexsort is stable, as sorted is.
        order = np.lexsort((j, i, -w))
        return cluster(
            n,
            zip(w[order].tolist(), i[order].tolist(), j[order].tolist(), strict=True),
            zip(cannot_a[cannot].tolist(), cannot_b[cannot].tolist(), strict=True),
            cfg,
            threshold_log2,
            strict_log2,
            group_score,
            support_log2,
            ordered=True,
        )

    everything = slice(None)
    if len(weights) < _FORK_MIN_EDGES or not _can_fork():
        return run(everything, everything)
    # Components to the side with fewer edges so far, largest first.
    comp_of_edge = group[a]
    labels, counts = np.unique(comp_of_edge, return_counts=True)
    mine = np.zeros(len(group), dtype=bool)  # by component label
    load = [0, 0]
    for k in np.argsort(-counts, kind="stable").tolist():
        side = 0 if load[0] <= load[1] else 1
        load[side] += int(counts[k])
        mine[labels[k]] = side == 0
    if not load[1]:
        return run(everything, everything)
    own_edges = mine[comp_of_edge]
    own_cannot = mine[group[cannot_a]]
    forked = _Forked(lambda: np.asarray(run(~own_edges, ~own_cannot), dtype=np.int64))
    out = np.asarray(run(own_edges, own_cannot), dtype=np.int64)
    theirs = ~mine[group]
    out[theirs] = forked.result()[theirs]
    return out.tolist()


def components(n: int, a: Any, b: Any) -> Any:
    """Connected component (smallest member index) of each of n items joined by edges a-b.

    Hook each edge's two roots to the smaller, then compress paths, until every edge lies
    within one component: a few passes over numpy arrays instead of a Python loop over
    millions of edges.
    """
    import numpy as np

    label = np.arange(n, dtype=np.int64)
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    while True:
        la, lb = label[a], label[b]
        if np.array_equal(la, lb):
            return label
        low = np.minimum(la, lb)
        np.minimum.at(label, la, low)
        np.minimum.at(label, lb, low)
        while True:
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped


def labels_to_clusters(ids: Sequence[str], labels: Sequence[int]) -> dict[str, str]:
    """record_id -> cluster_id, the smallest record_id in the cluster."""
    smallest: dict[int, str] = {}
    for rid, lab in zip(ids, labels, strict=True):
        cur = smallest.get(lab)
        if cur is None or rid < cur:
            smallest[lab] = rid
    return {rid: smallest[lab] for rid, lab in zip(ids, labels, strict=True)}
