"""Setu record linkage: find the same person across organisations' records.

A plain Python library (no Django): normalise Indian names, ages and places, block,
score pairs Fellegi-Sunter style, cluster with safeguards, and explain in words.
"""

from ._api import DedupeResult, ReviewPair, ScoredPair, dedupe, dedupe_review, explain, link
from ._blocking import is_broad_key
from ._config import MatchConfig
from ._explain import Explanation, FieldEvidence
from ._index import Candidate, MatchIndex
from ._keys import INDEX_KEYS_VERSION, index_keys, posting_cap, query_keys
from ._records import LinkageInputError, PersonRecord, read_records
from ._spark import dedupe_spark
from ._text import to_latin

__all__ = [
    "INDEX_KEYS_VERSION",
    "Candidate",
    "DedupeResult",
    "Explanation",
    "FieldEvidence",
    "LinkageInputError",
    "MatchConfig",
    "MatchIndex",
    "PersonRecord",
    "ReviewPair",
    "ScoredPair",
    "dedupe",
    "dedupe_review",
    "dedupe_spark",
    "explain",
    "index_keys",
    "is_broad_key",
    "link",
    "posting_cap",
    "query_keys",
    "read_records",
    "to_latin",
]
