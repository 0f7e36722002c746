"""Vectorised batch pipeline: features -> candidate pairs -> levels -> weights."""

from __future__ import annotations

import functools
import gc
import math
import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any, ParamSpec, TypeVar

from ._blocking import blocking_keys, is_broad_key, sort_key
from ._compare import (
    _SIMILAR,
    FAMILY_DIFFERENT,
    FAMILY_SIMILAR,
    FAMILY_SOUND,
    FIELDS,
    PreparedName,
    PreparedParent,
    PreparedVillage,
    compare_birth,
    compare_parent,
    compare_place,
    compare_prepared_names,
    compare_prepared_parents,
    compare_prepared_villages,
    compare_village,
    date_digits,
    initial_agrees,
    is_initial,
    married_level,
    married_levels,
)
from ._config import (
    HOUSEHOLD_INDEX,
    PERSON_INDEX,
    SAME_DISTRICT,
    TF_LEVELS,
    MatchConfig,
    family_ceilings,
)
from ._features import (
    Features,
    district_frequency_key,
    features_of,
    name_frequency_key,
)
from ._records import PersonRecord
from ._text import phonetic_key

_P = ParamSpec("_P")
_R = TypeVar("_R")


def without_cycle_collection(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """``fn`` with Python's cyclic garbage collector paused while it runs.

    A run holds millions of long-lived objects (features, prepared descriptors, memo
    entries), and every full collection walks all of them: at 100,000 records the
    collections took about an eighth of a dedupe's CPU time, for no garbage, since
    the pipeline's temporaries are freed by reference counting. Any cycles made meanwhile
    are collected once the collector runs again. Nothing computed depends on it.
    """

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper


def _np() -> Any:
    try:
        import numpy as np
    except ImportError as exc:  # pragma: no cover - numpy ships with pandas
        raise ImportError("batch linkage needs numpy; install it (pip install numpy)") from exc
    return np


def _progress(iterable: Any, enabled: bool, desc: str, total: int | None = None) -> Any:
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, desc=desc, total=total, leave=False)


@dataclass
class Frame:
    feats: list[Features]
    ids: Any  # np.ndarray of descriptor ids per comparator, shape (n_comparators, n)
    tables: list[list[Any]]  # descriptor values per comparator, index = id
    # Per comparator, descriptors prepared for comparison (``_PAIRWISE``), filled as needed.
    prepared: dict[int, list[Any]] = field(default_factory=dict)

    def prepared_table(self, c: int, prepare: Callable[[Any], Any], ids: Any) -> list[Any]:
        """Comparator ``c``'s table with at least the descriptors ``ids`` prepared."""
        table = self.prepared.get(c)
        if table is None:
            table = self.prepared[c] = [None] * len(self.tables[c])
        raw = self.tables[c]
        for i in ids.tolist():
            if table[i] is None:
                table[i] = prepare(raw[i])
        return table


_COMPARATORS: tuple[tuple[str, Callable[[Features], Hashable]], ...] = (
    ("name", lambda f: f.name),
    ("sex", lambda f: f.sex),
    ("birth", lambda f: f.birth),
    ("father", lambda f: f.father),
    ("mother", lambda f: f.mother),
    ("village", lambda f: f.village),
    ("place", lambda f: f.place),
    ("phone", lambda f: f.phone),
)


def build_frame(records: Sequence[PersonRecord], progress: bool = False) -> Frame:
    np = _np()
    feats = features_of(_progress(records, progress, "normalising", len(records)))
    ids = np.empty((len(_COMPARATORS), len(feats)), dtype=np.int64)
    tables: list[list[Any]] = []
    for c, (attr, _) in enumerate(_COMPARATORS):
        # Records with equal columns share one descriptor object (``features_of``), so
        # the records are grouped by object identity with numpy (every object stays alive
        # in ``feats``, so an id() is never reused) and only the distinct objects are
        # hashed. Ids are given per distinct value in order of first appearance: the
        # objects are visited in that order, so a value gets its id at its first record.
        objs = list(map(attrgetter(attr), feats))
        addresses = np.fromiter(map(id, objs), dtype=np.uint64, count=len(objs))
        _, first, inverse = np.unique(addresses, return_index=True, return_inverse=True)
        seen: dict[Hashable, int] = {}
        value_id = np.empty(len(first), dtype=np.int64)
        at = first.tolist()
        for k in np.argsort(first, kind="stable").tolist():
            value_id[k] = seen.setdefault(objs[at[k]], len(seen))
        ids[c] = value_id[inverse.reshape(-1)]
        tables.append(list(seen))
    return Frame(feats, ids, tables)


