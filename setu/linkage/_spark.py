"""Spark backend: the same blocking, scoring and clustering, run with PySpark.

Blocking and scoring, the parts that grow with the data, run on the cluster; the
constrained clustering runs on the driver over the edges above threshold and the
conflict pairs, which are a small fraction of the candidates. Every step calls the
same Python functions as the local pipeline, so clusters are identical.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ._api import all_pairs, edge_floor
from ._batch import log2_odds
from ._blocking import BROAD_PREFIXES, blocking_keys, sort_key
from ._cluster import cannot_link_mask, cluster, components, labels_to_clusters
from ._compare import compare
from ._config import (
    PRIOR_BINS_PER_BIT,
    MatchConfig,
    estimate_prior_log2_odds,
    family_ceiling,
    family_shift_bits,
    register_prior_log2_odds,
)
from ._features import district_frequency_key, features, name_frequency_key
from ._groups import GroupScorer, pair_parts
from ._learn import district_pair_levels, learn_from_patterns, pattern_codes, random_pair_levels
from ._records import COLUMNS, PersonRecord, check_unique_ids


def _import_pyspark() -> Any:
    try:
        import pyspark
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ImportError(
            "dedupe_spark needs PySpark: pip install 'setu[bench]' (or pyspark) and Java 17"
        ) from exc
    return pyspark, SparkSession


def local_session(
    app_name: str = "setu-linkage", cores: int = 2, conf: dict[str, str] | None = None
) -> Any:
    """A small local Spark session suitable for tests and single machines; ``conf`` adds or
    overrides Spark settings (read when the session's JVM starts)."""
    _, SparkSession = _import_pyspark()
    # Workers must import setu.linkage from the same place as the driver.
    root = str(Path(__file__).resolve().parent.parent.parent)
    path = os.environ.get("PYTHONPATH", "")
    if root not in path.split(os.pathsep):
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (root, path) if p)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    settings = {
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": str(max(2, cores * 2)),
        "spark.default.parallelism": str(max(2, cores * 2)),
        "spark.driver.memory": "1g",
        "spark.ui.showConsoleProgress": "false",
        **(conf or {}),
    }
    builder = SparkSession.builder.master(f"local[{cores}]").appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def _row_to_record(row: Any) -> PersonRecord:
    values = {c: (row[c] or "") for c in COLUMNS if c != "age"}
    return PersonRecord(**values, age=row["age"])


def _keys_partition(rows: Iterator[Any]) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        f = features(_row_to_record(row))
        sk = sort_key(f, row["idx"])
        for k in dict.fromkeys(blocking_keys(f)):
            yield (k, *sk)


def _name_key_partition(rows: Iterator[Any]) -> Iterator[tuple[str, str]]:
    for row in rows:
        f = features(_row_to_record(row))
        yield name_frequency_key(f), district_frequency_key(f)


def _score_partition(
    cfg: MatchConfig, name_counts: dict[str, int], district_counts: dict[str, int], n_records: int
) -> Any:
    share = _name_share(name_counts, n_records)
    district = _district_share(cfg, district_counts, n_records)

    def run(rows: Iterator[Any]) -> Iterator[tuple[Any, ...]]:
        for row in rows:
            fa = features(_row_to_record(row["a"]))
            fb = features(_row_to_record(row["b"]))
            # The same scores as dedupe (same float operations).
            parts = pair_parts(cfg, fa, fb, share(fa), share(fb), district(fa), district(fb))
            # The disagreeing household fields' weight, for family_pair_ceilings.
            negative = parts[1] - family_ceiling(cfg, parts[2])
            yield (row["a"]["idx"], row["b"]["idx"], *parts, negative)

    return run


def _pattern_partition(rows: Iterator[Any]) -> Iterator[int]:
    import numpy as np

    for row in rows:
        levels = compare(features(_row_to_record(row["a"])), features(_row_to_record(row["b"])))
        yield int(pattern_codes(np.asarray([levels], dtype=np.int8))[0])


def _district_share(cfg: MatchConfig, district_counts: dict[str, int], n_records: int) -> Any:
    def share(f: Any) -> float:
        key = district_frequency_key(f)
        if not cfg.district_frequency or not key:
            return 0.0
        return district_counts.get(key, 0) / n_records

    return share


