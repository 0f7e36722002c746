"""Index keys: the one definition of the keys MatchIndex files and looks records up under.

Public as ``index_keys`` / ``query_keys`` so that an application can keep its own index (e.g.
database rows) that finds exactly the candidates ``MatchIndex`` would.
"""

from __future__ import annotations

import hashlib

from ._blocking import blocking_keys, is_broad_key
from ._config import MatchConfig
from ._features import Features, features, given_keys
from ._records import PersonRecord

# Bump when the keys for the same record change (format, blocking rules, normalisation of the
# fields they use): an application's stored keys from an older version are then stale.
INDEX_KEYS_VERSION = 6


def posting_cap(key: str, config: MatchConfig | None = None) -> int:
    """How many postings of ``key`` a lookup reads before it skips the key as too common.

    The broad kinds (``is_broad_key``: first-name sound alone, family name in a district) get
    the lower ``index_broad_posting_cap``; narrower keys usually stand in for them.
    """
    cfg = config or MatchConfig()
    if is_broad_key(key):
        return min(cfg.index_posting_cap, cfg.index_broad_posting_cap)
    return cfg.index_posting_cap


def _band_keys(f: Features, near: bool) -> list[str]:
    """Given-name sound x sex x 5-year birth band: keeps common-name postings small."""
    if f.birth is None or f.birth.kind == "age?":
        bands = ["x"]
    else:
        c = f.birth.center
        if near:
            span = f.birth.tol + 3.0
            bands = sorted({str(int((c + d) // 5)) for d in (-span, 0.0, span)})
        else:
            bands = [str(int(c // 5))]
    # A query without a recorded sex looks in both.
    sexes = [f.sex] if f.sex or not near else ["", "F", "M", "X"]
    return [f"gs:{g}:{s}:{b}" for g in given_keys(f) for s in sexes for b in bands]


def _stable(key: str) -> str:
    """``kind:`` + a 96-bit blake2b digest of the rest.

    Fixed length (fits a database column), the same in every process (unlike ``hash()``), and
    no name sound or phone number in clear text in an application's key table. The kind prefix
    stays readable so that callers can treat the broad ``g:`` keys differently.
    """
    kind, _, rest = key.partition(":")
    digest = hashlib.blake2b(rest.encode(), digest_size=12, person=b"setu-keys-v2").hexdigest()
    return f"{kind}:{digest}"


def _keys(f: Features, *, near: bool) -> list[str]:
    raw = blocking_keys(f) + _band_keys(f, near=near)
    return list(dict.fromkeys(_stable(k) for k in raw))


def index_keys_of(f: Features) -> list[str]:
    """``index_keys`` for already computed features (MatchIndex computes them once)."""
    return _keys(f, near=False)


def query_keys_of(f: Features) -> list[str]:
    """``query_keys`` for already computed features."""
    return _keys(f, near=True)


def index_keys(record: PersonRecord, *, config: MatchConfig | None = None) -> list[str]:
    """The keys a stored record is filed under, without duplicates, in a stable order.

    The engine's blocking keys (given-name sound, with district or family; all name words;
    phone; parents; village) plus given-name sound x sex x 5-year birth band. Each key is
    ``kind:hexdigest`` (at most 40 characters), deterministic across processes and Python
    runs; ``is_broad_key`` tells the broad kinds (first-name sound alone, family name in a
    district), whose posting lists an index should cap lower.
    The format is versioned by ``INDEX_KEYS_VERSION``. ``config`` is accepted for symmetry with
    ``MatchIndex`` (the keys do not depend on it today).
    """
    return index_keys_of(features(record))


def query_keys(record: PersonRecord, *, config: MatchConfig | None = None) -> list[str]:
    """The keys to look up when searching candidates for ``record``.

    A superset of the record's own ``index_keys``: neighbouring birth bands (estimated ages are
    uncertain), and every sex when the record has none. A record is a candidate for ``record``
    if it was filed under any of these keys (``MatchIndex`` then skips keys whose posting list
    exceeds ``config.index_posting_cap``, or ``config.index_broad_posting_cap`` for the broad
    keys that ``is_broad_key`` tells).
    """
    return query_keys_of(features(record))
