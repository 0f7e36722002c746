from __future__ import annotations

import logging
import shutil

import pytest

from setu.linkage import MatchConfig, dedupe, dedupe_spark

from .test_engine import synthetic
from .test_groups import namesakes

pytestmark = pytest.mark.spark

# A JVM that lives for one test: the client compiler only and the serial collector spend less
# CPU warming up and collecting than the server defaults, which pay off only in long jobs. They
# change how the JVM runs, not what Spark computes (docs/testing.md).
SHORT_LIVED_JVM = {"spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"}


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")
def test_spark_backend_gives_same_clusters_as_local() -> None:
    pytest.importorskip("pyspark")
    # py4j logs its shutdown after pytest has closed the captured streams.
    logging.getLogger("py4j").setLevel(logging.ERROR)
    from setu.linkage._spark import local_session

    # The namesakes make the group-evidence rule refuse a merge on both backends.
    records = synthetic(120, seed=4)[0] + namesakes()
    spark = local_session(cores=2, conf=SHORT_LIVED_JVM)
    try:
        local = dedupe(records)
        assert local["B1"] == "B1" and local["A3"] == "A1"
        assert dedupe_spark(records, spark=spark) == local
        # Small blocks force the sorted-window path for oversized blocks as well, and a
        # small reference size the register-scaled prior.
        small = MatchConfig(block_size=6, window=3, broad_window=2, prior_reference_records=40)
        assert dedupe_spark(records, spark=spark, threshold=0.6, config=small) == dedupe(
            records, threshold=0.6, config=small
        )
        # The estimated prior (opt-in) is the same on both backends.
        estimate = MatchConfig(estimate_prior=True, prior_range=(-30.0, -1.0))
        assert dedupe_spark(records, spark=spark, config=estimate) == dedupe(
            records, config=estimate
        )
    finally:
        spark.stop()
