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
# do: lower case, punctuation stripped, phone reduced to its last ten digits,
# a birth year derived from birth_date or from age at recording time.
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


def splink_dedupe(
    input_csv: Path,
    clusters_csv: Path,
    *,
    threshold: float = 0.9,
    max_pairs: float = 5e6,
    seed: int = 1,
) -> dict[str, Any]:
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
    # Only model columns that carry data in this input (FEBRL has no
    # parents, phone or sex); all-null comparisons only add noise to EM.
    present = {
        col
        for col in (
            "given_name",
            "family_name",
            "father_name",
            "mother_name",
            "village",
            "district",
            "phone",
            "sex",
            "birth_year",
        )
        if con.execute(f"SELECT count({col}) FROM records").fetchall()[0][0] > 0
    }
    comparisons: list[Any] = []
    for col in ("given_name", "family_name", "father_name", "mother_name"):
        if col in present:
            comp = cl.NameComparison(col)
            if col in ("given_name", "family_name"):
                comp = comp.configure(term_frequency_adjustments=True)
            comparisons.append(comp)
    if "birth_year" in present:
        comparisons.append(
            cl.CustomComparison(
                output_column_name="birth",
                comparison_levels=[
                    cll.NullLevel("birth_year"),
                    cll.ExactMatchLevel("dob"),
                    cll.ExactMatchLevel("birth_year"),
                    cll.AbsoluteDifferenceLevel("birth_year", 2),
                    cll.ElseLevel(),
                ],
            )
        )
    if "village" in present:
        comparisons.append(cl.JaroWinklerAtThresholds("village", [0.9, 0.8]))
    if "district" in present:
        comparisons.append(cl.ExactMatch("district").configure(term_frequency_adjustments=True))
    for col in ("phone", "sex"):
        if col in present:
            comparisons.append(cl.ExactMatch(col))

    def rules(*candidates: tuple[str, ...]) -> list[Any]:
        return [block_on(*cols) for cols in candidates if set(cols) <= present]

    blocking = rules(
        ("phone",),
        ("given_name", "birth_year"),
        ("family_name", "birth_year"),
        ("given_name", "village"),
        ("given_name", "family_name"),
        ("father_name",),
        ("family_name", "village"),
        ("given_name", "district"),
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register("records")
    linker = Linker(sdf, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        rules(("given_name", "family_name", "birth_year"), ("phone", "given_name")),
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in rules(("given_name", "family_name"), ("birth_year", "district")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, record_sample_proportion=1.0
        )
    predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.5))
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    rows = clustered.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall()
    seconds = time.perf_counter() - started
    write_clusters({str(u): str(c) for u, c in rows}, clusters_csv)
    # Untimed: the same predictions clustered at other thresholds, so the
    # report can show Splink's best achievable F1 (a generous, oracle choice).
    sweep = {}
    for t in sorted({0.5, 0.8, 0.9, 0.95, 0.99, 0.999} - {threshold}):
        if t < min(threshold, 0.5):
            continue
        other = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=t
        )
        path = clusters_csv.with_name(f"{clusters_csv.stem}.t{t}.csv")
        rel = other.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall()
        write_clusters({str(u): str(c) for u, c in rel}, path)
        sweep[str(t)] = str(path)
    return {"seconds": seconds, "records": n, "threshold": threshold, "sweep": sweep}


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
