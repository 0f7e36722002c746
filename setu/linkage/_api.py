"""dedupe(), link() and explain(): the batch entry points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from ._batch import (
    RecordPairLevels,
    _np,
    build_frame,
    candidate_pairs,
    district_frequencies,
    given_name_frequencies,
    levels_evidence,
    log2_odds,
    pair_level_matrix,
    without_cycle_collection,
)
from ._cluster import cannot_link_mask, cluster_arrays, components, labels_to_clusters
from ._config import (
    REVIEW_REASON,
    MatchConfig,
    estimate_prior_log2_odds,
    evidence_histogram,
    family_pair_ceilings,
    family_scored_mask,
    family_shift,
    probability,
    register_prior_log2_odds,
    review_mask,
)
from ._explain import Explanation, explain_records
from ._groups import GroupScorer
from ._learn import district_pair_levels, learn_weights, random_pair_levels
from ._records import PersonRecord, check_unique_ids

DEFAULT_CONFIG = MatchConfig()


@dataclass(frozen=True, slots=True)
class ScoredPair:
    left_id: str
    right_id: str
    score: float  # match probability, 0..1
    weight: float  # log2 odds (Fellegi-Sunter match weight incl. prior)


def _threshold(cfg: MatchConfig, threshold: float | None) -> float:
    t = cfg.match_threshold if threshold is None else threshold
    if not 0 < t < 1:
        raise ValueError("threshold must be a probability between 0 and 1")
    return t


def all_pairs(records: Sequence[PersonRecord], side=None) -> float:
    """How many pairs could match: n(n-1)/2, or left x right when linking two sides."""
    if side is None:
        n = len(records)
        return n * (n - 1) / 2
    left = sum(1 for s in side if s == 0)
    return float(left * (len(side) - left))


def edge_floor(cfg: MatchConfig, threshold: float) -> float:
    """Log2 odds of the weakest pair clustering considers: the threshold, or with
    ``group_evidence`` a possible match, which may still merge two groups on their combined
    evidence (``cluster``)."""
    return log2_odds(min(cfg.possible_threshold, threshold) if cfg.group_evidence else threshold)


class ScoredCandidates(NamedTuple):
    a: Any  # record index of each candidate pair's first record
    b: Any  # ... and of its second
    total: Any  # log2 odds under the run's prior and family ceiling
    person: Any  # person evidence (given name, sex, birth)
    prior: float  # the prior used: configured, or estimated with estimate_prior
    group_score: GroupScorer  # scores any other pair the same way, for clustering
    review: Any  # pairs in the review band (``review_mask``)


def scored_candidates(
    records: Sequence[PersonRecord], cfg: MatchConfig, progress: bool = False, side=None
) -> ScoredCandidates:
    """Every candidate pair scored, with the run's measured prior and family shift."""
    np = _np()
    frame = build_frame(records, progress)
    a, b = candidate_pairs(frame.feats, cfg, side)
    # Name frequencies come from the records being linked, computed afresh per run.
    freq = given_name_frequencies(frame.feats)
    levels = pair_level_matrix(frame, a, b, progress=progress)
    n_pairs = all_pairs(records, side)
    prior = register_prior_log2_odds(cfg, n_pairs)
    if cfg.learn_weights:
        # m and u, too, come from the records being linked (_learn.py).
        random_levels = random_pair_levels(records, cfg, side, frame)
        district_levels = district_pair_levels(records, cfg, side, frame)
        cfg = learn_weights(cfg, levels, random_levels, prior, district_levels, n_pairs)
    dfreq = district_frequencies(frame.feats) if cfg.district_frequency else None
    open_evidence, ceiling, person = levels_evidence(
        cfg, levels, a, b, name_frequency=freq, district_frequency=dfreq
    )
    review = review_mask(levels)
    del levels
    # How often two records of one family are one person, from the records being linked.
    shift, family = family_shift(cfg, open_evidence, ceiling, person)
    if cfg.family_mixture and cfg.estimate_family:
        # family_pair_ceilings (measured family odds + person evidence + any disagreeing
        # household field) for family_scored_mask, in place and in chunks: at a million
        # records these arrays hold tens of millions of pairs.
        for s in range(0, len(person), 2_000_000):
            e = slice(s, s + 2_000_000)
            scored = family_scored_mask(cfg, open_evidence[e], ceiling[e], person[e])
            measured = family_pair_ceilings(cfg, ceiling[e], person[e], shift)
            np.copyto(ceiling[e], measured, where=scored)
    elif shift:
        np.add(ceiling, shift, out=ceiling, where=family)
    del family
    if cfg.estimate_prior:
        # The prior, too, comes from the records being linked.
        hist = evidence_histogram(open_evidence, ceiling)
        prior = estimate_prior_log2_odds(cfg, *hist, n_pairs)
    # In place: at a million records these arrays hold tens of millions of pairs.
    total = np.minimum(open_evidence + prior, ceiling, out=open_evidence)
    del ceiling
    feats = frame.feats
    shares = freq.tolist()
    district_shares = None if dfreq is None else dfreq.tolist().__getitem__
    group_score = GroupScorer(
        cfg,
        feats.__getitem__,
        shares.__getitem__,
        shift,
        prior,
        RecordPairLevels(frame),
        district_shares,
    )
    return ScoredCandidates(a, b, total, person, prior, group_score, review)


