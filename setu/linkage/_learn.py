"""Weights learned from the records being linked (Fellegi-Sunter with priors).

The comparison levels, the household cap, the family ceiling and the blocking are the
engine's structure; the numbers m and u on each level are learned per run:

* **u** (the chance that two *different* people reach a level) from random pairs of the
  records being linked: a random pair is almost never one person, so the share of random
  pairs at each level is u. Levels too rare to show up often in the sample are held near
  the configured value by a Dirichlet prior worth ``u_pseudo_pairs`` pairs. Household
  fields other than the district take u from strangers *within one district*
  (``district_strangers``), and their weights rise above the configured ones only as far
  as the data shows them independent of the district (``household_room``).
* **m** (the chance that two records of *one* person reach a level) by
  expectation-maximisation over the candidate pairs: each pair's posterior under the
  current weights (with the household cap and the family ceiling, exactly as the pair
  is scored) weighs its levels, and m is their weighted share. A Dirichlet prior worth
  ``m_pseudo_pairs`` pairs keeps a small input near the configured values, and no level's
  m falls below ``m_floor_ratio`` of its configured value: EM learns only from the pairs
  it already believes, and without the floor a level that true pairs rarely reach (a
  birth year far off) would be driven towards zero, so that such a pair could never match.

Only the level patterns matter, not the pairs themselves, so EM runs on the histogram
of distinct patterns (a few thousand) whatever the number of pairs.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from ._compare import FIELDS, LEVELS, PERSON_FIELDS
from ._config import (
    MatchConfig,
    estimate_prior_log2_odds,
    family_pair_ceilings,
    family_pair_mask,
    family_scored_mask,
    family_shift_bits,
    weight_bins,
)

RADIX = tuple(len(LEVELS[f]) for f in FIELDS)


def pattern_codes(levels: Any) -> Any:
    """One int64 per pair: its levels in mixed radix (FIELDS order)."""
    import numpy as np

    code = np.zeros(len(levels), dtype=np.int64)
    for c, r in enumerate(RADIX):
        code = code * r + levels[:, c].astype(np.int64)
    return code


def decode_patterns(codes: Any) -> Any:
    """Levels array (n, len(FIELDS)) of pattern codes."""
    import numpy as np

    codes = np.asarray(codes, dtype=np.int64).copy()
    out = np.empty((len(codes), len(RADIX)), dtype=np.int8)
    for c in range(len(RADIX) - 1, -1, -1):
        out[:, c] = codes % RADIX[c]
        codes //= RADIX[c]
    return out


def level_counts(levels: Any, weights: Any = None) -> list[Any]:
    """Per field, the (weighted) number of pairs at each level."""
    import numpy as np

    return [
        np.bincount(levels[:, c], weights=weights, minlength=RADIX[c]).astype(np.float64)
        for c in range(len(RADIX))
    ]


def _dirichlet(counts: Any, prior: tuple[float, ...], pseudo: float) -> list[float]:
    """Shares of levels 1.. (level 0, missing, is neutral), with a Dirichlet prior."""
    seen = float(sum(counts[1:]))
    total_prior = sum(prior[1:])
    return [
        (float(counts[lv]) + pseudo * prior[lv] / total_prior) / (seen + pseudo)
        for lv in range(1, len(prior))
    ]


# Household fields whose u is measured among records of one district (``district_levels``):
# in India surnames, villages and fathers' names are regional, so two strangers of one
# district agree on them far more often than two random strangers do.
WITHIN_DISTRICT = tuple(f for f in FIELDS if f not in PERSON_FIELDS and f != "place")
_PLACE = FIELDS.index("place")
_SAME_DISTRICT = LEVELS["place"].index("same_district")
_GIVEN, _BIRTH = FIELDS.index("given_name"), FIELDS.index("birth")
_DIFFERENT_GIVEN = LEVELS["given_name"].index("different")
_FAR = LEVELS["birth"].index("far")


def _stranger_weights(cfg: MatchConfig, levels: Any, prior: float) -> Any:
    """Each pair's chance of being two different people under the configured weights."""
    import numpy as np

    open_evidence, ceiling, _ = pattern_evidence(cfg, levels)
    total = np.minimum(prior + open_evidence, ceiling)
    return 1.0 - 1.0 / (1.0 + np.exp2(-np.clip(total, -60.0, 60.0)))