def candidate_pairs(
    feats: Sequence[Features], cfg: MatchConfig, side: Any = None
) -> tuple[Any, Any]:
    """Unique (i, j), i < j, sharing a blocking key; big blocks via sorted windows.

    With ``side`` (0/1 per record) only pairs across the two sides are kept.
    """
    np = _np()
    n = len(feats)
    # Keys are grouped by their 64-bit hash, kept in flat arrays: at a million records
    # there are ~8 million (record, key) entries and a dict of key strings would not fit
    # comfortably. A hash collision could only add candidates, never change a score,
    # and the result does not depend on the hash values themselves. From
    # ``_FORK_MIN_RECORDS`` records a forked process (same string hashes: it inherits the
    # hash seed) hashes the second half of the records' keys while this one hashes the first.
    half = n // 2 if n >= _FORK_MIN_RECORDS and _can_fork() else n
    forked = _Forked(lambda: _key_hashes(feats, half, n)) if half < n else None
    order = sorted(range(n), key=lambda i: sort_key(feats[i], i))
    rank = np.empty(n, dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(n, dtype=np.int64)
    rec_a, kh, broad_a = _key_hashes(feats, 0, half)
    if forked is not None:
        rest = forked.result()
        rec_a, kh, broad_a = (
            np.concatenate([x, y]) for x, y in zip((rec_a, kh, broad_a), rest, strict=True)
        )
    if not len(rec_a):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    _, key_a = distinct_inverse(kh)
    sizes = np.bincount(key_a)
    del kh
    keep = sizes[key_a] > 1
    rec_a, key_a, broad_a = rec_a[keep], key_a[keep], broad_a[keep]
    srt = np.lexsort((rank[rec_a], key_a))
    rec_a, key_a, broad_a = rec_a[srt], key_a[srt], broad_a[srt]
    big = sizes[key_a] > cfg.block_size
    broad_big = big & broad_a
    if side is not None:
        side = np.asarray(side)
    # One int64 code per pair, built window by window: at a million records there are
    # over a hundred million raw pairs, and holding them as separate a/b arrays before
    # removing repeats was the run's peak memory.
    parts = []
    for k in range(1, cfg.block_size):
        if k >= len(key_a):
            break
        same = key_a[:-k] == key_a[k:]
        if k > cfg.window:
            same &= ~big[:-k]
        elif k > cfg.broad_window:
            same &= ~broad_big[:-k]
        if not same.any():
            break
        x, y = rec_a[:-k][same], rec_a[k:][same]
        lo, hi = np.minimum(x, y), np.maximum(x, y)
        keep = lo != hi
        if side is not None:
            keep &= side[lo] != side[hi]
        parts.append(lo[keep] * n + hi[keep])
    codes = distinct_sorted(np.concatenate(parts) if parts else np.empty(0, dtype=np.int64))
    return codes // n, codes % n


def _key_hashes(feats: Sequence[Features], start: int, stop: int) -> tuple[Any, Any, Any]:
    """(record index, key hash, broad key?) of every blocking key of records start..stop,
    in slices of records, so that only one slice's key strings exist at a time."""
    np = _np()
    rec_parts, kh_parts, broad_parts = [], [], []
    for lo in range(start, stop, 50_000):
        keys = [blocking_keys(f) for f in feats[lo : min(lo + 50_000, stop)]]
        flat = list(chain.from_iterable(keys))
        counts = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        rec_parts.append(np.repeat(np.arange(lo, lo + len(keys), dtype=np.int64), counts))
        kh_parts.append(np.fromiter(map(hash, flat), dtype=np.int64, count=len(flat)))
        broad_parts.append(np.fromiter(map(is_broad_key, flat), dtype=bool, count=len(flat)))
        del keys, flat
    if not rec_parts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=bool)
    return np.concatenate(rec_parts), np.concatenate(kh_parts), np.concatenate(broad_parts)


def _run_starts(ordered: Any) -> Any:
    """True where a sorted array's value differs from the one before it."""
    np = _np()
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return first


def distinct_sorted(values: Any) -> Any:
    """The distinct values, ascending; sorts ``values`` in place.

    np.unique without return_inverse takes a hash-based path in numpy 2.3+ that is
    ~20 times slower than sorting for tens of millions of int64 codes (measured: 46 s
    against 2.2 s for 30 million).
    """
    values.sort()
    return values[_run_starts(values)]


def distinct_inverse(values: Any) -> tuple[Any, Any]:
    """(distinct values ascending, index of each value's distinct entry): np.unique's
    return_inverse by one argsort, ~1.5 times faster on the chunk sizes used here."""
    np = _np()
    order = np.argsort(values)
    ordered = values[order]
    first = _run_starts(ordered)
    inverse = np.empty(len(values), dtype=np.intp)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


_WORK: tuple[Any, ...] = ()
_PARALLEL_MIN = 100_000


