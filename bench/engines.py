"""Engine runners. Each runs inside its own worker process (see run.py) so
that peak memory is measured per engine and per data set.

Timings cover interchange CSV -> clusters (reading, normalising, training
where the engine trains, scoring, clustering); interpreter start-up and
imports are excluded.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from pathlib import Path
from typing import Any

from bench.datasets import read_truth, write_clusters


def setu_dedupe(input_csv: Path, clusters_csv: Path) -> dict[str, Any]:
    from setu.linkage import dedupe, read_records

    started = time.perf_counter()
    records = read_records(input_csv)
    clusters = dedupe(records)
    seconds = time.perf_counter() - started
    write_clusters(clusters, clusters_csv)
    return {"seconds": seconds, "records": len(records)}


# Splink sees the same CSV after the light cleaning Splink's own tutorials
# do: lower case, punctuation stripped, phone reduced to its last ten digits;
# dob is a full ISO date where the record has one, birth_year comes from the
# date, from a bare year, or from age at recording time.
_SPLINK_PREP_SQL = r"""
CREATE TABLE records AS
WITH raw AS (SELECT * FROM read_csv('{path}', header = true, all_varchar = true))
SELECT
    record_id AS unique_id,
    nullif(trim(regexp_replace(lower(given_name), '[^\p{{L}}\p{{M}} ]', '', 'g')), '')
        AS given_name,
    nullif(trim(regexp_replace(lower(family_name), '[^\p{{L}}\p{{M}} ]', '', 'g')), '')
        AS family_name,
    nullif(trim(regexp_replace(lower(father_name), '[^\p{{L}}\p{{M}} ]', '', 'g')), '')
        AS father_name,
    nullif(trim(regexp_replace(lower(mother_name), '[^\p{{L}}\p{{M}} ]', '', 'g')), '')
        AS mother_name,
    nullif(trim(regexp_replace(lower(village), '[^\p{{L}}\p{{M}}0-9 ]', '', 'g')), '')
        AS village,
    nullif(trim(lower(district)), '') AS district,
    nullif(trim(lower(state)), '') AS state,
    nullif(right(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), 10), '') AS phone,
    nullif(upper(trim(sex)), '') AS sex,
    CASE WHEN length(birth_date) = 10 THEN birth_date END AS dob,
    coalesce(
        try_cast(substr(birth_date, 1, 4) AS INTEGER),
        year(try_cast(recorded_on AS DATE)) - try_cast(age AS INTEGER)
    ) AS birth_year