def learn_u(
    cfg: MatchConfig, random_levels: Any, prior: float, district_levels: Any = None
) -> dict[str, tuple[float, ...]]:
    """u per field level from the levels of random pairs.

    Each random pair counts by its chance of being two different people under the
    configured weights: in a big register that is every pair, but in a small one (a
    family's few records, a test) many random pairs are one person, and counting them
    would make agreement look common among strangers.

    With ``district_levels`` (random pairs of records that name one district,
    ``district_pair_levels``) the household fields other than the district itself
    (``WITHIN_DISTRICT``) take their u from the strangers among them (``district_strangers``):
    the chance that two strangers of one district share a family name, a village, a
    father's name. Weighed within the district, each field adds only what it says beyond
    the district.
    """
    counts = level_counts(random_levels, _stranger_weights(cfg, random_levels, prior))
    out = {}
    for c, name in enumerate(FIELDS):
        configured = tuple(mu[1] for mu in cfg.mu[name])
        seen = counts[c]
        if name in WITHIN_DISTRICT and district_levels is not None and len(district_levels):
            same = district_strangers(district_levels, name)
            if len(same):
                seen = level_counts(same)[c]
        out[name] = (1.0, *_dirichlet(seen, configured, cfg.u_pseudo_pairs))
    return out


def district_strangers(district_levels: Any, name: str) -> Any:
    """The pairs of ``district_levels`` that agree on the district and are surely two people,
    for measuring the household field ``name`` among strangers: a different given name, a
    birth far apart, and no other household field agreeing. Where few records share a
    district (a postcode) most of its pairs are one person recorded twice, and such a pair
    agrees on something else of the household; two strangers of a district where surnames
    and villages are regional still share a village across families, or a surname across
    villages, and still count."""
    lv = district_levels
    keep = (lv[:, _PLACE] == _SAME_DISTRICT) & (lv[:, _GIVEN] == _DIFFERENT_GIVEN)
    keep &= lv[:, _BIRTH] == _FAR
    for other in WITHIN_DISTRICT:
        if other != name:
            keep &= lv[:, FIELDS.index(other)] <= 1
    return lv[keep]


def _agreement_share(levels: Any, column: int, weights: Any = None) -> tuple[float, float]:
    """(agreeing pairs, pairs with the field on both sides): agreement is level 2 or more."""
    import numpy as np

    w = np.ones(len(levels)) if weights is None else np.asarray(weights, dtype=np.float64)
    col = levels[:, column]
    return float(w[col >= 2].sum()), float(w[col >= 1].sum())


def household_room(
    cfg: MatchConfig, random_levels: Any, district_levels: Any, prior: float
) -> dict[str, float]:
    """Bits a household field's learned weight may rise above its configured one.

    Where strangers of one district agree on the field no more often than strangers across
    the register, the field is independent of the place (FEBRL's surnames and suburbs) and
    its learned weight may rise by the upper ``learn_household_bounds``. Where they agree r
    times as often, the field is regional (Indian surnames, villages, fathers' names): the
    room shrinks linearly in log2 r and is gone at r = 2, so the configured Indian weight,
    which already allows for that, stays. Shares are smoothed by one pair.

    The district itself is the reference of that test and cannot be tested against itself:
    its u is the share of random pairs of the whole register that name one district, which
    is what agreeing on it says, so it has the full room (``"place"``). Districts spread
    thin (FEBRL's postcodes, a register over many districts) make it strong evidence; a
    register of a few districts keeps the configured weight, below which no household
    weight falls.
    """
    high = cfg.learn_household_bounds[1]
    room = dict.fromkeys(WITHIN_DISTRICT, 0.0)
    if len(random_levels):
        room["place"] = high
    if district_levels is None or len(district_levels) == 0 or len(random_levels) == 0:
        return room
    strangers = _stranger_weights(cfg, random_levels, prior)
    for name in WITHIN_DISTRICT:
        c = FIELDS.index(name)
        k_in, n_in = _agreement_share(district_strangers(district_levels, name), c)
        k_all, n_all = _agreement_share(random_levels, c, strangers)
        ratio = ((k_in + 1.0) / (n_in + 1.0)) / ((k_all + 1.0) / (n_all + 1.0))
        room[name] = max(0.0, min(high, high * (1.0 - math.log2(max(ratio, 1e-9)))))
    return room


