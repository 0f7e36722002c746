"""Public index keys: the same keys MatchIndex uses, stable across processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

from setu.linkage import (
    MatchConfig,
    MatchIndex,
    PersonRecord,
    index_keys,
    is_broad_key,
    posting_cap,
    query_keys,
)

from .test_engine import synthetic


def _lookup(records: list[PersonRecord], query: PersonRecord, cap: int) -> set[str]:
    """Candidates found through the public keys alone, with MatchIndex's posting caps."""
    postings: dict[str, list[str]] = {}
    for r in records:
        for k in index_keys(r):
            postings.setdefault(k, []).append(r.record_id)
    found: set[str] = set()
    oversized: list[list[str]] = []
    for k in query_keys(query):
        post = postings.get(k)
        if not post:
            continue
        limit = min(cap, 50) if is_broad_key(k) else cap
        if len(post) <= limit:
            found.update(post)
        else:
            oversized.append(post)
    if not found:
        for post in oversized:
            found.update(post[-cap:])
    return found - {query.record_id}


def test_index_candidates_equal_a_lookup_by_the_public_keys(girl: PersonRecord) -> None:
    records, _ = synthetic(300, seed=5)
    records.append(girl)
    cfg = MatchConfig(index_posting_cap=20)
    index = MatchIndex(records, config=cfg)
    queries = [
        *records[:40],
        replace(girl, record_id="q1", given_name="Pooja", family_name="", age=19,
                recorded_on="2024-05-01", sex=""),
        PersonRecord("q2", given_name="Puja"),
        PersonRecord("q3", phone="9830012345"),
    ]  # fmt: skip
    nonempty = 0
    for q in queries:
        expected = _lookup(records, q, cfg.index_posting_cap)
        got = {c.record_id for c in index.candidates(q, limit=10**6, min_probability=0.0)}
        assert got == expected, q.record_id
        nonempty += bool(got)
    assert nonempty >= 30
    assert "M-1" in _lookup(records, queries[-3], cfg.index_posting_cap)


def test_posting_cap_is_lower_for_the_broad_keys(girl: PersonRecord) -> None:
    keys = query_keys(girl)
    broad = [k for k in keys if is_broad_key(k)]
    narrow = [k for k in keys if not is_broad_key(k)]
    assert broad and narrow
    cfg = MatchConfig(index_posting_cap=120, index_broad_posting_cap=30)
    assert {posting_cap(k, cfg) for k in broad} == {30}
    assert {posting_cap(k, cfg) for k in narrow} == {120}
    # The broad cap never exceeds the general one.
    assert posting_cap(broad[0], MatchConfig(index_posting_cap=10)) == 10
    assert posting_cap(narrow[0]) == MatchConfig().index_posting_cap


def test_query_keys_cover_the_records_own_index_keys(girl: PersonRecord) -> None:
    own = index_keys(girl)
    assert own and len(own) == len(set(own))
    assert set(own) <= set(query_keys(girl))
    assert any(k.startswith("g:") for k in own)
    assert all(len(k) <= 40 for k in own)
    # No name or phone in clear text in the keys an application stores.
    assert not any("9830012345" in k or "puja" in k.lower() for k in own)
    assert index_keys(girl, config=MatchConfig()) == own
    assert index_keys(PersonRecord("empty")) == []


_SCRIPT = """
import json
from setu.linkage import PersonRecord, index_keys, query_keys
r = PersonRecord("1", given_name="Puja Kumari", family_name="Khatun", sex="F", age=14,
                 recorded_on="2019-06-01", father_name="Rafiqul", district="Murshidabad",
                 state="West Bengal", phone="9830012345", village="Khargram", alias="Munni")
print(json.dumps([index_keys(r), query_keys(r)]))
"""


def test_keys_are_deterministic_across_processes() -> None:
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, check=True
        )
        outs.append(json.loads(done.stdout))
    assert outs[0] == outs[1]
    assert len(outs[0][0]) >= 8
