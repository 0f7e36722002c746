"""Spark backend placeholder (filled in below)."""

from __future__ import annotations


def dedupe_spark(records, *, spark=None, threshold=None):  # type: ignore[no-untyped-def]
    raise NotImplementedError
