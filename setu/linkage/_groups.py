"""The evidence that two groups of records are one person, for the clustering's merge rule.

Clustering joins groups along their strongest pair. When a group already holds two or more
records, that one pair can be weak grounds: in a big register a namesake of the same
district and age band will line up with the one record of a person that lacks a date of
birth or a father's name, while the person's other records give a different date and a
different father. So a merge involving such a group must also hold on the groups' combined
evidence: for each field, the best agreement between any record of one group and any record
of the other that both recorded it. A field the newcomer disagrees on with every record
that has it counts against; a field only some records hold does not dilute the rest, and
a name the person is known by in any one record counts as known. The combined weights go
through the same household cap, family ceiling and prior as a single pair, and every
backend computes them with the same per-pair function.

Taking each field's best agreement over many pairs is a choice of the best of several
tries, and a namesake gets those tries too: the chance that at least one of k comparisons
of two different people agrees is up to k times the chance that one does. Where the
combined evidence is what carries a merge (two groups of two or more records, or a pair
that alone is only a possible match), each agreeing field is therefore discounted by
log2(k / j) bits, j of the k pairs that recorded it reaching the best level: nothing when
every record agrees, the full union bound when one of many does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from ._compare import FIELDS, compare
from ._config import (
    MatchConfig,
    combine_parts,
    district_frequency_adjustment,
    family_ceiling,
    family_pair_ceilings,
    name_frequency_adjustment,
)
from ._features import Features

_GIVEN, _PLACE = FIELDS.index("given_name"), FIELDS.index("place")


def pair_field_weights(
    cfg: MatchConfig,
    fa: Features,
    fb: Features,
    frequency_a: float,
    frequency_b: float,
    levels: tuple[int, ...] | None = None,
    district_a: float = 0.0,
    district_b: float = 0.0,
) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """(level, weight) per field of one pair, the given name's weight with the
    term-frequency adjustment of the larger of the two given-name shares, the district's
    with that of the larger of the two district shares. ``levels``: ``compare(fa, fb)``
    when the caller has it already."""
    weights = cfg.weights()
    if levels is None:
        levels = compare(fa, fb)
    fw = [weights[name][lv] for name, lv in zip(FIELDS, levels, strict=True)]
    fw[_GIVEN] += name_frequency_adjustment(cfg, levels[_GIVEN], max(frequency_a, frequency_b))
    fw[_PLACE] += district_frequency_adjustment(cfg, levels[_PLACE], max(district_a, district_b))
    return levels, tuple(fw)


def evidence_parts(
    cfg: MatchConfig, field_weights: tuple[float, ...]
) -> tuple[float, float, float, bool, bool]:
    """(open evidence, ceiling, person evidence, family pair, scored as family):
    ``combine_parts``, ``family_pair_mask`` and ``family_scored_mask`` for one set of field
    weights."""
    open_evidence, ceiling, person = combine_parts(cfg, field_weights)
    # family_pair_mask and family_scored_mask in plain floats (the same operations, so the
    # same results as the arrays): the clustering asks this for every pair of groups.
    negative = ceiling - family_ceiling(cfg, person)
    reaches = open_evidence - person - negative >= cfg.household_cap - 1e-6
    family = reaches and negative > -1e-6
    scored = reaches if cfg.family_mixture and cfg.family_disagreeing else family
    return open_evidence, ceiling, person, family, scored


def pair_parts(
    cfg: MatchConfig,
    fa: Features,
    fb: Features,
    frequency_a: float,
    frequency_b: float,
    district_a: float = 0.0,
    district_b: float = 0.0,
) -> tuple[float, float, float, bool, bool]:
    """``evidence_parts`` of one pair of records: the same as the batch pipeline's arrays
    (``_batch.pair_evidence`` and ``family_pair_mask``) for that pair."""
    weights = pair_field_weights(
        cfg, fa, fb, frequency_a, frequency_b, district_a=district_a, district_b=district_b
    )[1]
    return evidence_parts(cfg, weights)


class GroupScorer:
    """Log2 odds that two groups of records are one person, from their combined evidence
    (module docstring), under a run's prior and family shift (``_api.scored_candidates``).

    ``feature_of`` and ``frequency_of`` give a record's features and given-name share by
    its index, ``district_of`` (with ``district_frequency``) its district's share;
    ``levels_of``, if given, ``compare`` of two records by their indices
    (``_batch.RecordPairLevels``, faster than comparing the features). Pairs are compared
    as they are asked for and not kept: the clustering asks about each pair of groups once
    (``cluster``), and at a million records a store of the compared pairs would cost about
    a gigabyte for a few percent fewer comparisons.
    """

    def __init__(
        self,
        cfg: MatchConfig,
        feature_of: Callable[[int], Features],
        frequency_of: Callable[[int], float],
        family_shift: float,
        prior: float,
        levels_of: Callable[[int, int], tuple[int, ...]] | None = None,
        district_of: Callable[[int], float] | None = None,
    ) -> None:
        self._cfg = cfg
        self._district_of = district_of
        self._levels_of = levels_of
        self._feature_of = feature_of
        self._frequency_of = frequency_of
        self._shift = family_shift
        self._prior = prior
        # Each field's weight per level, and the frequency adjustments per (level, share):
        # the clustering asks for hundreds of thousands of pairs, a few shares and levels.
        weights = cfg.weights()
        self._tables = [weights[name] for name in FIELDS]
        self._given_adjust: dict[tuple[int, float], float] = {}
        self._district_adjust: dict[tuple[int, float], float] = {}

    def field_weights(
        self, group_a: Sequence[int], group_b: Sequence[int], discount: bool = False
    ) -> tuple[float, ...]:
        """Per field, the highest weight over the pairs across the groups that recorded it
        on both sides (level above 0), or 0 where none did; with ``discount``, an agreeing
        field's weight less ``selection_discount`` for how few of those pairs reached it."""
        best: list[float | None] = [None] * len(FIELDS)
        best_level = [0] * len(FIELDS)
        recorded = [0] * len(FIELDS)
        at_best = [0] * len(FIELDS)
        pair_weights = self._pair_weights
        for i in group_a:
            for j in group_b:
                levels, weights = pair_weights(i, j) if i < j else pair_weights(j, i)
                for c, level in enumerate(levels):
                    if not level:
                        continue
                    recorded[c] += 1
                    # Pairs at one level count together: the given name's weight also
                    # varies with the names' frequencies.
                    same_level = level == best_level[c]
                    if best[c] is None or weights[c] > best[c]:
                        best[c] = weights[c]
                        at_best[c] = at_best[c] + 1 if same_level else 1
                        best_level[c] = level
                    elif same_level:
                        at_best[c] += 1
        out = []
        for c, w in enumerate(best):
            if w is None:
                out.append(0.0)
            elif discount and w > 0:
                out.append(max(0.0, w - selection_discount(recorded[c], at_best[c])))
            else:
                out.append(w)
        return tuple(out)

    def _pair_weights(self, x: int, y: int) -> tuple[tuple[int, ...], list[float]]:
        """``pair_field_weights`` of records ``x`` and ``y``, from the tables (the same
        operations on the same numbers, so the same weights)."""
        if self._levels_of is None:
            levels = compare(self._feature_of(x), self._feature_of(y))
        else:
            levels = self._levels_of(x, y)
        fw = [table[lv] for table, lv in zip(self._tables, levels, strict=True)]
        key = (levels[_GIVEN], max(self._frequency_of(x), self._frequency_of(y)))
        adjust = self._given_adjust.get(key)
        if adjust is None:
            adjust = self._given_adjust[key] = name_frequency_adjustment(self._cfg, *key)
        fw[_GIVEN] += adjust
        district_of = self._district_of
        if district_of is None:
            key = (levels[_PLACE], 0.0)
        else:
            key = (levels[_PLACE], max(district_of(x), district_of(y)))
        adjust = self._district_adjust.get(key)
        if adjust is None:
            adjust = self._district_adjust[key] = district_frequency_adjustment(self._cfg, *key)
        fw[_PLACE] += adjust
        return levels, fw

    def __call__(
        self, group_a: Sequence[int], group_b: Sequence[int], discount: bool = False
    ) -> float:
        open_evidence, ceiling, person, _, family = evidence_parts(
            self._cfg, self.field_weights(group_a, group_b, discount)
        )
        if family and self._cfg.estimate_family:
            # The run measured its family pairs' odds (``_api.scored_candidates``).
            ceiling = float(family_pair_ceilings(self._cfg, ceiling, person, self._shift))
        return min(open_evidence + self._prior, ceiling)


def selection_discount(recorded: int, at_best: int) -> float:
    """Bits taken off a field's best agreement when ``at_best`` of the ``recorded`` pairs
    across two groups reached it (module docstring): log2(recorded / at_best)."""
    if recorded <= at_best or at_best <= 0:
        return 0.0
    return math.log2(recorded / at_best)