def _with_floor(shares: list[float], floor: list[float]) -> list[float]:
    """Shares summing to 1 with no share below its floor: floored levels take their floor,
    the others share the rest in proportion (floors sum to less than 1)."""
    fixed = [False] * len(shares)
    out = list(shares)
    for _ in range(len(shares)):
        fixed = [fx or o < f for fx, o, f in zip(fixed, out, floor, strict=True)]
        free = sum(s for s, fx in zip(shares, fixed, strict=True) if not fx)
        rest = 1.0 - sum(f for f, fx in zip(floor, fixed, strict=True) if fx)
        out = [f if fx else s * rest / free for s, f, fx in zip(shares, floor, fixed, strict=True)]
        if all(o >= f - 1e-12 for o, f in zip(out, floor, strict=True)):
            break
    return out


def learn_m(
    cfg: MatchConfig, patterns: Any, counts: Any, posterior: Any
) -> dict[str, tuple[float, ...]]:
    """m per field level from the posterior-weighted level patterns (one M step)."""
    weighted = level_counts(patterns, posterior * counts)
    out = {}
    for c, name in enumerate(FIELDS):
        prior = tuple(mu[0] for mu in cfg.mu[name])
        shares = _dirichlet(weighted[c], prior, cfg.m_pseudo_pairs)
        # Floors only where the configured m is below u: a disagreement whose m EM drives
        # to nothing would keep such a pair from ever matching. An agreement level needs
        # none (learn_bounds keep its weight), and a floor there holds m that the data does
        # not show (in a register of full dates, a third of m on years and ages).
        u = tuple(mu[1] for mu in cfg.mu[name])
        floor = [
            cfg.m_floor_ratio * p / sum(prior[1:]) if p < uu else 0.0
            for p, uu in zip(prior[1:], u[1:], strict=True)
        ]
        out[name] = (1.0, *_with_floor(shares, floor))
    return out


def pattern_evidence(cfg: MatchConfig, patterns: Any) -> tuple[Any, Any, Any]:
    """(open evidence, ceiling, person evidence) of each level pattern under cfg."""
    from ._batch import evidence_arrays

    return evidence_arrays(cfg, patterns)


def posterior(cfg: MatchConfig, patterns: Any, counts: Any, prior: float) -> Any:
    """Each pattern's match probability as the run scores it: prior, household cap and the
    family ceiling measured from these same pairs (``family_shift_bits``)."""
    import numpy as np

    open_evidence, ceiling = scored_evidence(cfg, patterns, counts)
    total = np.minimum(prior + open_evidence, ceiling)
    return 1.0 / (1.0 + np.exp2(-np.clip(total, -60.0, 60.0)))


def scored_evidence(cfg: MatchConfig, patterns: Any, counts: Any) -> tuple[Any, Any]:
    """(open evidence, ceiling) of each pattern as the run scores it, the family pairs'
    ceiling measured from these same pairs; the log2 odds are ``min(prior + open, ceiling)``."""
    import numpy as np

    open_evidence, ceiling, person = pattern_evidence(cfg, patterns)
    if cfg.estimate_family:
        family = family_pair_mask(cfg, open_evidence, ceiling, person)
        bins = weight_bins(person[family])
        order = np.argsort(bins, kind="stable")
        shift = family_shift_bits(cfg, bins[order], np.asarray(counts)[family][order])
        scored = family_scored_mask(cfg, open_evidence, ceiling, person)
        ceiling = np.where(scored, family_pair_ceilings(cfg, ceiling, person, shift), ceiling)
    return open_evidence, ceiling


def joint_prior(cfg: MatchConfig, patterns: Any, counts: Any, n_pairs: float) -> float:
    """The prior log2 odds that go with ``cfg``'s weights (``estimate_prior_log2_odds``), from
    the candidates' level patterns: the E step of the prior, learned with m."""
    open_evidence, ceiling = scored_evidence(cfg, patterns, counts)
    return estimate_prior_log2_odds(
        cfg, weight_bins(open_evidence), weight_bins(ceiling), counts, n_pairs
    )


