"""Why true pairs are missed (and which pairs are false): ``dedupe``'s errors on a benchmark
input, classified once, shown in one of two views.

    .venv/bin/python bench/misses.py febrl3                     # by what differs
    .venv/bin/python bench/misses.py febrl3 --view levels --show 5
    .venv/bin/python bench/misses.py gen-10000 --config cannot_link_person_weight=-6.0

Inputs are those of bench/datasets.py: febrl1..febrl4, gen-N (setu.synth), gen2-N (the
second generator, held out) and gen3-N (the third, a development set), seed ``--seed`` (42). A true pair (two records of one person) that
``dedupe`` leaves in different clusters is missed for one of three causes:

* ``never a candidate``: the two records share no blocking key, so the pair is never scored;
* ``below the threshold``: scored, but below the match threshold;
* ``kept apart by clustering``: scored at or above the threshold, yet clustering kept them
  apart (a cannot-link, the strict threshold for big groups, the groups' combined evidence).

A *false pair* is two records of different people in one cluster. Views:

* ``differences`` (default): missed pairs by cause and by what differs between the two
  records (from the comparison levels and the raw fields; a pair can carry several
  descriptions), the main difference of each (a fixed order of precedence), and how far
  below the threshold the low ones are; ``--patterns N`` adds the commonest level patterns;
* ``levels``: missed and false pairs grouped by cause and comparison-level pattern, with
  ``--show N`` example pairs per cause and their weights.

``--show`` prints record contents: use it on benchmark data only, never on case data. gen2
is held out: read its aggregate counts, not its records. Nothing in the engine reads this.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import datasets as ds  # noqa: E402  (after the path set-up for a direct run)
from setu.linkage import MatchConfig, PersonRecord, dedupe, read_records  # noqa: E402
from setu.linkage._api import scored_candidates  # noqa: E402
from setu.linkage._batch import build_frame, log2_odds, pair_level_matrix  # noqa: E402
from setu.linkage._compare import FIELDS, LEVELS  # noqa: E402
from setu.linkage._features import Features  # noqa: E402

CAUSES = ("never a candidate", "below the threshold", "kept apart by clustering")
FALSE = "false pair"


def input_paths(name: str, out: Path, seed: int) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    if name.startswith("febrl"):
        return ds.febrl(out, int(name[5:]))
    if name.startswith("gen2-"):
        return ds.generated2(out, int(name[5:]), seed)
    if name.startswith("gen3-"):
        return ds.generated3(out, int(name[5:]), seed)
    if name.startswith("gen-"):
        return ds.generated(out, int(name[4:]), seed)
    raise SystemExit(f"unknown input {name!r} (febrl1..4, gen-N, gen2-N, gen3-N)")


@dataclass(frozen=True)
class Error:
    """One missed or false pair: record indices, its cause, levels and weight (None when
    the pair was never a candidate)."""

    i: int
    j: int
    cause: str
    levels: tuple[int, ...]
    weight: float | None


def _pairs_within(groups: dict[str, list[int]]) -> list[tuple[int, int]]:
    return [p for members in groups.values() for p in combinations(sorted(members), 2)]


def classify(
    records: list[PersonRecord], truth: dict[str, str], cfg: MatchConfig
) -> tuple[int, list[Error], list[Features]]:
    """(number of true pairs, errors, features of each record): every missed and false pair
    with its cause."""
    import numpy as np

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
    true_pairs = _pairs_within(by_person)
    missed = [(i, j) for i, j in true_pairs if clusters[ids[i]] != clusters[ids[j]]]
    false = [(i, j) for i, j in _pairs_within(by_cluster) if truth[ids[i]] != truth[ids[j]]]
    frame = build_frame(records)
    threshold = log2_odds(cfg.match_threshold)
    pairs = missed + false
    levels: list[tuple[int, ...]] = []
    if pairs:
        a = np.array([p[0] for p in pairs])
        b = np.array([p[1] for p in pairs])
        levels = [tuple(row) for row in pair_level_matrix(frame, a, b).tolist()]
    errors = []
    for k, ((i, j), lv) in enumerate(zip(pairs, levels, strict=True)):
        w = weight.get((i, j))
        if k >= len(missed):
            cause = FALSE
        elif w is None:
            cause = CAUSES[0]
        else:
            cause = CAUSES[1] if w < threshold else CAUSES[2]
        errors.append(Error(i, j, cause, lv, w))
    return len(true_pairs), errors, list(frame.feats)


def _script(text: str) -> str:
    return "latin" if not text or text.isascii() else "indic"


def _heaped(r: PersonRecord) -> bool:
    return r.age is not None and r.age % 5 == 0 and not r.birth_date


def describe(
    ra: PersonRecord, rb: PersonRecord, fa: Features, fb: Features, levels: tuple[int, ...]
) -> list[str]:
    """What differs between two records of one person (all descriptions that apply)."""
    lv = dict(zip(FIELDS, levels, strict=True))
    out: list[str] = []
    g = lv["given_name"]
    if _script(ra.given_name) != _script(rb.given_name):
        out.append("given: one in Indic script" + ("" if g >= 4 else ", not joined"))
    elif _script(ra.given_name) == "indic" and g < 4:
        out.append("given: both in Indic script, not joined")
    if g == 0:
        out.append("given: missing on one side")
    elif g == 3:
        out.append("given: joined only through an alias")
    elif g <= 2:
        alias = bool(fa.name.alias or fb.name.alias)
        out.append("given: different" + (" (an alias recorded, no match)" if alias else ""))
    elif g in (4, 5):
        out.append("given: partial or swapped")
    f = lv["family_name"]
    if f == 0:
        out.append("family: missing on one side")
    elif f == 1:
        out.append("family: different")
    elif f == 2:
        out.append("family: different, she may have married")
    elif f == 3:
        out.append("family: similar spelling")
    b = lv["birth"]
    if b == 0:
        out.append("birth: missing on one side")
    elif b <= 2:
        heaped = _heaped(ra) or _heaped(rb)
        out.append("birth: far apart" + (" (an age heaped on 0/5)" if heaped else ""))
    p = lv["place"]
    if fa.place and fb.place and (fa.place.district[:1] == "~" or fb.place.district[:1] == "~"):
        out.append("place: district not resolved")
    if p == 0:
        out.append("place: missing on one side")
    elif p == 1:
        out.append("place: other state")
    elif p == 2:
        blank = not ra.district or not rb.district
        out.append("place: district on one side only" if blank else "place: other district")
    if lv["father_name"] == 1:
        out.append("father: different")
    if lv["phone"] == 2:
        out.append("phone: same")
    if lv["sex"] == 1:
        out.append("sex: different")
    return out


def pattern(levels: tuple[int, ...]) -> str:
    """The recorded levels of a pair, e.g. ``giv=exact bir=far fam=sound``."""
    return " ".join(f"{f[:3]}={LEVELS[f][lv]}" for f, lv in zip(FIELDS, levels, strict=True) if lv)


def show_record(r: PersonRecord) -> str:
    born = r.birth_date or r.age
    return (
        f"{r.record_id}: {r.given_name!r} {r.family_name!r} alias={r.alias!r} b={born!r} "
        f"f={r.father_name!r} v={r.village!r} d={r.district!r} s={r.state!r} ph={r.phone!r}"
    )


def view_differences(
    records: list[PersonRecord],
    feats: list[Features],
    errors: list[Error],
    threshold: float,
    patterns: int,
) -> None:
    missed = [e for e in errors if e.cause != FALSE]
    causes = Counter(e.cause for e in missed)
    print("\nBy cause:")
    for c in CAUSES:
        print(f"  {c:<26} {causes[c]:>6}  {causes[c] / max(len(missed), 1):6.1%}")
    below = Counter(
        min(int(threshold - e.weight), 10)
        for e in missed
        if e.cause == CAUSES[1] and e.weight is not None
    )
    print("\nBelow the threshold, bits below it:")
    print("  " + "  ".join(f"{k}-{k + 1}: {below[k]}" for k in range(10)) + f"  10+: {below[10]}")
    diffs: dict[str, Counter[str]] = {}
    main_diff: Counter[tuple[str, str]] = Counter()
    for e in missed:
        desc = describe(records[e.i], records[e.j], feats[e.i], feats[e.j], e.levels)
        for d in desc:
            diffs.setdefault(d, Counter())[e.cause] += 1
        main_diff[(e.cause, desc[0] if desc else "nothing differs")] += 1
    print("\nBy what differs (a pair can count under several):")
    short = ("never cand.", "below thr.", "clustering")
    print("  " + " " * 48 + "".join(f"{c:>13}" for c in short) + "        all")
    for d, cnt in sorted(diffs.items(), key=lambda kv: -sum(kv[1].values())):
        row = "".join(f"{cnt[c]:>13}" for c in CAUSES)
        print(f"  {d:<48}{row}{sum(cnt.values()):>11}")
    print("\nMain difference (first that applies) by cause:")
    for (c, d), k in sorted(main_diff.items(), key=lambda kv: -kv[1])[:25]:
        print(f"  {c:<26} {d:<48} {k:>6}")
    if patterns:
        print("\nCommonest comparison patterns of missed pairs:")
        for (c, t), k in Counter((e.cause, pattern(e.levels)) for e in missed).most_common(
            patterns
        ):
            print(f"  {k:>5} {c:<26} {t}")


def view_levels(records: list[PersonRecord], errors: list[Error], show: int) -> None:
    for cause in (*CAUSES, FALSE):
        rows = [e for e in errors if e.cause == cause]
        print(f"== {cause}: {len(rows)}")
        for text, n in Counter(pattern(e.levels) for e in rows).most_common(12):
            print(f"  {n:5d}  {text}")
        for e in rows[:show]:
            w = "" if e.weight is None else f"w={e.weight:.1f} "
            print(f"  - {w}{pattern(e.levels)}")
            print(f"      {show_record(records[e.i])}")
            print(f"      {show_record(records[e.j])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("input", help="febrl1..febrl4, gen-N, gen2-N, gen3-N")
    ap.add_argument("--view", choices=("differences", "levels"), default="differences")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--show", type=int, default=0, help="levels view: example pairs per cause")
    ap.add_argument("--patterns", type=int, default=0, help="differences view: N patterns")
    ap.add_argument("--config", nargs="*", default=[], help="MatchConfig overrides, key=value")
    args = ap.parse_args(argv)
    cfg = MatchConfig(
        **{k: ast.literal_eval(v) for k, v in (kv.split("=", 1) for kv in args.config)}
    )
    records_csv, truth_csv = input_paths(args.input, ROOT / "bench" / "out" / "data", args.seed)
    records = read_records(records_csv)
    truth = ds.read_truth(truth_csv)
    true_pairs, errors, feats = classify(records, truth, cfg)
    missed = sum(1 for e in errors if e.cause != FALSE)
    print(
        f"{args.input} {len(records):,} records: {true_pairs:,} true pairs, {missed:,} missed, "
        f"{len(errors) - missed:,} false pairs"
    )
    if args.view == "levels":
        view_levels(records, errors, args.show)
    else:
        view_differences(records, feats, errors, log2_odds(cfg.match_threshold), args.patterns)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