def _levels_of(fn: Callable[[Any, Any], Any], table: list[Any], base: int, codes: Any) -> Any:
    # int8 arrays, not lists of Python ints: a worker's result crosses a pipe, and a
    # pickled array is a fraction of the size and unpickles without a Python object per level.
    np = _np()
    return np.asarray([fn(table[c // base], table[c % base]) for c in codes], dtype=np.int8)


def _chunk_worker(bounds: tuple[int, int]) -> Any:
    fn, table, base, codes = _WORK
    return _levels_of(fn, table, base, codes[bounds[0] : bounds[1]])


# Set in a process forked by ``_Forked``: it is one of two processes on two cores already.
_IN_FORK = False


def _workers() -> int:
    if _IN_FORK:
        return 1
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, min(n, 8))


def _map_pairs(fn: Callable[[Any, Any], Any], table: list[Any], base: int, codes: list[int]) -> Any:
    """fn over distinct value pairs; forked worker processes when there are many.

    The comparators are pure functions, so the split cannot change the result.
    """
    global _WORK
    workers = _workers()
    if len(codes) < _PARALLEL_MIN or workers < 2 or "fork" not in mp.get_all_start_methods():
        return _levels_of(fn, table, base, codes)
    _WORK = (fn, table, base, codes)
    try:
        step = -(-len(codes) // (workers * 4))
        bounds = [(s, min(s + step, len(codes))) for s in range(0, len(codes), step)]
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_chunk_worker, bounds)
    finally:
        _WORK = ()
    return _np().concatenate(parts)


class LevelMemo:
    """Levels of the value pairs one comparator has already seen in this run.

    Candidate pairs are scored in chunks, and a common pair of values (two spellings of
    one father's name, two villages of one block) recurs in many of them: at a million
    records a third of the per-chunk comparisons were repeats. Sorted codes with their
    levels cost ~9 bytes per distinct pair, far less than recomparing them.
    """

    def __init__(self, width: int) -> None:
        np = _np()
        self.width = width
        self.codes = np.empty(0, dtype=np.int64)
        self.levels = np.empty((0, width), dtype=np.int8)

    def levels_of(self, uniq: Any, compare: Callable[[Any], Any]) -> Any:
        """Levels for sorted distinct codes; ``compare`` is called only on unseen ones."""
        np = _np()
        pos = np.searchsorted(self.codes, uniq)
        seen = np.zeros(len(uniq), dtype=bool)
        inside = pos < len(self.codes)
        seen[inside] = self.codes[pos[inside]] == uniq[inside]
        out = np.empty((len(uniq), self.width), dtype=np.int8)
        out[seen] = self.levels[pos[seen]]
        fresh = ~seen
        if fresh.any():
            new_codes = uniq[fresh]
            new_levels = np.asarray(compare(new_codes), dtype=np.int8).reshape(-1, self.width)
            out[fresh] = new_levels
            # uniq is sorted, so the insertion points are too and the memo stays sorted.
            at = pos[fresh]
            self.codes = np.insert(self.codes, at, new_codes)
            self.levels = np.insert(self.levels, at, new_levels, axis=0)
        return out


def _pair_levels(
    ida: Any,
    idb: Any,
    table: list[Any],
    fn: Callable[[Any, Any], Any],
    width: int,
    memo: LevelMemo | None = None,
    prepared: Callable[[Any], list[Any]] | None = None,
    batch: Callable[[list[Any], int, Any], Any] | None = None,
) -> Any:
    """Apply a scalar comparator once per distinct pair of descriptor values.

    With ``prepared`` (descriptor ids -> a table with those prepared), ``fn`` is given
    the prepared descriptors instead of ``table``'s.
    """
    np = _np()
    lo, hi = np.minimum(ida, idb), np.maximum(ida, idb)
    base = len(table) + 1
    codes = lo * base + hi  # Frame ids are int64, so the product cannot overflow
    del lo, hi
    uniq, inv = distinct_inverse(codes)
    del codes

    def compare(c: Any) -> Any:
        values = table
        if prepared is not None:
            # Before the workers fork, so that they inherit the prepared descriptors.
            values = prepared(distinct_sorted(np.concatenate([c // base, c % base])))
        if batch is not None:
            return batch(values, base, c)
        return _map_pairs(fn, values, base, c.tolist())

    out = (memo or LevelMemo(width)).levels_of(uniq, compare)
    return out[inv]


def _equality_levels(ida: Any, idb: Any, table: list[Any]) -> Any:
    """missing / different / same for fields compared by equality (sex, phone)."""
    np = _np()
    empty = np.asarray([not v for v in table], dtype=bool)
    out = np.where(ida == idb, 2, 1).astype(np.int8)
    out[empty[ida] | empty[idb]] = 0
    return out


def _birth_arrays(table: list[Any]) -> dict[str, Any]:
    np = _np()
    kinds = {"date": 1, "ym": 2, "year": 3, "age": 4, "age?": 5}
    cols: dict[str, list[float]] = {k: [] for k in ("kind", "c", "tol", "y", "m", "d")}
    for b in table:
        cols["kind"].append(0 if b is None else kinds[b.kind])
        cols["c"].append(0.0 if b is None else b.center)
        cols["tol"].append(0.0 if b is None else b.tol)
        cols["y"].append(-1 if b is None or b.year is None else b.year)
        cols["m"].append(-1 if b is None or b.month is None else b.month)
        cols["d"].append(-2 if b is None or b.day is None else b.day)
    return {k: np.asarray(v) for k, v in cols.items()}


def _one_typo_apart(x: Any, y: Any) -> Any:
    """Vectorised one_typo_apart for arrays of YYYYMMDD integers (8 digits)."""
    np = _np()
    x, y = np.asarray(x, dtype=np.int64), np.asarray(y, dtype=np.int64)
    p = 10 ** np.arange(7, -1, -1, dtype=np.int64)
    dx = (x[:, None] // p) % 10
    dy = (y[:, None] // p) % 10
    diff = dx != dy
    n = diff.sum(axis=1)
    # Adjacent transposition: exactly positions i, i+1 differ and are swapped.
    swap = diff[:, :-1] & diff[:, 1:] & (dx[:, :-1] == dy[:, 1:]) & (dx[:, 1:] == dy[:, :-1])
    valid = (x >= 0) & (y >= 0) & (x < 10**8) & (y < 10**8)
    return valid & ((n == 1) | ((n == 2) & swap.any(axis=1)))


def _birth_levels(ida: Any, idb: Any, table: list[Any]) -> Any:
    """Vectorised compare_birth (kept equal to it by a test)."""
    np = _np()
    t = _birth_arrays(table)
    ka, kb = t["kind"][ida], t["kind"][idb]
    ya, yb = t["y"][ida], t["y"][idb]
    ma, mb, da, db = t["m"][ida], t["m"][idb], t["d"][ida], t["d"][idb]
    gap = np.abs(t["c"][ida] - t["c"][idb]) - t["tol"][ida] - t["tol"][idb]
    out = np.where(gap <= 1e-9, 3, np.where(gap <= 2.0, 2, 1)).astype(np.int8)
    out[(ya >= 0) & (ya == yb)] = 4
    dates = (ka == 1) & (kb == 1)
    d = np.nonzero(dates)[0]
    typo = _one_typo_apart(date_digits(ya[d], ma[d], da[d]), date_digits(yb[d], mb[d], db[d]))
    out[d[typo]] = 5
    both_dates = dates & (ya == yb)
    out[both_dates & (ma == db) & (da == mb)] = 6
    out[both_dates & (ma == mb) & (da == db)] = 7
    out[(ka == 0) | (kb == 0) | ((ka == 5) != (kb == 5))] = 0
    return out


def _string_column(values: list[Any], ids: Any, attr: str) -> Any:
    np = _np()
    out = np.empty(len(values), dtype=object)
    for i in ids.tolist():
        out[i] = getattr(values[i], attr)
    return out


def _cpdist(a: Any, b: Any, scorer: Any, dtype: Any) -> Any:
    from rapidfuzz import process

    # Threads on both cores for big batches (rapidfuzz releases the GIL).
    workers = _workers() if len(a) >= 100_000 else 1
    return process.cpdist(a, b, scorer=scorer, dtype=dtype, workers=workers)


def _jw_at_least(a: Any, b: Any, cutoff: float) -> Any:
    """``_compare._jw`` of each pair of strings >= cutoff.

    rapidfuzz's pairwise form can differ from its scalar form in the last bit of the
    float (another order of operations), and a similarity can fall exactly on a cutoff
    (0.9 is 27/30), so pairs within 1e-9 of the cutoff are scored again the scalar way.
    """
    np = _np()
    from rapidfuzz.distance import JaroWinkler

    if len(a) == 0:
        return np.zeros(0, dtype=bool)
    sim = _cpdist(a, b, JaroWinkler.normalized_similarity, np.float64)
    out = sim >= cutoff
    for k in np.nonzero(np.abs(sim - cutoff) < 1e-9)[0].tolist():
        out[k] = JaroWinkler.normalized_similarity(a[k], b[k]) >= cutoff
    return out


def _similar_v(a: Any, b: Any, la: Any, lb: Any) -> Any:
    """``_compare._similar`` of each pair of strings (``la``/``lb``: their lengths)."""
    np = _np()
    from rapidfuzz.distance import OSA

    out = _jw_at_least(a, b, _SIMILAR)
    n = np.minimum(la, lb)
    rest = np.nonzero(~out & (n >= 4))[0]
    if len(rest):
        dist = _cpdist(a[rest], b[rest], OSA.distance, np.int64)
        out[rest] = dist <= np.where(n[rest] < 8, 1, 2)
    return out


def _sounds_v(ka: Any, sa: Any, kb: Any, sb: Any, lka: Any) -> Any:
    """``_compare._sounds_k`` of each pair: sound keys ``ka``/``kb`` (``lka``: the lengths
    of ``ka``), skeletons ``sa``/``sb``."""
    np = _np()
    out = ka == kb
    rest = np.nonzero(~out & (sa == sb) & (lka >= 3))[0]
    out[rest] = _jw_at_least(ka[rest], kb[rest], 0.85)
    return out


def _one_key(keys: frozenset[str], joined: str) -> bool:
    return (not keys and not joined) or (len(keys) == 1 and joined in keys)


def _one_alias(p: PreparedName) -> bool:
    return len(p.alias) <= 1 and (
        (not p.alias and not p.sak) or (len(p.alias_w) == 1 and p.sak == {p.alias_w[0][1]})
    )


def _simple_name(p: PreparedName) -> bool:
    """A name of at most one given, one family and one alias word, one key per word: for
    two such names ``compare_prepared_names`` reduces to the steps ``prepared_name_levels``
    takes over arrays (the key-set tests become tests of single keys, and the test of
    every given word's sound against the other's is the one-word test before it). A name
    whose family name was split off its given names is also read as written, which only
    the scalar comparator does."""
    return (
        p.unsplit is None
        and len(p.given) <= 1
        and len(p.family) <= 1
        and _one_alias(p)
        and _one_key(p.sgk, p.kg)
        and _one_key(p.sfk, p.jfk)
        and not any(map(is_initial, p.family))
    )


def prepared_name_levels(values: list[Any], base: int, codes: Any) -> Any:
    """``compare_prepared_names(values[c // base], values[c % base])`` for each pair code
    ``c``, shape (len(codes), 2) int8: pairs of simple names (``_simple_name``, most
    names) step by step over arrays, with rapidfuzz's pairwise scorers for the string
    similarities; the rest through the scalar comparator. Equal to the scalar comparator
    on every pair (``test_speed_equivalence``)."""
    np = _np()
    codes = np.asarray(codes, dtype=np.int64)
    out = np.empty((len(codes), 2), dtype=np.int8)
    lo, hi = codes // base, codes % base
    used = distinct_sorted(np.concatenate([lo, hi]))
    simple = np.zeros(len(values), dtype=bool)
    for i in used.tolist():
        simple[i] = _simple_name(values[i])
    ok = simple[lo] & simple[hi]
    rest = np.nonzero(~ok)[0]
    if len(rest):
        out[rest] = np.asarray(
            _map_pairs(compare_prepared_names, values, base, codes[rest].tolist()), dtype=np.int8
        ).reshape(-1, 2)
    pos = np.nonzero(ok)[0]
    if not len(pos):
        return out
    L, H = lo[pos], hi[pos]
    ids = distinct_sorted(np.concatenate([L, H]))
    col = {a: _string_column(values, ids, a) for a in ("ja", "jf", "kg", "jfk", "kfull")}
    gsnd = _string_column(values, ids, "ja_snd")
    fsnd = _string_column(values, ids, "jf_snd")
    for a in ("gk", "gs", "fk", "fs", "al", "ak", "as"):
        col[a] = np.empty(len(values), dtype=object)
    lens = {a: np.zeros(len(values), dtype=np.int64) for a in ("ja", "jf", "gk", "fk", "al", "ak")}
    has_given, has_family, has_alias = (np.zeros(len(values), dtype=bool) for _ in range(3))
    n_gkeys = np.zeros(len(values), dtype=np.int64)
    for i in ids.tolist():
        v = values[i]
        col["gk"][i], col["gs"][i] = gsnd[i]
        col["fk"][i], col["fs"][i] = fsnd[i]
        col["al"][i], col["ak"][i], col["as"][i] = v.alias_w[0] if v.alias_w else ("", "", "")
        for a in lens:
            lens[a][i] = len(col[a][i])
        has_given[i], has_family[i], has_alias[i] = bool(v.given), bool(v.family), bool(v.alias)
        n_gkeys[i] = len(v.sgk)
    given = np.zeros(len(pos), dtype=np.int8)
    has_fa, has_fb = has_family[L], has_family[H]

    # Family level: missing unless both recorded; sound (same key); similar spelling;
    # different ("married" is decided later, from the records' sex).
    fam = np.zeros(len(pos), dtype=np.int8)
    both = np.nonzero(has_fa & has_fb)[0]
    fam[both] = FAMILY_DIFFERENT
    x, y = L[both], H[both]
    same = col["jfk"][x] == col["jfk"][y]
    fam[both[same]] = FAMILY_SOUND
    t = both[~same]
    similar = _similar_v(col["jf"][L[t]], col["jf"][H[t]], lens["jf"][L[t]], lens["jf"][H[t]])
    fam[t[similar]] = FAMILY_SIMILAR
    family = fam.copy()

    def near(xs: Any, xa: str, xk: str, ys: Any, ya: str, yk: str) -> Any:
        """``_near_k`` of word ``xa`` of records ``xs`` and word ``ya`` of records ``ys``."""
        xks, yks = (xk + "k", xk + "s"), (yk + "k", yk + "s")
        out = _sounds_v(
            col[xks[0]][xs], col[xks[1]][xs], col[yks[0]][ys], col[yks[1]][ys], lens[xks[0]][xs]
        )
        r = np.nonzero(~out)[0]
        out[r] = _similar_v(col[xa][xs[r]], col[ya][ys[r]], lens[xa][xs[r]], lens[ya][ys[r]])
        return out

    # Given level, in compare_prepared_names' order; ``u`` holds the undecided pairs.
    u = np.nonzero(has_given[L] & has_given[H])[0]

    def settle(cond: Any, level: int, family_level: int | None = None) -> Any:
        done = u[cond]
        given[done] = level
        if family_level is not None:
            family[done] = family_level
        return u[~cond]

    u = settle(col["ja"][L[u]] == col["ja"][H[u]], 7)
    x, y = L[u], H[u]
    u = settle(
        (col["kg"][x] == col["kg"][y])
        | _sounds_v(col["gk"][x], col["gs"][x], col["gk"][y], col["gs"][y], lens["gk"][x]),
        6,
    )
    u = settle(col["kfull"][L[u]] == col["kfull"][H[u]], 6, FAMILY_SOUND)
    x, y = L[u], H[u]
    near_ab = np.zeros(len(u), dtype=bool)
    r = np.nonzero(has_fb[u])[0]
    near_ab[r] = near(x[r], "ja", "g", y[r], "jf", "f")
    near_ba = np.zeros(len(u), dtype=bool)
    r = np.nonzero(has_fa[u])[0]
    near_ba[r] = near(x[r], "jf", "f", y[r], "ja", "g")
    swapped = near_ab & near_ba
    u, near_ab, near_ba = settle(swapped, 5, FAMILY_SOUND), near_ab[~swapped], near_ba[~swapped]
    u = settle(near_ab | near_ba, 4)
    # The alias rule: each alias word against the other name's given and alias words.
    x, y = L[u], H[u]
    alias = np.zeros(len(u), dtype=bool)
    one_g = n_gkeys == 1
    for p_, q_ in ((x, y), (y, x)):
        r = np.nonzero(has_alias[p_])[0]
        pa, qa = p_[r], q_[r]
        hit = (one_g[qa] & (col["ak"][pa] == col["kg"][qa])) | (
            has_alias[qa] & (col["ak"][pa] == col["ak"][qa])
        )
        for word, key in (("ja", "g"), ("al", "a")):
            t = np.nonzero(~hit & (lens["al"][pa] >= 3) & (lens[word][qa] >= 3))[0]
            if word == "al":
                t = t[has_alias[qa[t]]]
            hit[t] = near(pa[t], "al", "a", qa[t], word, key)
        alias[r] |= hit
    u = settle(alias, 3)
    x, y = L[u], H[u]
    spelt = _similar_v(col["ja"][x], col["ja"][y], lens["ja"][x], lens["ja"][y])
    r = np.nonzero(~spelt & (np.minimum(lens["ja"][x], lens["ja"][y]) >= 4))[0]
    spelt[r] = _jw_at_least(col["kg"][x[r]], col["kg"][y[r]], 0.9)
    u = settle(spelt, 2)
    given[u] = 1
    out[pos, 0] = given
    out[pos, 1] = family
    return out


def _pair_ids(base: int, codes: Any) -> tuple[Any, Any, Any]:
    """(left ids, right ids, distinct ids) of pair codes."""
    np = _np()
    codes = np.asarray(codes, dtype=np.int64)
    lo, hi = codes // base, codes % base
    return lo, hi, distinct_sorted(np.concatenate([lo, hi]))


def parent_levels(values: list[Any], base: int, codes: Any) -> Any:
    """``compare_parent`` for each pair code over arrays (equal to it on every pair,
    ``test_speed_equivalence``): keys worked out once per distinct parent's name."""
    np = _np()
    lo, hi, ids = _pair_ids(base, codes)
    size = len(values)
    nk, k0, joined = (np.empty(size, dtype=object) for _ in range(3))
    keyset = np.empty(size, dtype=object)
    present = np.zeros(size, dtype=bool)
    several = np.zeros(size, dtype=bool)  # more than one distinct word key
    initials = np.zeros(size, dtype=bool)
    for i in ids.tolist():
        v = values[i]
        if not v:
            continue
        initials[i] = any(map(is_initial, v))
        keys = tuple(phonetic_key(t) for t in v)
        present[i] = True
        nk[i], k0[i], joined[i] = "".join(keys), keys[0], " ".join(v)
        keyset[i] = frozenset(keys)
        several[i] = len(keyset[i]) > 1
    out = np.zeros(len(lo), dtype=np.int8)
    u = np.nonzero(present[lo] & present[hi])[0]
    same = nk[lo[u]] == nk[hi[u]]
    out[u[same]] = 4
    u = u[~same]
    part = k0[lo[u]] == k0[hi[u]]
    # A key set inside the other: with one key on each side that is the first-key test.
    for k in np.nonzero(~part & (several[lo[u]] | several[hi[u]]))[0].tolist():
        ka, kb = keyset[lo[u[k]]], keyset[hi[u[k]]]
        part[k] = ka <= kb or kb <= ka
    out[u[part]] = 3
    u = u[~part]
    close = _jw_at_least(joined[lo[u]], joined[hi[u]], _SIMILAR)
    out[u[close]] = 2
    u = u[~close]
    out[u] = 1
    for k in np.nonzero(initials[lo[u]] | initials[hi[u]])[0].tolist():
        if initial_agrees(values[lo[u[k]]], values[hi[u[k]]]):
            out[u[k]] = 0
    return out


def village_levels(values: list[Any], base: int, codes: Any) -> Any:
    """``compare_village`` for each pair code over arrays (equal to it on every pair,
    ``test_speed_equivalence``): sound keys worked out once per distinct village."""
    np = _np()
    lo, hi, ids = _pair_ids(base, codes)
    size = len(values)
    text, key = np.empty(size, dtype=object), np.empty(size, dtype=object)
    n_text, n_key = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
    for i in ids.tolist():
        v = values[i]
        text[i], key[i] = v, "".join(phonetic_key(t) for t in v.split())
        n_text[i], n_key[i] = len(v), len(key[i])
    out = np.zeros(len(lo), dtype=np.int8)
    u = np.nonzero((n_text[lo] > 0) & (n_text[hi] > 0))[0]
    same = (text[lo[u]] == text[hi[u]]) | (key[lo[u]] == key[hi[u]])
    out[u[same]] = 3
    u = u[~same]
    x, y = lo[u], hi[u]
    close = _similar_v(text[x], text[y], n_text[x], n_text[y])
    r = np.nonzero(~close & (np.minimum(n_key[x], n_key[y]) >= 4))[0]
    close[r] = _jw_at_least(key[x[r]], key[y[r]], 0.92)
    out[u[close]] = 2
    out[u[~close]] = 1
    return out


# Comparator index in Frame -> (scalar comparator, levels it returns, how to prepare a
# descriptor for it or None), for the fields compared value pair by value pair; sex,
# birth and phone are vectorised instead.
_PAIRWISE: dict[int, tuple[Callable[[Any, Any], Any], int, Callable[[Any], Any] | None]] = {
    0: (compare_prepared_names, 2, PreparedName),
    3: (compare_parent.__wrapped__, 1, None),
    4: (compare_parent.__wrapped__, 1, None),
    5: (compare_village.__wrapped__, 1, None),
    6: (compare_place.__wrapped__, 1, None),
}

# Comparators with an array form, used in place of the scalar one (same levels).
_BATCH: dict[int, Callable[[list[Any], int, Any], Any]] = {
    0: prepared_name_levels,
    3: parent_levels,
    4: parent_levels,
    5: village_levels,
}


def level_memos() -> dict[int, LevelMemo]:
    """Fresh memos for one run of pair_levels over the chunks of one Frame."""
    return {c: LevelMemo(width) for c, (_, width, _) in _PAIRWISE.items()}


# The fields a forked process compares (birth and the household's: parents' names,
# village, place) while the parent compares names, sex and phone, about half of the
# work each (``pair_level_matrix``).
_FORKED_FIELDS = ("birth", "father_name", "mother_name", "village", "place")
_OWN_FIELDS = tuple(f for f in FIELDS if f not in _FORKED_FIELDS)
# Candidate pairs from which a forked process is worth its start.
_FORK_MIN = 500_000
# Records from which blocking keys are hashed in two processes.
_FORK_MIN_RECORDS = 50_000


def _level_columns(
    frame: Frame, a: Any, b: Any, fields: Sequence[str], memos: dict[int, LevelMemo] | None
) -> dict[str, Any]:
    """Levels of the pairs a-b for each of ``fields``, by field name."""
    ids, t = frame.ids, frame.tables

    def pairwise(c: int) -> Any:
        fn, width, prepare = _PAIRWISE[c]
        memo = memos[c] if memos is not None else None
        prepared = None
        if prepare is not None:

            def prepared(needed: Any) -> list[Any]:
                return frame.prepared_table(c, prepare, needed)

        batch = _BATCH.get(c)
        return _pair_levels(ids[c][a], ids[c][b], t[c], fn, width, memo, prepared, batch)

    cols: dict[str, Any] = {}
    if "given_name" in fields or "family_name" in fields:
        names = pairwise(0)
        cols["given_name"] = names[:, 0]
        cols["family_name"] = married_levels(names[:, 1], ids[1][a], ids[1][b], t[1])
    if "sex" in fields:
        cols["sex"] = _equality_levels(ids[1][a], ids[1][b], t[1])
    if "birth" in fields:
        cols["birth"] = _birth_levels(ids[2][a], ids[2][b], t[2])
    for name, c in (("father_name", 3), ("mother_name", 4), ("village", 5), ("place", 6)):
        if name in fields:
            cols[name] = pairwise(c)[:, 0]
    if "phone" in fields:
        cols["phone"] = _equality_levels(ids[7][a], ids[7][b], t[7])
    return {f: cols[f] for f in fields}


def pair_levels(frame: Frame, a: Any, b: Any, memos: dict[int, LevelMemo] | None = None) -> Any:
    """Levels array of shape (n_pairs, len(FIELDS)) in FIELDS order.

    ``memos`` (from ``level_memos``, one set per Frame) carries comparisons over to the
    next chunk of the same run.
    """
    cols = _level_columns(frame, a, b, FIELDS, memos)
    return _np().stack([cols[f] for f in FIELDS], axis=1)


class RecordPairLevels:
    """``compare`` of any two of a Frame's records, by record index, for the group scorer.

    Each comparator's level is worked out once per distinct (ordered) pair of its values,
    from the Frame's descriptor ids: the clustering compares a few hundred thousand pairs
    of records at 100,000 records, and through ``compare`` each of them hashed every
    feature for its caches. The argument order is kept (``compare(fx, fy)``'s), so the
    levels are ``compare``'s even for a comparator that were not symmetric. Each memo is
    emptied when it reaches ``memo_size`` entries, which bounds the memory at a million
    records.
    """

    def __init__(self, frame: Frame, memo_size: int = 200_000) -> None:
        self._frame = frame
        self._ids = frame.ids
        self._bases = [len(t) for t in frame.tables]
        self._memo_size = memo_size
        self._memos: list[dict[int, Any]] = [{} for _ in _COMPARATORS]
        self._sex_empty = [not v for v in frame.tables[1]]
        self._phone_empty = [not v for v in frame.tables[7]]
        # Each asked-about record's descriptor ids as Python ints, taken out of the
        # array once: a column of a (comparators, records) array costs a microsecond.
        # Emptied as the memos are, at ``memo_size`` records.
        self._rows: dict[int, list[int]] = {}

    def _level(self, c: int, p: int, q: int) -> Any:
        """Comparator ``c``'s level of its values ``p`` and ``q``, compared and memoised."""
        memo = self._memos[c]
        if len(memo) >= self._memo_size:
            memo.clear()
        compare, prepare = _SCALAR[c]
        if prepare is None:
            table = self._frame.tables[c]
        else:
            # Prepared once per distinct value, in the Frame's table that the batch
            # comparison (names) may have filled already.
            table = self._frame.prepared.get(c)
            if table is None:
                table = self._frame.prepared[c] = [None] * len(self._frame.tables[c])
            raw = self._frame.tables[c]
            if table[p] is None:
                table[p] = prepare(raw[p])
            if table[q] is None:
                table[q] = prepare(raw[q])
        level = memo[p * self._bases[c] + q] = compare(table[p], table[q])
        return level

    def __call__(self, x: int, y: int) -> tuple[int, ...]:
        """Levels of records ``x`` and ``y`` in FIELDS order (``compare``)."""
        # Written out comparator by comparator: the clustering asks this for every pair
        # of records across two groups, hundreds of thousands of times at 100,000 records.
        rows = self._rows
        if len(rows) >= self._memo_size:
            rows.clear()
        ix = rows.get(x)
        if ix is None:
            ix = rows[x] = self._ids[:, x].tolist()
        iy = rows.get(y)
        if iy is None:
            iy = rows[y] = self._ids[:, y].tolist()
        memos, bases, level = self._memos, self._bases, self._level
        p, q = ix[0], iy[0]
        names = memos[0].get(p * bases[0] + q)
        if names is None:
            names = level(0, p, q)
        p, q = ix[2], iy[2]
        birth = memos[2].get(p * bases[2] + q)
        if birth is None:
            birth = level(2, p, q)
        p, q = ix[3], iy[3]
        father = memos[3].get(p * bases[3] + q)
        if father is None:
            father = level(3, p, q)
        p, q = ix[4], iy[4]
        mother = memos[4].get(p * bases[4] + q)
        if mother is None:
            mother = level(4, p, q)
        p, q = ix[5], iy[5]
        village = memos[5].get(p * bases[5] + q)
        if village is None:
            village = level(5, p, q)
        p, q = ix[6], iy[6]
        place = memos[6].get(p * bases[6] + q)
        if place is None:
            place = level(6, p, q)
        g, f = names
        sx, sy = ix[1], iy[1]
        if f == FAMILY_DIFFERENT:
            # married_level changes only this level.
            sexes = self._frame.tables[1]
            f = married_level(f, sexes[sx], sexes[sy])
        sex_empty, phone_empty = self._sex_empty, self._phone_empty
        sex = 0 if sex_empty[sx] or sex_empty[sy] else 2 if sx == sy else 1
        hx, hy = ix[7], iy[7]
        phone = 0 if phone_empty[hx] or phone_empty[hy] else 2 if hx == hy else 1
        return (g, sex, birth, f, father, mother, village, place, phone)


# The scalar comparator per Frame comparator that ``RecordPairLevels`` memoises, and how
# to prepare a descriptor for it (None: it takes the descriptors as they are).
_SCALAR: dict[int, tuple[Callable[[Any, Any], Any], Callable[[Any], Any] | None]] = {
    0: (compare_prepared_names, PreparedName),
    2: (compare_birth.__wrapped__, None),
    3: (compare_prepared_parents, PreparedParent),
    4: (compare_prepared_parents, PreparedParent),
    5: (compare_prepared_villages, PreparedVillage),
    6: (compare_place.__wrapped__, None),
}


def given_name_frequencies(feats: Sequence[Features]) -> Any:
    """Per record, the share of these records whose given name sounds the same."""
    np = _np()
    keys = [name_frequency_key(f) for f in feats]
    counts = Counter(keys)
    n = max(1, len(keys))
    return np.array([counts[k] / n if k else 0.0 for k in keys], dtype=np.float64)


def district_frequencies(feats: Sequence[Features]) -> Any:
    """Per record, the share of these records that name the same district
    (``district_frequency_adjustment``)."""
    np = _np()
    keys = [district_frequency_key(f) for f in feats]
    counts = Counter(keys)
    n = max(1, len(keys))
    return np.array([counts[k] / n if k else 0.0 for k in keys], dtype=np.float64)


def district_tf_adjustments(cfg: MatchConfig, place_levels: Any, frequency: Any) -> Any:
    """district_frequency_adjustment for arrays of district levels and pair frequencies."""
    np = _np()
    u = cfg.mu["place"][SAME_DISTRICT][1]
    agree = (place_levels == SAME_DISTRICT) & (frequency > 0)
    with np.errstate(divide="ignore"):
        bits = np.log2(u / np.where(frequency > 0, frequency, 1.0))
    return np.where(agree, np.clip(bits, -cfg.tf_max_down, cfg.tf_max_up), 0.0)


def tf_adjustments(cfg: MatchConfig, given_levels: Any, frequency: Any) -> Any:
    """name_frequency_adjustment for arrays of given-name levels and pair frequencies."""
    np = _np()
    u = np.array([mu[1] for mu in cfg.mu["given_name"]], dtype=np.float64)[given_levels]
    agree = np.isin(given_levels, sorted(TF_LEVELS)) & (frequency > 0)
    with np.errstate(divide="ignore"):
        bits = np.log2(u / np.where(frequency > 0, frequency, 1.0))
    return np.where(agree, np.clip(bits, -cfg.tf_max_down, cfg.tf_max_up), 0.0)


def evidence_arrays(
    cfg: MatchConfig, levels: Any, adjust: Any = None, place_adjust: Any = None
) -> tuple[Any, Any, Any]:
    """(open evidence, ceiling, person evidence) per pair; same rule as config.combine_parts.

    ``adjust`` (bits per pair) is added to the given-name weight before combining,
    ``place_adjust`` to the district's.
    """
    np = _np()
    w = cfg.weights()
    fw = np.empty(levels.shape, dtype=np.float64)
    for c, name in enumerate(FIELDS):
        fw[:, c] = np.asarray(w[name], dtype=np.float64)[levels[:, c]]
    if adjust is not None:
        fw[:, FIELDS.index("given_name")] += adjust
    if place_adjust is not None:
        fw[:, FIELDS.index("place")] += place_adjust
    person = fw[:, list(PERSON_INDEX)].sum(axis=1)
    hh = fw[:, list(HOUSEHOLD_INDEX)]
    pos = np.where(hh > 0, hh, 0.0).sum(axis=1)
    neg = np.where(hh < 0, hh, 0.0).sum(axis=1)
    ceiling = family_ceilings(cfg, person) + neg
    return person + pos + neg, ceiling, person


def log2_odds(p: float) -> float:
    p = min(max(p, 1e-15), 1 - 1e-15)
    return math.log2(p / (1 - p))


def _chunked_columns(
    frame: Frame, a: Any, b: Any, fields: Sequence[str], chunk: int, progress: bool = False
) -> Any:
    """Levels (n_pairs, len(fields)) int8 of the pairs a-b, compared in chunks with one
    set of memos."""
    np = _np()
    memos = level_memos()
    starts = range(0, len(a), chunk)
    parts = []
    for s in _progress(starts, progress, f"comparing {len(a):,} pairs", len(starts)):
        cols = _level_columns(frame, a[s : s + chunk], b[s : s + chunk], fields, memos)
        parts.append(np.stack([cols[f] for f in fields], axis=1))
    if not parts:
        return np.empty((0, len(fields)), dtype=np.int8)
    return np.concatenate(parts)


class _Forked:
    """``fn()`` run in a forked child process; ``result()`` waits for what it returned.

    The child inherits the parent's memory (the Frame, the pairs), so nothing is pickled
    on the way in; what it returns comes back through a pipe. ``fn`` must be pure: the
    child's caches and memos are lost with it.
    """

    def __init__(self, fn: Callable[[], Any]) -> None:
        ctx = mp.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)

        def run() -> None:
            # One process per core already: no pool of workers or threads inside this
            # one (and a daemonic process may not have children).
            global _PARALLEL_MIN, _IN_FORK
            _PARALLEL_MIN, _IN_FORK = 1 << 62, True
            try:
                out: tuple[bool, Any] = (True, fn())
            except BaseException as exc:  # pragma: no cover - re-raised in the parent
                import traceback

                out = (False, f"{exc!r}\n{traceback.format_exc()}")
            send.send(out)
            send.close()

        self._proc = ctx.Process(target=run, daemon=True)
        self._proc.start()
        send.close()

    def result(self) -> Any:
        try:
            ok, value = self._recv.recv()
        except EOFError:
            ok, value = False, "the forked process ended without a result"
        finally:
            self._recv.close()
            self._proc.join()
        if not ok:
            raise RuntimeError(f"forked comparison failed: {value}")
        return value


def _can_fork() -> bool:
    return _workers() >= 2 and "fork" in mp.get_all_start_methods()


def pair_level_matrix(
    frame: Frame, a: Any, b: Any, chunk: int = 2_000_000, progress: bool = False
) -> Any:
    """Levels (n_pairs, len(FIELDS)) int8 of the candidate pairs, compared in chunks.

    From ``_FORK_MIN`` pairs, a forked process compares some of the fields
    (``_FORKED_FIELDS``) while this one compares the rest: the comparators are pure
    functions, so the split cannot change a level.
    """
    np = _np()
    forked = None
    mine: Sequence[str] = FIELDS
    if len(a) >= _FORK_MIN and _can_fork():
        forked = _Forked(lambda: _chunked_columns(frame, a, b, _FORKED_FIELDS, chunk))
        mine = _OWN_FIELDS
    own = _chunked_columns(frame, a, b, mine, chunk, progress)
    if forked is None:
        return own
    other = forked.result()
    out = np.empty((len(a), len(FIELDS)), dtype=np.int8)
    for k, f in enumerate(mine):
        out[:, FIELDS.index(f)] = own[:, k]
    for k, f in enumerate(_FORKED_FIELDS):
        out[:, FIELDS.index(f)] = other[:, k]
    return out


def levels_evidence(
    cfg: MatchConfig,
    levels: Any,
    a: Any,
    b: Any,
    chunk: int = 2_000_000,
    name_frequency: Any = None,
    district_frequency: Any = None,
) -> tuple[Any, Any, Any]:
    """(open evidence, ceiling, person evidence) per pair of a levels matrix, in chunks."""
    np = _np()
    parts: list[tuple[Any, Any, Any]] = []
    for s in range(0, len(a), chunk):
        ca, cb, lv = a[s : s + chunk], b[s : s + chunk], levels[s : s + chunk]
        adjust = None
        if name_frequency is not None:
            freq = np.maximum(name_frequency[ca], name_frequency[cb])
            adjust = tf_adjustments(cfg, lv[:, FIELDS.index("given_name")], freq)
        place_adjust = None
        if district_frequency is not None:
            freq = np.maximum(district_frequency[ca], district_frequency[cb])
            place_adjust = district_tf_adjustments(cfg, lv[:, FIELDS.index("place")], freq)
        parts.append(evidence_arrays(cfg, lv, adjust, place_adjust))
    if not parts:
        return np.empty(0), np.empty(0), np.empty(0)
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))  # type: ignore[return-value]


def pair_evidence(
    frame: Frame,
    cfg: MatchConfig,
    a: Any,
    b: Any,
    chunk: int = 2_000_000,
    progress: bool = False,
    name_frequency: Any = None,
) -> tuple[Any, Any, Any]:
    """(open evidence, ceiling, person evidence) per candidate pair, in chunks.

    A pair's log2 odds under a prior is ``min(prior + open, ceiling)``. ``name_frequency``
    (share of the records with each record's given-name sound, from
    ``given_name_frequencies``) turns on the term-frequency adjustment.
    """
    levels = pair_level_matrix(frame, a, b, chunk, progress)
    return levels_evidence(cfg, levels, a, b, chunk, name_frequency)


def score_pairs(
    frame: Frame,
    cfg: MatchConfig,
    a: Any,
    b: Any,
    progress: bool = False,
    name_frequency: Any = None,
) -> tuple[Any, Any]:
    """(log2 odds under the configured prior, person evidence) per candidate pair."""
    np = _np()
    open_evidence, ceiling, person = pair_evidence(
        frame, cfg, a, b, progress=progress, name_frequency=name_frequency
    )
    return np.minimum(cfg.prior_log2_odds + open_evidence, ceiling), person