@dataclass(frozen=True, slots=True)
class ReviewPair:
    """A pair whose evidence conflicts in a way only a caseworker can settle."""

    left_id: str
    right_id: str
    score: float  # match probability of the pair on its own
    weight: float  # its log2 odds
    merged: bool  # whether dedupe put the two records in one cluster
    reason: str


@dataclass(frozen=True, slots=True)
class DedupeResult:
    clusters: dict[str, str]  # record_id -> cluster_id
    review: list[ReviewPair]  # the review band, strongest first


def dedupe(
    records: Sequence[PersonRecord],
    *,
    threshold: float | None = None,
    progress: bool = False,
    config: MatchConfig | None = None,
) -> dict[str, str]:
    """record_id -> cluster_id (the smallest record_id in its cluster), for every record."""
    return dedupe_review(records, threshold=threshold, progress=progress, config=config).clusters


@without_cycle_collection
def dedupe_review(
    records: Sequence[PersonRecord],
    *,
    threshold: float | None = None,
    progress: bool = False,
    config: MatchConfig | None = None,
) -> DedupeResult:
    """``dedupe``'s clusters and the review band: candidate pairs whose evidence conflicts
    (a different given name with the same full date of birth, family name and place,
    ``review_mask``), merged or not, for a caseworker to decide."""
    cfg = config or DEFAULT_CONFIG
    t = _threshold(cfg, threshold)
    records = list(records)
    check_unique_ids(records)
    if not records:
        return DedupeResult({}, [])
    a, b, total, person, _, group_score, review = scored_candidates(records, cfg, progress)
    thr = log2_odds(t)
    support = edge_floor(cfg, t)
    keep = total >= support
    ea, eb, ew = a[keep], b[keep], total[keep]
    # Conflicts matter only between records that the edges could bring into one group.
    group = components(len(records), ea, eb)
    bad = cannot_link_mask(cfg, total, person, t) & (group[a] == group[b])
    del keep
    labels = cluster_arrays(
        len(records),
        ew,
        ea,
        eb,
        a[bad],
        b[bad],
        group,
        cfg,
        thr,
        log2_odds(max(cfg.strict_threshold, t)),
        group_score if cfg.group_evidence else None,
        support,
    )
    ids = [r.record_id for r in records]
    flagged = review
    pairs = [
        ReviewPair(ids[i], ids[j], probability(w), w, labels[i] == labels[j], REVIEW_REASON)
        for w, i, j in zip(
            total[flagged].tolist(), a[flagged].tolist(), b[flagged].tolist(), strict=True
        )
    ]
    pairs.sort(key=lambda p: (-p.weight, p.left_id, p.right_id))
    return DedupeResult(labels_to_clusters(ids, labels), pairs)


@without_cycle_collection
def link(
    left: Sequence[PersonRecord],
    right: Sequence[PersonRecord],
    *,
    threshold: float | None = None,
    progress: bool = False,
    config: MatchConfig | None = None,
) -> list[ScoredPair]:
    """Pairs across two datasets with match probability >= threshold, best first."""
    cfg = config or DEFAULT_CONFIG
    t = _threshold(cfg, threshold)
    left, right = list(left), list(right)
    check_unique_ids(left)
    check_unique_ids(right)
    if not left or not right:
        return []
    records = left + right
    side = [0] * len(left) + [1] * len(right)
    a, b, total, *rest = scored_candidates(records, cfg, progress, side)
    # link() does not cluster: release the group scorer and the features it holds.
    del rest
    keep = total >= log2_odds(t)
    out = []
    nl = len(left)
    for w, i, j in zip(total[keep].tolist(), a[keep].tolist(), b[keep].tolist(), strict=True):
        li, rj = (i, j - nl) if i < nl else (j, i - nl)
        out.append(ScoredPair(left[li].record_id, right[rj].record_id, probability(w), w))
    out.sort(key=lambda p: (-p.weight, p.left_id, p.right_id))
    return out


def explain(a: PersonRecord, b: PersonRecord, *, config: MatchConfig | None = None) -> Explanation:
    """Field-by-field evidence, in words, for whether a and b are the same person."""
    return explain_records(a, b, config or DEFAULT_CONFIG)
