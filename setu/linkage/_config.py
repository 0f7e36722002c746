"""Match configuration: m/u probabilities per comparison level, prior and thresholds."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from ._compare import FIELDS, LEVELS, PERSON_FIELDS

# (m, u) per level, index = level; level 0 ("missing") is neutral.
# m = P(level | same person), u = P(level | two different people). These are priors set
# from what is known about Indian case records (common given names, shared surnames,
# estimated ages, shared family phones), not fitted to any test set. `estimate()` can
# refit m and u with EM on the caller's own unlabelled data.
# The family name splits its disagreement by sex ("married" where the pair can be one woman:
# she may carry her husband's surname). The values are shares of all pairs, women about four
# in five of a register of trafficking survivors: "different" keeps its former weight (a
# man's family name differs in about one pair of his in six), "married" is a third of one
# woman's pairs.
DEFAULT_MU: dict[str, tuple[tuple[float, float], ...]] = {
    "given_name": (
        (1, 1), (0.03, 0.96), (0.08, 0.004), (0.05, 0.002), (0.06, 0.005), (0.05, 0.0005),
        (0.22, 0.004), (0.52, 0.006),
    ),
    "sex": ((1, 1), (0.01, 0.5), (0.99, 0.5)),
    "birth": (
        (1, 1), (0.03, 0.80), (0.06, 0.15), (0.35, 0.15), (0.25, 0.04), (0.01, 0.00125),
        (0.02, 0.0005), (0.23, 0.0015),
    ),
    "family_name": ((1, 1), (0.03, 0.18), (0.28, 0.72), (0.05, 0.02), (0.83, 0.04)),
    "father_name": ((1, 1), (0.12, 0.97), (0.08, 0.01), (0.15, 0.01), (0.65, 0.002)),
    "mother_name": ((1, 1), (0.15, 0.97), (0.08, 0.01), (0.12, 0.01), (0.65, 0.003)),
    "village": ((1, 1), (0.20, 0.97), (0.15, 0.005), (0.65, 0.002)),
    "place": ((1, 1), (0.08, 0.85), (0.12, 0.12), (0.16, 0.05), (0.03, 0.005), (0.77, 0.03)),
    "phone": ((1, 1), (0.45, 0.999), (0.55, 0.0005)),
}  # fmt: skip


@dataclass(frozen=True)
class MatchConfig:
    """How evidence is weighed and where decisions are drawn.

    Weights are log2 Bayes factors log2(m/u) per field level. A pair's weight is
    ``prior + person + household`` where the household part (family name, parents,
    village, district, phone — all shared by siblings) is capped at ``household_cap``
    and at ``household_slack`` bits above the person's own evidence (given name, sex,
    birth), so a family can support a match but never make one on its own. Both caps
    are measured from the configured prior (``family_ceiling``), so a prior estimated
    for a run moves only pairs whose household evidence does not reach them, and
    ``estimate_family`` measures per run how often one family's two records are one
    person.
    """

    mu: Any = field(default_factory=lambda: MappingProxyType(dict(DEFAULT_MU)))
    # Prior log2 odds that two records are one person, before any field is compared.
    # explain() and MatchIndex always use it as it is. With estimate_prior (off by default: see below),
    # dedupe/link/dedupe_spark learn it from the data being linked instead, with m in the
    # same EM (_learn.joint_prior), then once more with the learned weights
    # (estimate_prior_log2_odds), within prior_range: the match rate among all pairs falls
    # as the register grows, and the prior with it (docs/linkage/weights.md).
    # Without estimate_prior, dedupe/link/dedupe_spark lower the prior for a register larger
    # than prior_reference_records by prior_scale_rate bits per doubling
    # (register_prior_log2_odds); that prior is also where the EM starts.
    prior_log2_odds: float = -12.0
    # From 25,000 records, so -13 bits at 100,000: the merges a lower prior drops there are
    # one person about as often as pairwise F1 can spare on the third development generator
    # and far less often on the own (docs/linkage/weights.md, "The prior").
    prior_reference_records: int = 25_000
    prior_scale_rate: float = 0.5
    # estimate_prior and district_frequency are off by default: each gains on the project's
    # own generator at 100k and costs on the third generator (bench/gen3) at 100k, so
    # neither holds on every development set (docs/linkage/weights.md, "The prior").
    estimate_prior: bool = False
    # Never above the configured prior: a learned prior may make a run more careful than
    # configured, never less. A small input (a few hundred records of one organisation)
    # has a high match rate among its pairs, and a prior that high lifts namesakes and
    # twins over the threshold.
    prior_range: tuple[float, float] = (-30.0, -12.0)
    match_threshold: float = 0.95
    possible_threshold: float = 0.40
    household_cap: float = 10.0
    # Term-frequency adjustment of given-name agreement in dedupe/link (see
    # name_frequency_adjustment): at most this many bits up for a rare name, down for
    # a common one.
    tf_max_up: float = 2.0
    tf_max_down: float = 1.0
    household_slack: float = 4.0
    # Term-frequency adjustment of agreeing on the district (district_frequency_adjustment):
    # two records of a populous district are weaker evidence of one person than two of a
    # small one. Within the same tf_max_up / tf_max_down bounds as the given name.
    district_frequency: bool = False
    # Estimate, per run of dedupe/link/dedupe_spark, how often two records of one family are
    # one person (estimate_family_log2_odds) and move the family ceiling to it: registers
    # full of siblings keep it low, data without families (FEBRL) lift it. Clamped to
    # family_range, then averaged with the configured prior + household_cap weighted as
    # family_pseudo_pairs pairs, so a small input keeps about the configured value.
    estimate_family: bool = True
    family_range: tuple[float, float] = (-6.0, 8.0)
    family_pseudo_pairs: float = 200.0
    # Score a family pair the way estimate_family measured it: its log2 odds are at most the
    # measured family odds plus its person evidence (family_pair_ceilings), without the
    # household_slack rule, which the estimate does not assume. Off: the measured shift is
    # added to the configured family ceiling, slack included.
    family_mixture: bool = True
    # With family_mixture, a pair whose agreeing household fields reach household_cap while
    # another household field disagrees is scored by the same measured family model, the
    # disagreeing field counting against it in full (family_scored_mask). Off: only pairs
    # with no disagreeing household field are.
    family_disagreeing: bool = True
    # Learn m and u from the records being linked (dedupe/link/dedupe_spark; _learn.py):
    # u from up to u_sample_pairs random pairs, m by EM over the candidate pairs, both
    # held near the values in ``mu`` by Dirichlet priors worth u_pseudo_pairs and
    # m_pseudo_pairs pairs, and no disagreement level's m (m below u as configured) below
    # m_floor_ratio of its configured value.
    # explain() and MatchIndex score without a data set around them and keep ``mu``.
    learn_weights: bool = True
    u_sample_pairs: int = 50_000
    u_pseudo_pairs: float = 1_000.0
    m_pseudo_pairs: float = 100.0
    m_floor_ratio: float = 0.5
    em_iterations: int = 10
    # Learned weights stay within these bits of the configured ones: data can show a level
    # to be far stronger evidence than configured (a full date of birth among FEBRL's
    # varied dates), but a small or odd input (a handful of common names) cannot make
    # agreement count for much less than the configured Indian register assumes.
    learn_bounds: tuple[float, float] = (-1.0, 3.0)
    # Household fields other than the district (family name, parents, village, phone) take
    # u from strangers of one district and may rise up to the upper bound above their
    # configured weight, by as much as the data shows them independent of the district
    # (_learn.household_room): regional fields (Indian surnames, villages) keep the
    # configured weight, and none falls below it. The district itself stays as configured.
    learn_household_bounds: tuple[float, float] = (0.0, 3.0)
    # Clustering safeguards.
    strict_threshold: float = 0.99  # merges that grow a cluster beyond strict_size
    strict_size: int = 4
    max_cluster_size: int = 30
    cannot_link_person_weight: float = -3.0  # person evidence this negative forbids a merge
    # ... when the pair's own log2 odds are also at or below log2((1 - t) / t), t the match
    # threshold: the pair says two people as surely as a merge must say one
    # (_cluster.cannot_link_mask). Off: the person evidence alone.
    cannot_link_mirror: bool = True
    # A merge into a group of two or more records must also reach the threshold on the
    # groups' combined evidence, field by field (_groups.GroupScorer).
    group_evidence: bool = True
    # Where that combined evidence carries a merge (two groups of two or more records, or a
    # pair below the threshold), discount each field's best agreement for having been chosen
    # from several pairs (_groups.selection_discount).
    group_selection_discount: bool = True
    # Blocking.
    block_size: int = 40  # blocks up to this size are compared all-against-all
    window: int = 10  # bigger blocks: each record against its next `window` neighbours
    broad_window: int = 3  # the same for the broad keys (see _blocking.is_broad_key)
    index_posting_cap: int = 200
    index_broad_posting_cap: int = 50  # the same for the broad keys
    _weights: Any = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in FIELDS:
            levels = self.mu.get(name)
            if levels is None or len(levels) != len(LEVELS[name]):
                raise ValueError(f"mu[{name!r}] needs {len(LEVELS[name])} (m, u) pairs")
        if not self.prior_range[0] <= self.prior_range[1]:
            raise ValueError("prior_range must be (low, high) with low <= high")
        if not self.family_range[0] <= self.family_range[1]:
            raise ValueError("family_range must be (low, high) with low <= high")
        if not 0 < self.possible_threshold <= self.match_threshold < 1:
            raise ValueError("need 0 < possible_threshold <= match_threshold < 1")
        if self.prior_reference_records < 1 or self.prior_scale_rate < 0:
            raise ValueError("need prior_reference_records >= 1 and prior_scale_rate >= 0")
        object.__setattr__(self, "_weights", _compute_weights(self.mu))

    def weights(self) -> dict[str, tuple[float, ...]]:
        """log2(m/u) per field level."""
        return self._weights

    def with_mu(self, mu: dict[str, tuple[tuple[float, float], ...]]) -> MatchConfig:
        return replace(self, mu=MappingProxyType(dict(mu)))


def _compute_weights(mu: Any) -> dict[str, tuple[float, ...]]:
    out = {}
    for name in FIELDS:
        ws = [0.0]
        for m, u in mu[name][1:]:
            ws.append(math.log2(max(m, 1e-9) / max(u, 1e-9)))
        out[name] = tuple(ws)
    return out


PERSON_INDEX = tuple(i for i, f in enumerate(FIELDS) if f in PERSON_FIELDS)
HOUSEHOLD_INDEX = tuple(i for i, f in enumerate(FIELDS) if f not in PERSON_FIELDS)


def family_ceiling(cfg: MatchConfig, person: float) -> float:
    """Highest log2 odds household evidence can bring a pair with this person evidence to.

    Family name, parents, village, district and phone are shared by siblings, so
    agreeing on all of them says "same family", not "same person". The ceiling is where
    a pair known to be one family sits, ``prior_log2_odds + household_cap`` (about one
    chance in four: a family has a few children), plus the person evidence; and a family
    may add at most ``household_slack`` bits more than the person's own evidence. It is
    fixed by the configured prior, not by the prior estimated for a run: how likely two
    records of one family are to be one person does not depend on how many records
    there are, while the chance that two random records match does. It does depend on
    how many siblings the records hold: with ``estimate_family`` a run moves the ceiling
    of its family pairs to what it measures (``family_shift``).
    """
    return (
        cfg.prior_log2_odds
        + person
        + min(cfg.household_cap, max(person, 0.0) + cfg.household_slack)
    )


def family_ceilings(cfg: MatchConfig, person: Any) -> Any:
    """``family_ceiling`` for an array of person evidence (the batch pipeline's form)."""
    import numpy as np

    room = np.minimum(cfg.household_cap, np.maximum(person, 0.0) + cfg.household_slack)
    return cfg.prior_log2_odds + person + room


def combine_parts(cfg: MatchConfig, field_weights: tuple[float, ...]) -> tuple[float, float, float]:
    """(open evidence, ceiling, person evidence) of a pair's field weights.

    The pair's log2 odds under a prior is ``min(prior + open, ceiling)``: open evidence
    is every field's weight added up (person + household, agreeing and disagreeing),
    and disagreeing household fields lower the ceiling too.
    """
    person = sum(field_weights[i] for i in PERSON_INDEX)
    pos = sum(field_weights[i] for i in HOUSEHOLD_INDEX if field_weights[i] > 0)
    neg = sum(field_weights[i] for i in HOUSEHOLD_INDEX if field_weights[i] < 0)
    return person + pos + neg, family_ceiling(cfg, person) + neg, person


def combine(
    cfg: MatchConfig, field_weights: tuple[float, ...], prior: float | None = None
) -> tuple[float, float, float]:
    """(total log2 odds, person part, household part actually counted).

    ``prior`` defaults to the configured one; a run that estimates its prior passes it.
    """
    prior = cfg.prior_log2_odds if prior is None else prior
    open_evidence, ceiling, person = combine_parts(cfg, field_weights)
    total = min(prior + open_evidence, ceiling)
    return total, person, total - prior - person


TF_LEVELS = frozenset(
    i for i, name in enumerate(LEVELS["given_name"]) if name in ("sound", "exact")
)


def name_frequency_adjustment(cfg: MatchConfig, level: int, frequency: float) -> float:
    """Bits added to given-name agreement for how common the name is in the data linked.

    The level's u is the chance that two different people agree on an average name;
    for a name held by a share ``frequency`` of the records the chance is about that
    share, so the Bayes factor changes by u / frequency (Fellegi-Sunter term-frequency
    adjustment), clamped to [-tf_max_down, +tf_max_up] bits. Only for agreement levels.
    """
    if level not in TF_LEVELS or frequency <= 0:
        return 0.0
    u = cfg.mu["given_name"][level][1]
    return min(cfg.tf_max_up, max(-cfg.tf_max_down, math.log2(u / frequency)))


SAME_DISTRICT = LEVELS["place"].index("same_district")


def district_frequency_adjustment(cfg: MatchConfig, level: int, frequency: float) -> float:
    """Bits added to agreeing on the district for how many of the records linked name it.

    The level's u is the chance that two different people name one district, the sum over
    districts of their squared shares; for a district holding a share ``frequency`` of the
    records it is about that share, so the Bayes factor changes by u / frequency, clamped
    to [-tf_max_down, +tf_max_up] bits as for given names: namesakes multiply in a
    populous district. 0 unless ``district_frequency``, and only for "same district".
    """
    if not cfg.district_frequency or level != SAME_DISTRICT or frequency <= 0:
        return 0.0
    u = cfg.mu["place"][level][1]
    return min(cfg.tf_max_up, max(-cfg.tf_max_down, math.log2(u / frequency)))


_GIVEN, _BIRTH, _FAMILY = (FIELDS.index(f) for f in ("given_name", "birth", "family_name"))
_VILLAGE, _PLACE = FIELDS.index("village"), FIELDS.index("place")
_DIFFERENT_GIVEN = LEVELS["given_name"].index("different")
_FULL_DATES = [LEVELS["birth"].index(n) for n in ("date_typo", "date_swapped", "date")]
_FAMILY_AGREES = LEVELS["family_name"].index("similar")
_VILLAGE_AGREES = LEVELS["village"].index("similar")
_PLACE_AGREES = LEVELS["place"].index("related_district")
_OTHER_STATE = LEVELS["place"].index("other_state")
# Household fields that tie a record to one family (the district does not: many families
# share it), with the lowest level at which each agrees.
_FAMILY_TIES = tuple(
    (FIELDS.index(f), LEVELS[f].index(lv))
    for f, lv in (
        ("family_name", "similar"),
        ("father_name", "similar"),
        ("mother_name", "similar"),
        ("village", "similar"),
        ("phone", "same"),
    )
)

REVIEW_REASON = (
    "A different given name, but the same full date of birth and the same family (family "
    "name, parents, village, phone or place): one person renamed or recorded under another "
    "name, or twins or sisters. A caseworker should decide."
)


def review_mask(levels: Any) -> Any:
    """Pairs whose evidence conflicts in the way only a person can settle (the review band).

    A different given name with the same full date of birth and the same family: a full
    date of birth is strong evidence of one person (siblings rarely share one; twins are
    about 1.5% of births), yet it can be twins, a sister, or a survivor whom traffickers
    renamed, with no alias recorded, so that only the other evidence links the two. The
    weights decide whether such a pair merges; the pair is also reported for review, so
    neither a merge nor a split of it is silent. "The same family" is the family name with
    the village or the district, or any two of family name, father's name, mother's name,
    village and phone with the district not in another state (a record may lack the family
    name). The full date may be one typo apart or have day and month swapped.
    ``levels``: (n, len(FIELDS)).
    """
    import numpy as np

    lv = np.asarray(levels)
    if lv.ndim == 1:
        lv = lv.reshape(1, -1)
    place = (lv[:, _VILLAGE] >= _VILLAGE_AGREES) | (lv[:, _PLACE] >= _PLACE_AGREES)
    family = (lv[:, _FAMILY] >= _FAMILY_AGREES) & place
    ties = sum((lv[:, c] >= agrees).astype(np.int8) for c, agrees in _FAMILY_TIES)
    family |= (ties >= 2) & (lv[:, _PLACE] != _OTHER_STATE)
    return (lv[:, _GIVEN] == _DIFFERENT_GIVEN) & np.isin(lv[:, _BIRTH], _FULL_DATES) & family


def probability(log2_odds: float) -> float:
    if log2_odds > 60:
        return 1.0
    if log2_odds < -60:
        return 0.0
    return 1.0 / (1.0 + 2.0 ** (-log2_odds))


def score_levels(cfg: MatchConfig, levels: tuple[int, ...]) -> tuple[float, float, float]:
    w = cfg.weights()
    fw = tuple(w[name][lv] for name, lv in zip(FIELDS, levels, strict=True))
    return combine(cfg, fw)


# Weights are binned to 1/64 bit for the prior estimate, so every backend (numpy, Spark)
# estimates from the same histogram and gets the same prior, whatever the summation order.
PRIOR_BINS_PER_BIT = 64


def weight_bins(evidence: Any) -> Any:
    """Integer bin per value of log2 odds or evidence."""
    import numpy as np

    return np.rint(np.asarray(evidence, dtype=np.float64) * PRIOR_BINS_PER_BIT).astype(np.int64)


def evidence_histogram(open_evidence: Any, ceiling: Any) -> tuple[Any, Any, Any]:
    """(open bins, ceiling bins, counts): the pairs' evidence, binned in two dimensions."""
    import numpy as np

    ob, cb = weight_bins(open_evidence), weight_bins(ceiling)
    if len(ob) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    o0, c0 = int(ob.min()), int(cb.min())
    width = int(cb.max()) - c0 + 1
    codes, counts = np.unique((ob - o0) * width + (cb - c0), return_counts=True)
    return codes // width + o0, codes % width + c0, counts


def register_prior_log2_odds(cfg: MatchConfig, n_pairs: float) -> float:
    """The fixed prior for a run over ``n_pairs`` possible pairs (n(n-1)/2, or left x right).

    The match rate among all pairs falls by one bit per doubling of the register: each
    person has about as many records, the pairs grow with n². The full fall (what
    ``estimate_prior`` learns) makes the threshold a calibrated 0.95, and the merges it
    drops in a register whose recall is low are one person about half the time, more than
    pairwise F1 can spare (docs/linkage/weights.md, "The prior"). So beyond
    ``prior_reference_records`` (counted as the records whose n(n-1)/2 pairs these are) the
    prior falls by ``prior_scale_rate`` bits per doubling, and below it stays at
    ``prior_log2_odds``.
    """
    records = math.sqrt(2.0 * max(n_pairs, 0.0))
    if cfg.prior_scale_rate <= 0 or records <= cfg.prior_reference_records:
        return cfg.prior_log2_odds
    return cfg.prior_log2_odds - cfg.prior_scale_rate * math.log2(
        records / cfg.prior_reference_records
    )


def estimate_prior_log2_odds(
    cfg: MatchConfig,
    open_bins: Any,
    ceiling_bins: Any,
    counts: Any,
    n_pairs: float,
    max_iter: int = 200,
) -> float:
    """Prior log2 odds that two random records match, estimated from the candidates.

    The u probabilities are chances for two *random* different people, so the prior that
    goes with them is the match rate among all n(n-1)/2 pairs, not among the candidates
    (those are selected for agreeing, and the weights already count that agreement). It
    falls as the data grows: each record has about the same number of duplicates while
    the number of pairs grows with n². One-parameter EM with m and u held fixed: given
    the prior, each candidate's log2 odds is ``min(prior + open, ceiling)``
    (``combine_parts``) and its posterior 1 / (1 + 2^-odds); the new rate is the sum of
    posteriors over all pairs, counting pairs that were not candidates as non-matches
    (so the estimate is slightly low by the matches blocking misses). The histogram comes
    from ``evidence_histogram``; the result is clamped to ``cfg.prior_range``. With no
    candidates, the configured prior.
    """
    import numpy as np

    lo, hi = cfg.prior_range
    if n_pairs <= 0 or len(counts) == 0:
        return min(hi, max(lo, cfg.prior_log2_odds))
    ev = np.asarray(open_bins, dtype=np.float64) / PRIOR_BINS_PER_BIT
    ceil = np.asarray(ceiling_bins, dtype=np.float64) / PRIOR_BINS_PER_BIT
    cnt = np.asarray(counts, dtype=np.float64)
    prior = min(hi, max(lo, cfg.prior_log2_odds))
    for _ in range(max_iter):
        odds = np.minimum(prior + ev, ceil)
        post = 1.0 / (1.0 + np.exp2(-np.clip(odds, -60.0, 60.0)))
        rate = float((post * cnt).sum()) / n_pairs
        rate = min(max(rate, 1e-300), 1.0 - 1e-12)
        new = min(hi, max(lo, math.log2(rate / (1.0 - rate))))
        if abs(new - prior) < 1e-6:
            return new
        prior = new
    return prior


def family_pair_mask(cfg: MatchConfig, open_evidence: Any, ceiling: Any, person: Any) -> Any:
    """Pairs that look like one family: household evidence at least ``household_cap`` and no
    household field disagreeing (read back from ``evidence_arrays``' three arrays)."""
    import numpy as np

    person = np.asarray(person, dtype=np.float64)
    negative = np.asarray(ceiling) - family_ceilings(cfg, person)
    positive = np.asarray(open_evidence) - person - negative
    # Weights are whole fractions of a bit apart; the tolerance only absorbs rounding.
    return (positive >= cfg.household_cap - 1e-6) & (negative > -1e-6)


def family_scored_mask(cfg: MatchConfig, open_evidence: Any, ceiling: Any, person: Any) -> Any:
    """Pairs scored by the measured family model (``family_pair_ceilings``): agreeing
    household evidence at least ``household_cap``.

    The family odds are measured on the clean family pairs (``family_pair_mask``). With
    ``family_disagreeing`` a pair whose agreeing household fields reach the cap while another
    disagrees (a changed surname, another postcode) is scored by the same model, the
    disagreeing field's weight counting against it in full, as every field's weight does in
    Fellegi-Sunter; otherwise the slack rule keeps such a pair's household evidence within
    a few bits of its person evidence, whatever the run measured. Works on arrays and on
    floats alike.
    """
    import numpy as np

    if not (cfg.family_mixture and cfg.family_disagreeing):
        return family_pair_mask(cfg, open_evidence, ceiling, person)
    person = np.asarray(person, dtype=np.float64)
    negative = np.asarray(ceiling) - family_ceilings(cfg, person)
    positive = np.asarray(open_evidence) - person - negative
    return positive >= cfg.household_cap - 1e-6


def estimate_family_log2_odds(
    cfg: MatchConfig, person_bins: Any, counts: Any, max_iter: int = 500
) -> float:
    """Log2 odds that two records of one family (``family_pair_mask``) are one person.

    The family pairs are a mixture of one person recorded twice and siblings (or parent and
    child); only the person evidence (given name, sex, birth) tells them apart, and its
    weights are Bayes factors, so one-parameter EM finds the mixture share: each pair's
    posterior is share * 2^person / (share * 2^person + 1 - share). The estimate, clamped
    to ``family_range``, is averaged in log odds with the configured value
    (``prior_log2_odds + household_cap``) weighted as ``family_pseudo_pairs`` pairs, so
    a handful of family pairs cannot move it far. ``person_bins`` are
    ``weight_bins`` of the family pairs' person evidence, ``counts`` their numbers.
    """
    import numpy as np

    lo, hi = cfg.family_range
    configured = cfg.prior_log2_odds + cfg.household_cap
    ev = np.asarray(person_bins, dtype=np.float64) / PRIOR_BINS_PER_BIT
    cnt = np.asarray(counts, dtype=np.float64)
    n = float(cnt.sum())
    if n == 0:
        return min(hi, max(lo, configured))
    lr = np.exp2(np.clip(ev, -60.0, 60.0))
    share = 1.0 / (1.0 + 2.0 ** (-configured))
    for _ in range(max_iter):
        post = share * lr / (share * lr + 1.0 - share)
        new = min(max(float((post * cnt).sum()) / n, 1e-12), 1.0 - 1e-12)
        if abs(new - share) < 1e-9:
            share = new
            break
        share = new
    estimated = min(hi, max(lo, math.log2(share / (1.0 - share))))
    k = cfg.family_pseudo_pairs
    return (n * estimated + k * configured) / (n + k)


def family_shift(
    cfg: MatchConfig, open_evidence: Any, ceiling: Any, person: Any, chunk: int = 2_000_000
) -> tuple[float, Any]:
    """(bits, family mask): how far this run moves the ceiling of the family pairs.

    0 unless ``estimate_family``. Only pairs in ``family_pair_mask`` move: the estimate is
    about pairs known to be one family, and a pair with a disagreeing household field is
    not one. Raising household_cap and household_slack together by some bits moves such a
    pair's ceiling by exactly those bits (``family_ceiling``), so the estimate is one
    shift. Computed in chunks: at a million records there are tens of millions of pairs.
    """
    import numpy as np

    n = len(person)
    mask = np.zeros(n, dtype=bool)
    if not cfg.estimate_family or n == 0:
        return 0.0, mask
    found: list[Any] = []
    for s in range(0, n, chunk):
        e = slice(s, s + chunk)
        mask[e] = family_pair_mask(cfg, open_evidence[e], ceiling[e], person[e])
        found.append(weight_bins(np.asarray(person[e])[mask[e]]))
    bins, counts = np.unique(np.concatenate(found), return_counts=True)
    return family_shift_bits(cfg, bins, counts), mask


def family_pair_ceilings(cfg: MatchConfig, ceiling: Any, person: Any, shift: float) -> Any:
    """Ceiling of family pairs (``family_pair_mask``) once the run has measured its family
    odds: ``shift`` bits above the configured ``prior_log2_odds + household_cap``.

    ``estimate_family_log2_odds`` models a family pair as one person with those odds times
    the Bayes factor of its person evidence, so with ``family_mixture`` the pair is scored by
    that same model: measured family odds + person evidence + the weight of any household
    field that disagrees (``family_scored_mask``; none for a clean family pair). The
    ``household_slack`` rule (a family adds at most 4 bits more than the person's own
    evidence) is not part of the model; keeping it would score such pairs lower than the
    odds the run measured for them. ``ceiling`` is the pair's configured ceiling
    (``combine_parts``), which carries the disagreeing fields' weight. Works on arrays and
    on floats alike.
    """
    if cfg.family_mixture:
        measured = cfg.prior_log2_odds + cfg.household_cap + shift
        # One pair (the clustering's group scorer) in plain floats, the same operations.
        configured = (
            family_ceiling(cfg, person)
            if isinstance(person, float)
            else family_ceilings(cfg, person)
        )
        return measured + person + (ceiling - configured)
    return ceiling + shift


def family_shift_bits(cfg: MatchConfig, person_bins: Any, counts: Any) -> float:
    """The estimate of ``estimate_family_log2_odds`` less the configured family ceiling."""
    estimated = estimate_family_log2_odds(cfg, person_bins, counts)
    return estimated - (cfg.prior_log2_odds + cfg.household_cap)