def _name_share(name_counts: dict[str, int], n_records: int) -> Any:
    def share(f: Any) -> float:
        key = name_frequency_key(f)
        return name_counts.get(key, 0) / n_records if key else 0.0

    return share


def dedupe_spark(
    records: Sequence[PersonRecord],
    *,
    spark: Any = None,
    threshold: float | None = None,
    config: MatchConfig | None = None,
) -> dict[str, str]:
    """dedupe() on Apache Spark; same result, for data bigger than one machine."""
    _import_pyspark()
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    cfg = config or MatchConfig()
    t = cfg.match_threshold if threshold is None else threshold
    if not 0 < t < 1:
        raise ValueError("threshold must be a probability between 0 and 1")
    records = list(records)
    check_unique_ids(records)
    if not records:
        return {}
    spark = spark or local_session()
    schema = T.StructType(
        [T.StructField("idx", T.LongType(), False)]
        + [
            T.StructField(c, T.IntegerType() if c == "age" else T.StringType(), True)
            for c in COLUMNS
        ]
    )
    rows = [(i, *[getattr(r, c) for c in COLUMNS]) for i, r in enumerate(records)]
    df = spark.createDataFrame(rows, schema)

    key_schema = T.StructType(
        [
            T.StructField("key", T.StringType()),
            T.StructField("s_sex", T.StringType()),
            T.StructField("s_year", T.IntegerType()),
            T.StructField("s_area", T.StringType()),
            T.StructField("s_family", T.StringType()),
            T.StructField("idx", T.LongType()),
        ]
    )
    keys = spark.createDataFrame(df.rdd.mapPartitions(_keys_partition), key_schema)
    # Same order inside a block as the local pipeline: sort_key, then record index.
    order = Window.partitionBy("key").orderBy("s_sex", "s_year", "s_area", "s_family", "idx")
    keyed = (
        keys.withColumn("rn", F.row_number().over(order))
        .withColumn("size", F.count("*").over(Window.partitionBy("key")))
        .where(F.col("size") > 1)
    )
    # Same reach as the local pipeline (see _batch.candidate_pairs).
    broad = F.lit(False)
    for prefix in BROAD_PREFIXES:
        broad = broad | F.col("key").startswith(prefix)
    reach = (
        F.when(F.col("size") <= cfg.block_size, F.col("size") - 1)
        .when(
            broad,
            F.lit(min(cfg.broad_window, cfg.window, cfg.block_size - 1)),
        )
        .otherwise(F.lit(min(cfg.window, cfg.block_size - 1)))
    )
    probes = keyed.withColumn("k", F.explode(F.sequence(F.lit(1), F.greatest(reach, F.lit(1)))))
    probes = probes.select("key", F.col("idx").alias("i"), (F.col("rn") + F.col("k")).alias("rn"))
    targets = keyed.select("key", "rn", F.col("idx").alias("j"))
    pairs = (
        probes.join(targets, ["key", "rn"])
        .select(F.least("i", "j").alias("a"), F.greatest("i", "j").alias("b"))
        .where(F.col("a") != F.col("b"))
        .distinct()
    )
    rec = df.select(F.col("idx"), F.struct(*df.columns).alias("r"))
    joined = pairs.join(rec.withColumnRenamed("idx", "a").withColumnRenamed("r", "ra"), "a").join(
        rec.withColumnRenamed("idx", "b").withColumnRenamed("r", "rb"), "b"
    )
    structs = joined.select(F.col("ra").alias("a"), F.col("rb").alias("b"))
    scored_schema = T.StructType(
        [
            T.StructField("a", T.LongType()),
            T.StructField("b", T.LongType()),
            T.StructField("open", T.DoubleType()),
            T.StructField("ceiling", T.DoubleType()),
            T.StructField("person", T.DoubleType()),
            T.StructField("family", T.BooleanType()),
            T.StructField("scored", T.BooleanType()),
            T.StructField("negative", T.DoubleType()),
        ]
    )
    keys = df.rdd.mapPartitions(_name_key_partition)
    name_counts = dict(keys.map(lambda k: k[0]).countByValue())
    district_counts = dict(keys.map(lambda k: k[1]).countByValue())
    if cfg.learn_weights:
        # The same histogram of level patterns as dedupe, in the same (ascending) order, and
        # the same random pairs compared on the driver, so the same learned weights.
        hist = sorted(structs.rdd.mapPartitions(_pattern_partition).countByValue().items())
        cfg = learn_from_patterns(
            cfg,
            [c for c, _ in hist],
            [k for _, k in hist],
            random_pair_levels(records, cfg),
            register_prior_log2_odds(cfg, all_pairs(records)),
            district_pair_levels(records, cfg),
            all_pairs(records),
        )
    scorer = _score_partition(cfg, name_counts, district_counts, len(records))
    scored = spark.createDataFrame(structs.rdd.mapPartitions(scorer), scored_schema)
    thr = log2_odds(t)
    shift = 0.0
    if cfg.estimate_family:
        # The same histogram of the family pairs' person evidence as dedupe, in the same
        # (sorted) order, so the same shift.
        fam = (
            scored.where(F.col("family"))
            .select(F.rint(F.col("person") * PRIOR_BINS_PER_BIT).cast("long").alias("p"))
            .groupBy("p")
            .count()
            .collect()
        )
        fam.sort(key=lambda r: r["p"])
        shift = family_shift_bits(cfg, [r["p"] for r in fam], [r["count"] for r in fam])
        if shift or cfg.family_mixture:
            # family_pair_ceilings, in Spark's columns.
            measured = (
                F.lit(cfg.prior_log2_odds + cfg.household_cap + shift)
                + F.col("person")
                + F.col("negative")
                if cfg.family_mixture
                else F.col("ceiling") + F.lit(shift)
            )
            which = F.col("scored") if cfg.family_mixture else F.col("family")
            scored = scored.withColumn(
                "ceiling", F.when(which, measured).otherwise(F.col("ceiling"))
            )
    n_pairs = all_pairs(records)
    prior = register_prior_log2_odds(cfg, n_pairs)
    if cfg.estimate_prior:
        # The same histogram of evidence as dedupe (weight_bins: rint of 1/64 bits, half
        # to even in numpy and in Java), so the same estimated prior.
        hist = (
            scored.select(
                F.rint(F.col("open") * PRIOR_BINS_PER_BIT).cast("long").alias("o"),
                F.rint(F.col("ceiling") * PRIOR_BINS_PER_BIT).cast("long").alias("c"),
            )
            .groupBy("o", "c")
            .count()
            .collect()
        )
        hist.sort(key=lambda r: (r["o"], r["c"]))  # numpy's order, so the same sums
        prior = estimate_prior_log2_odds(
            cfg,
            [r["o"] for r in hist],
            [r["c"] for r in hist],
            [r["count"] for r in hist],
            n_pairs,
        )
    scored = scored.withColumn("total", F.least(F.col("open") + F.lit(prior), F.col("ceiling")))
    support = edge_floor(cfg, t)  # the same edges as dedupe
    conflict = F.col("person") < cfg.cannot_link_person_weight  # cannot_link_mask
    if cfg.cannot_link_mirror:
        conflict = conflict & (F.col("total") <= -log2_odds(t))
    kept = scored.where((F.col("total") >= support) | conflict).collect()
    edges = [(r["total"], r["a"], r["b"]) for r in kept if r["total"] >= support]
    # As in dedupe, only conflicts the edges could bring into one group matter.
    group = components(len(records), [e[1] for e in edges], [e[2] for e in edges])
    conflict = cannot_link_mask(
        cfg, [r["total"] for r in kept], [r["person"] for r in kept], t
    ).tolist()
    cannot = [
        (r["a"], r["b"])
        for r, bad in zip(kept, conflict, strict=True)
        if bad and group[r["a"]] == group[r["b"]]
    ]
    group_score = None
    if cfg.group_evidence:
        # Only records of merging groups are scored on the driver: a small fraction.
        feature_of = functools.cache(lambda i: features(records[i]))
        share = _name_share(name_counts, len(records))
        district = _district_share(cfg, district_counts, len(records))
        group_score = GroupScorer(
            cfg,
            feature_of,
            lambda i: share(feature_of(i)),
            shift,
            prior,
            district_of=lambda i: district(feature_of(i)),
        )
    labels = cluster(
        len(records),
        edges,
        cannot,
        cfg,
        thr,
        log2_odds(max(cfg.strict_threshold, t)),
        group_score,
        support,
    )
    return labels_to_clusters([r.record_id for r in records], labels)