FROM raw
"""

# Columns Splink may model; only those that carry data in an input are used.
_SPLINK_COLUMNS = (
    "given_name",
    "family_name",
    "father_name",
    "mother_name",
    "dob",
    "birth_year",
    "village",
    "district",
    "state",
    "phone",
    "sex",
)

# Candidate blocking rules, most specific first. A rule is used for prediction
# when its columns are present and it makes at most _MAX_RULE_PAIRS comparisons
# (Splink's docs: check each rule's count with the blocking analysis and keep
# the union of manageable rules that together cover the true matches).
_PREDICTION_RULES: tuple[tuple[str, ...], ...] = (
    ("phone",),
    ("given_name", "family_name"),
    ("dob",),
    ("given_name",),
    ("family_name",),
    ("district",),
    ("given_name", "birth_year"),
    ("family_name", "birth_year"),
    ("given_name", "district"),
    ("family_name", "district"),
    ("family_name", "village"),
    ("given_name", "village"),
    ("father_name", "family_name"),
    ("father_name", "district"),
    ("birth_year", "district"),
    ("village", "district"),
)
_MAX_RULE_PAIRS = 2_000_000


def _rule_pairs(con: Any, cols: tuple[str, ...]) -> int:
    where = " AND ".join(f"{c} IS NOT NULL" for c in cols)
    keys = ", ".join(cols)
    sql = (
        f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM "
        f"(SELECT count(*) AS n FROM records WHERE {where} GROUP BY {keys})"
    )
    return int(con.execute(sql).fetchall()[0][0])


def splink_config(con: Any) -> dict[str, Any]:
    """The Splink set-up for the table ``records`` in ``con``: which columns carry
    data, the comparisons, and the blocking rules for prediction, the prior and EM,
    chosen from the data the way Splink's tutorials do (no truth is looked at)."""
    counts = {
        col: con.execute(f"SELECT count({col}) FROM records").fetchall()[0][0]
        for col in _SPLINK_COLUMNS
    }
    present = {c for c, k in counts.items() if k > 0}
    # Full dates of birth: DateOfBirthComparison, as in Splink's FEBRL examples,
    # when most records that state a birth give the full date; else (ages and
    # years, as Indian case records mostly hold) year levels.
    full_dates = counts["dob"] >= 0.5 * max(counts["birth_year"], 1)
    pairs = {rule: _rule_pairs(con, rule) for rule in _PREDICTION_RULES if set(rule) <= present}
    prediction = [r for r, n in pairs.items() if n <= _MAX_RULE_PAIRS]
    if ("given_name", "family_name") in pairs:
        prediction.append("swap")  # given and family name written the other way round
    birth = ("dob",) if full_dates else ("birth_year",)
    deterministic = [
        r
        for r in (
            ("given_name", "family_name", *birth),
            ("phone", "given_name"),
            ("given_name", "family_name", "father_name"),
        )
        if set(r) <= present
    ]

    def em_rule(*options: tuple[str, ...]) -> tuple[str, ...] | None:
        # The first option whose blocked pairs are a manageable, informative sample.
        for opt in options:
            if set(opt) <= present and 0 < _rule_pairs(con, opt) <= 5 * _MAX_RULE_PAIRS:
                return opt
        return None

    em = [
        r
        for r in (
            em_rule(birth, (*birth, "district")),
            em_rule(("district",), ("district", "family_name"), ("district", "given_name")),
            em_rule(("given_name", "family_name")),
        )
        if r
    ]
    em = list(dict.fromkeys(em))
    return {
        "present": sorted(present),
        "full_dates": full_dates,
        "prediction_rules": prediction,
        "rule_pairs": {"+".join(r): n for r, n in pairs.items()},
        "deterministic_rules": deterministic,
        "em_rules": em,
    }


