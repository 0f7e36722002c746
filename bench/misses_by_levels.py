"""List Setu's missed and false pairs on a benchmark input, by cause.

    .venv/bin/python bench/misses_by_levels.py febrl2 --show 10
    .venv/bin/python bench/misses_by_levels.py gen2-10000 --config learn_household_bounds="(0.0, 0.0)"

Inputs are those of bench/datasets.py: febrl1..febrl4, gen-N (setu.synth, seed 42) and
gen2-N (the second generator, seed 42). A missed pair is a true pair that dedupe left in two
clusters: never a candidate (blocking), a candidate below the threshold, or a candidate
above it that clustering kept apart (cannot-link, strict size, combined evidence). Pairs are
grouped by their comparison levels. Prints record contents: use on benchmark data only.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import datasets as ds  # noqa: E402
from setu.linkage import MatchConfig, PersonRecord, read_records  # noqa: E402
from setu.linkage._api import dedupe, scored_candidates  # noqa: E402
from setu.linkage._batch import build_frame, log2_odds, pair_level_matrix  # noqa: E402
from setu.linkage._compare import FIELDS, LEVELS  # noqa: E402


def input_paths(name: str, out: Path) -> tuple[Path, Path]:
    if name.startswith("febrl"):
        return ds.febrl(out, int(name[5:]))
    if name.startswith("gen2-"):
        return ds.generated2(out, int(name[5:]), 42)
    if name.startswith("gen-"):
        return ds.generated(out, int(name[4:]), 42)
    raise SystemExit(f"unknown input {name!r}")


def pairs_within(groups: dict[str, list[int]]) -> list[tuple[int, int]]:
    return [p for members in groups.values() for p in combinations(sorted(members), 2)]


def describe(levels: tuple[int, ...]) -> str:
    return " ".join(f"{f[:3]}={LEVELS[f][lv]}" for f, lv in zip(FIELDS, levels, strict=True) if lv)


def show_record(r: PersonRecord) -> str:
    born = r.birth_date or r.age
    return f"{r.record_id}: {r.given_name!r} {r.family_name!r} b={born!r} v={r.village!r} d={r.district!r} s={r.state!r}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("--show", type=int, default=5, help="example pairs per cause")
    ap.add_argument("--config", nargs="*", default=[], help="MatchConfig overrides, key=value")
    args = ap.parse_args(argv)
    cfg = MatchConfig(
        **{k: ast.literal_eval(v) for k, v in (kv.split("=", 1) for kv in args.config)}
    )
    out = ROOT / "bench" / "out" / "data"
    out.mkdir(parents=True, exist_ok=True)
    records_csv, truth_csv = input_paths(args.input, out)
    records = read_records(records_csv)
    truth = ds.read_truth(truth_csv)
    ids = [r.record_id for r in records]
    clusters = dedupe(records, config=cfg)
    scored = scored_candidates(records, cfg)
    weight = dict(
        zip(
            zip(scored.a.tolist(), scored.b.tolist(), strict=True),
            scored.total.tolist(),
            strict=True,
        )
    )
    by_person: dict[str, list[int]] = defaultdict(list)
    by_cluster: dict[str, list[int]] = defaultdict(list)
    for i, rid in enumerate(ids):
        by_person[truth[rid]].append(i)
        by_cluster[clusters[rid]].append(i)
    missed = [(i, j) for i, j in pairs_within(by_person) if clusters[ids[i]] != clusters[ids[j]]]
    false = [(i, j) for i, j in pairs_within(by_cluster) if truth[ids[i]] != truth[ids[j]]]
    frame = build_frame(records)
    threshold = log2_odds(cfg.match_threshold)

    def levels(pairs: list[tuple[int, int]]) -> list[tuple[int, ...]]:
        if not pairs:
            return []
        import numpy as np

        a, b = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
        return [tuple(row) for row in pair_level_matrix(frame, a, b).tolist()]

    groups: dict[str, list[tuple[int, int, tuple[int, ...]]]] = defaultdict(list)
    for (i, j), lv in zip(missed, levels(missed), strict=True):
        w = weight.get((i, j))
        cause = (
            "never a candidate"
            if w is None
            else "below the threshold"
            if w < threshold
            else "kept apart by clustering"
        )
        groups[cause].append((i, j, lv))
    groups["false pair"] = [(i, j, lv) for (i, j), lv in zip(false, levels(false), strict=True)]
    print(f"{args.input}: {len(missed)} missed pairs, {len(false)} false pairs")
    for cause, rows in groups.items():
        print(f"== {cause}: {len(rows)}")
        for pattern, n in Counter(describe(lv) for _, _, lv in rows).most_common(12):
            print(f"  {n:5d}  {pattern}")
        for i, j, lv in rows[: args.show]:
            w = weight.get((i, j))
            print(f"  - {'' if w is None else f'w={w:.1f} '}{describe(lv)}")
            print(f"      {show_record(records[i])}")
            print(f"      {show_record(records[j])}")


if __name__ == "__main__":
    main()