def bounded(
    cfg: MatchConfig,
    mu: dict[str, tuple[tuple[float, float], ...]],
    room: dict[str, float] | None = None,
) -> MatchConfig:
    """The configuration with ``mu``, each level's weight kept within ``learn_bounds`` bits
    of its configured weight (u moved to fit, m as learned); household fields within
    ``learn_household_bounds``, their upper bound cut to ``room`` (``household_room``), the
    district itself and fields without room at their configured weight.

    ``household_cap`` rises by the largest lift of a household field's full agreement: the
    cap is counted in the same bits as the household weights, so that one field lifted to
    the old cap (a shared suburb) does not by itself make a pair a family pair.
    """
    configured = cfg.weights()
    room = room or {}
    out = {}
    lift = 0.0
    for name in FIELDS:
        low, high = cfg.learn_bounds if name in PERSON_FIELDS else (0.0, 0.0)
        if name in room:
            low, high = min(0.0, cfg.learn_household_bounds[0]), room[name]
        levels = [(1.0, 1.0)]
        for lv, (m, u) in enumerate(mu[name][1:], start=1):
            w = math.log2(max(m, 1e-9) / max(u, 1e-9))
            clamped = min(configured[name][lv] + high, max(configured[name][lv] + low, w))
            levels.append((m, u if clamped == w else m / 2.0**clamped))
            if name in room and lv == len(mu[name]) - 1:
                lift = max(lift, clamped - configured[name][lv])
        out[name] = tuple(levels)
    learned = cfg.with_mu(out)
    if lift <= 0:
        return learned
    # The slack, too, is counted in those bits.
    return replace(
        learned,
        household_cap=cfg.household_cap + lift,
        household_slack=cfg.household_slack + lift,
    )


def learn_weights(
    cfg: MatchConfig,
    candidate_levels: Any,
    random_levels: Any,
    prior: float,
    district_levels: Any = None,
    n_pairs: float = 0.0,
) -> MatchConfig:
    """The configuration with m and u learned from this run's pairs (see module doc).

    ``candidate_levels``: levels of every candidate pair; ``random_levels``: levels of
    random pairs of the same records; ``district_levels``: of random pairs within one
    district (``district_pair_levels``); ``prior``: the run's prior log2 odds.
    """
    import numpy as np

    from ._batch import distinct_inverse

    if len(candidate_levels) == 0:
        return cfg
    uniq, inverse = distinct_inverse(pattern_codes(candidate_levels))
    counts = np.bincount(inverse, minlength=len(uniq)).astype(np.float64)
    return learn_from_patterns(cfg, uniq, counts, random_levels, prior, district_levels, n_pairs)


def learn_from_patterns(
    cfg: MatchConfig,
    codes: Any,
    counts: Any,
    random_levels: Any,
    prior: float,
    district_levels: Any = None,
    n_pairs: float = 0.0,
) -> MatchConfig:
    """``learn_weights`` from the histogram of the candidates' level patterns: ``codes``
    (``pattern_codes``, ascending, distinct) and how many pairs have each. Every backend
    passes the same histogram in the same order, so learns the same weights."""
    import numpy as np

    if len(codes) == 0:
        return cfg
    counts = np.asarray(counts, dtype=np.float64)
    patterns = decode_patterns(codes)
    u = learn_u(cfg, random_levels, prior, district_levels) if len(random_levels) else None
    room = household_room(cfg, random_levels, district_levels, prior)
    current = cfg
    if u is not None:
        current = bounded(
            cfg,
            {f: tuple((m, uu) for (m, _), uu in zip(cfg.mu[f], u[f], strict=True)) for f in FIELDS},
            room,
        )
    u_of = {f: tuple(uu for _, uu in current.mu[f]) for f in FIELDS} if u is None else u
    last = None
    for _ in range(cfg.em_iterations):
        if cfg.estimate_prior and n_pairs > 0:
            prior = joint_prior(current, patterns, counts, n_pairs)
        post = posterior(current, patterns, counts, prior)
        m = learn_m(cfg, patterns, counts, post)
        mu = {f: tuple((mm, uu) for mm, uu in zip(m[f], u_of[f], strict=True)) for f in FIELDS}
        current = bounded(cfg, mu, room)
        weights = current.weights()
        flat = [w for f in FIELDS for w in weights[f]]
        if last is not None and max(abs(x - y) for x, y in zip(flat, last, strict=True)) < 0.01:
            break
        last = flat
    return current


