"""MatchIndex: incremental in-memory index for check-at-entry and search-as-you-type."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ._compare import FIELDS, compare
from ._config import MatchConfig, combine, probability
from ._explain import Explanation, explain_features
from ._features import Features, features
from ._keys import index_keys_of, posting_cap, query_keys_of
from ._records import PersonRecord


@dataclass(frozen=True, slots=True)
class Candidate:
    record_id: str
    probability: float
    weight: float
    _explain: Callable[[], Explanation] = field(repr=False, compare=False)

    @property
    def explanation(self) -> Explanation:
        """Field-by-field evidence; computed on demand (search results rarely need it)."""
        return self._explain()


class MatchIndex:
    """Records indexed by blocking key, scored on demand. Add and remove in O(keys)."""

    def __init__(
        self, records: Iterable[PersonRecord] = (), *, config: MatchConfig | None = None
    ) -> None:
        self.config = config or MatchConfig()
        self._records: dict[str, PersonRecord] = {}
        self._feats: dict[str, Features] = {}
        self._keys: dict[str, tuple[str, ...]] = {}
        self._postings: dict[str, dict[str, None]] = {}
        for r in records:
            self.add(r)

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._records

    def add(self, record: PersonRecord) -> None:
        """Add or replace a record (same record_id replaces)."""
        if record.record_id in self._records:
            self.remove(record.record_id)
        f = features(record)
        keys = tuple(index_keys_of(f))
        self._records[record.record_id] = record
        self._feats[record.record_id] = f
        self._keys[record.record_id] = keys
        for k in keys:
            self._postings.setdefault(k, {})[record.record_id] = None

    def remove(self, record_id: str) -> None:
        """Remove a record; KeyError if it is not in the index."""
        del self._records[record_id]
        del self._feats[record_id]
        for k in self._keys.pop(record_id):
            post = self._postings[k]
            del post[record_id]
            if not post:
                del self._postings[k]

    def _candidate_ids(self, f: Features) -> set[str]:
        cap = self.config.index_posting_cap
        found: set[str] = set()
        oversized: list[dict[str, None]] = []
        for k in query_keys_of(f):
            post = self._postings.get(k)
            if not post:
                continue
            if len(post) <= posting_cap(k, self.config):
                found.update(post)
            else:
                oversized.append(post)
        if not found and oversized:
            # Only very common keys (e.g. a bare common first name): show the most
            # recently added few rather than nothing.
            for post in oversized:
                found.update(list(post)[-cap:])
        return found

    def candidates(
        self, record: PersonRecord, *, limit: int = 10, min_probability: float = 0.2
    ) -> list[Candidate]:
        """Indexed records that may be the same person as ``record``, best first."""
        cfg = self.config
        f = features(record)
        weights = cfg.weights()
        scored: list[tuple[float, str]] = []
        for rid in self._candidate_ids(f):
            if rid == record.record_id:
                continue
            levels = compare(f, self._feats[rid])
            fw = tuple(weights[n][lv] for n, lv in zip(FIELDS, levels, strict=True))
            total = combine(cfg, fw)[0]
            if probability(total) >= min_probability:
                scored.append((total, rid))
        scored.sort(key=lambda s: (-s[0], s[1]))
        out = []
        for total, rid in scored[:limit]:
            other, of = self._records[rid], self._feats[rid]
            out.append(
                Candidate(
                    rid,
                    probability(total),
                    total,
                    lambda o=other, of=of: explain_features(record, o, f, of, cfg),
                )
            )
        return out
