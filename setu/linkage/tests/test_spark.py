from __future__ import annotations

import shutil

import pytest

from setu.linkage import dedupe, dedupe_spark

from .test_engine import synthetic

pytestmark = pytest.mark.spark


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")
def test_spark_backend_gives_same_clusters_as_local() -> None:
    pytest.importorskip("pyspark")
    from setu.linkage._spark import local_session

    records, _ = synthetic(120, seed=4)
    spark = local_session(cores=2)
    try:
        assert dedupe_spark(records, spark=spark) == dedupe(records)
        assert dedupe_spark(records, spark=spark, threshold=0.6) == dedupe(records, threshold=0.6)
    finally:
        spark.stop()