def random_pair_levels(records: Any, cfg: MatchConfig, side: Any = None, frame: Any = None) -> Any:
    """Levels of ``cfg.u_sample_pairs`` random pairs of ``records`` (``random_pairs``)."""
    ra, rb = random_pairs(len(records), cfg.u_sample_pairs, side)
    return _sampled_levels(records, ra, rb, frame)


def district_pair_levels(
    records: Any, cfg: MatchConfig, side: Any = None, frame: Any = None
) -> Any:
    """Levels of about ``cfg.u_sample_pairs`` random pairs of records that name the same
    district (``district_pairs``), for the within-district u of ``learn_u``."""
    keys = [" ".join(r.district.casefold().split()) for r in records]
    ra, rb = district_pairs(keys, cfg.u_sample_pairs, side)
    return _sampled_levels(records, ra, rb, frame)


def _sampled_levels(records: Any, ra: Any, rb: Any, frame: Any) -> Any:
    """Levels of the pairs ``ra``/``rb``: from ``frame`` (``build_frame`` of all ``records``)
    when the caller has one, else from the features of the sampled records only."""
    import numpy as np

    from ._batch import build_frame, pair_levels

    if len(ra) == 0:
        return np.empty((0, len(FIELDS)), dtype=np.int8)
    if frame is not None:
        return pair_levels(frame, ra, rb)
    used = np.unique(np.concatenate([ra, rb]))
    frame = build_frame([records[i] for i in used.tolist()])
    return pair_levels(frame, np.searchsorted(used, ra), np.searchsorted(used, rb))


def district_pairs(keys: Any, k: int, side: Any = None, seed: int = 1) -> tuple[Any, Any]:
    """About k random pairs (i < j) of records with the same non-empty ``keys`` value (the
    district as written): a district is drawn in proportion to its number of pairs, then
    two of its records. Deterministic for given keys, k and seed. With ``side``, only pairs
    across the two sides are kept."""
    import numpy as np

    groups: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key:
            groups.setdefault(key, []).append(i)
    members = [g for _, g in sorted(groups.items()) if len(g) > 1]
    if not members:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    sizes = np.array([len(g) for g in members], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat = np.array([i for g in members for i in g], dtype=np.int64)
    weights = sizes * (sizes - 1) / 2.0
    rng = np.random.default_rng(seed)
    g = rng.choice(len(members), size=k, p=weights / weights.sum())
    x = rng.integers(0, sizes[g])
    y = rng.integers(0, sizes[g] - 1)
    y = y + (y >= x)
    a, b = flat[starts[g] + x], flat[starts[g] + y]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    if side is not None:
        s = np.asarray(side)
        keep = s[lo] != s[hi]
        lo, hi = lo[keep], hi[keep]
    return lo, hi


def random_pairs(n: int, k: int, side: Any = None, seed: int = 0) -> tuple[Any, Any]:
    """About k distinct random pairs (i < j) of n records (across sides if ``side``).

    Deterministic for a given n, k and seed, so a run is reproducible. Every pair when
    there are no more than k.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    if side is None:
        total = n * (n - 1) // 2
        if total <= k:
            a, b = np.triu_indices(n, 1)
            return a.astype(np.int64), b.astype(np.int64)
        a = rng.integers(0, n, size=k)
        b = rng.integers(0, n, size=k)
    else:
        side = np.asarray(side)
        left = np.nonzero(side == 0)[0]
        right = np.nonzero(side != 0)[0]
        if len(left) * len(right) <= k:
            a = np.repeat(left, len(right))
            b = np.tile(right, len(left))
        else:
            a = left[rng.integers(0, len(left), size=k)]
            b = right[rng.integers(0, len(right), size=k)]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    return lo[keep].astype(np.int64), hi[keep].astype(np.int64)