def splink_dedupe(
    input_csv: Path,
    clusters_csv: Path,
    *,
    threshold: float = 0.9,
    max_pairs: float = 1e7,
    seed: int = 1,
    edges_csv: Path | None = None,
) -> dict[str, Any]:
    """Splink 5 on DuckDB, set up per data set as Splink's documentation teaches.

    Comparisons (only for columns with data): NameComparison with term-frequency
    adjustment for given and family name, NameComparison for father's and mother's
    name; DateOfBirthComparison on full dates, else birth-year levels (exact,
    within 1, within 5 for rounded ages); Jaro-Winkler 0.9/0.8 on village;
    district exact with term frequencies (Damerau-Levenshtein 1/2 when it holds
    postcodes, as in Splink's FEBRL 4 example); state exact with term frequencies;
    phone and sex exact. Training: the prior from deterministic rules (recall 0.8),
    u from random pairs, m by EM over several blocking rules. Clusters are the
    connected components of pairs at ``threshold``; every scored pair (p ≥ 0.01)
    is written to ``edges_csv`` so the parent can sweep thresholds untimed.
    """
    import logging

    import duckdb
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(_SPLINK_PREP_SQL.format(path=str(input_csv).replace("'", "''")))
    n = con.execute("SELECT count(*) FROM records").fetchall()[0][0]
    cfg = splink_config(con)
    present = set(cfg["present"])

    comparisons: list[Any] = []
    for col in ("given_name", "family_name", "father_name", "mother_name"):
        if col in present:
            comparisons.append(cl.NameComparison(col).configure(term_frequency_adjustments=True))
    if cfg["full_dates"]:
        comparisons.append(
            cl.DateOfBirthComparison(
                "dob", input_is_string=True, datetime_format="%Y-%m-%d", invalid_dates_as_null=True
            )
        )
    elif "birth_year" in present:
        comparisons.append(
            cl.CustomComparison(
                output_column_name="birth_year",
                comparison_levels=[
                    cll.NullLevel("birth_year"),
                    cll.ExactMatchLevel("birth_year"),
                    cll.AbsoluteDifferenceLevel("birth_year", 1),
                    cll.AbsoluteDifferenceLevel("birth_year", 5),
                    cll.ElseLevel(),
                ],
            )
        )
    if "village" in present:
        comparisons.append(cl.JaroWinklerAtThresholds("village", [0.9, 0.8]))
    if "district" in present:
        numeric = con.execute(
            "SELECT bool_and(regexp_full_match(district, '[0-9]+')) FROM records "
            "WHERE district IS NOT NULL"
        ).fetchall()[0][0]
        district = (
            cl.DamerauLevenshteinAtThresholds("district", [1, 2])
            if numeric
            else cl.ExactMatch("district")
        )
        comparisons.append(district.configure(term_frequency_adjustments=True))
    if "state" in present:
        comparisons.append(cl.ExactMatch("state").configure(term_frequency_adjustments=True))
    for col in ("phone", "sex"):
        if col in present:
            comparisons.append(cl.ExactMatch(col))

    def rule(cols: tuple[str, ...] | str) -> Any:
        if cols == "swap":
            return "l.given_name = r.family_name AND l.family_name = r.given_name"
        return block_on(*cols)

    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[rule(r) for r in cfg["prediction_rules"]],
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register("records")
    linker = Linker(sdf, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [rule(r) for r in cfg["deterministic_rules"]], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for r in cfg["em_rules"]:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule(r), estimate_without_term_frequencies=True, max_pairs=2e6
        )
    predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.01))
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    rows = clustered.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall()
    seconds = time.perf_counter() - started
    write_clusters({str(u): str(c) for u, c in rows}, clusters_csv)
    if edges_csv is not None:
        # Untimed: the scored pairs, so the parent can find the threshold that
        # would have been best against the truth (an oracle choice).
        rel = predictions.as_duckdbpyrelation()
        rel = rel.select("unique_id_l, unique_id_r, match_probability, match_weight")
        rel.write_csv(str(edges_csv))
    cfg["prediction_rules"] = ["+".join(r) if r != "swap" else r for r in cfg["prediction_rules"]]
    cfg["deterministic_rules"] = ["+".join(r) for r in cfg["deterministic_rules"]]
    cfg["em_rules"] = ["+".join(r) for r in cfg["em_rules"]]
    prior = getattr(linker._settings_obj, "_probability_two_random_records_match", None)
    return {
        "seconds": seconds,
        "records": n,
        "threshold": threshold,
        "splink_config": cfg,
        "prior": prior,
    }


def setu_latency(
    input_csv: Path, truth_csv: Path, *, queries: int, limit: int = 10, seed: int = 1
) -> dict[str, Any]:
    """Single-record candidate search against an index of the other records.

    Queries are records held out of the index; ``hit_rate`` is the share of
    those (whose person has other records in the index) with a true match
    among the returned candidates.
    """
    from setu.linkage import MatchIndex, read_records

    records = read_records(input_csv)
    truth = read_truth(truth_csv)
    rng = random.Random(seed)
    held = set(rng.sample(range(len(records)), min(queries, len(records))))
    indexed = [r for i, r in enumerate(records) if i not in held]
    probes = [records[i] for i in sorted(held)]
    started = time.perf_counter()
    index = MatchIndex(indexed)
    build_seconds = time.perf_counter() - started
    in_index: dict[str, int] = {}
    for r in indexed:
        pid = truth[r.record_id]
        in_index[pid] = in_index.get(pid, 0) + 1
    latencies: list[float] = []
    hits = answerable = 0
    for probe in probes:
        t0 = time.perf_counter()
        found = index.candidates(probe, limit=limit)
        latencies.append((time.perf_counter() - t0) * 1000)
        pid = truth[probe.record_id]
        if in_index.get(pid):
            answerable += 1
            hits += any(truth.get(c.record_id) == pid for c in found)
    latencies.sort()
    return {
        "index_records": len(indexed),
        "queries": len(probes),
        "build_seconds": build_seconds,
        "p50_ms": statistics.median(latencies),
        # Nearest-rank percentile.
        "p95_ms": latencies[max(0, math.ceil(0.95 * len(latencies)) - 1)],
        "hit_rate": hits / answerable if answerable else None,
    }
