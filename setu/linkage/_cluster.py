"""Clustering with safeguards against chaining."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ._config import MatchConfig


def cluster(
    n: int,
    edges: Iterable[tuple[float, int, int]],
    cannot_link: Iterable[tuple[int, int]],
    cfg: MatchConfig,
    threshold_log2: float,
    strict_log2: float,
) -> list[int]:
    """Component label per item (0..n-1), built greedily from the strongest edge down.

    Safeguards, because one wrong merge can hand a survivor's file to someone else:
    - two groups never merge if any pair across them is a known person-level conflict
      (different sex, clearly different given name, incompatible age);
    - a merge that makes a group bigger than ``strict_size`` needs the strict threshold;
    - groups never grow beyond ``max_cluster_size``.
    Edges are (log2 odds, i, j); ties are broken by (i, j) so the result is deterministic.
    """
    parent = list(range(n))
    members: dict[int, list[int]] = {}
    conflicts: dict[int, set[int]] = {}
    for i, j in cannot_link:
        conflicts.setdefault(i, set()).add(j)
        conflicts.setdefault(j, set()).add(i)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for w, i, j in sorted(
        ((w, i, j) for w, i, j in edges if w >= threshold_log2), key=lambda e: (-e[0], e[1], e[2])
    ):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        mi = members.get(ri, [ri])
        mj = members.get(rj, [rj])
        size = len(mi) + len(mj)
        if size > cfg.max_cluster_size:
            continue
        if size > cfg.strict_size and w < strict_log2:
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


def labels_to_clusters(ids: Sequence[str], labels: Sequence[int]) -> dict[str, str]:
    """record_id -> cluster_id, the smallest record_id in the cluster."""
    smallest: dict[int, str] = {}
    for rid, lab in zip(ids, labels, strict=True):
        cur = smallest.get(lab)
        if cur is None or rid < cur:
            smallest[lab] = rid
    return {rid: smallest[lab] for rid, lab in zip(ids, labels, strict=True)}
