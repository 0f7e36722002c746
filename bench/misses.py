"""Why true pairs are missed: false negatives of ``dedupe`` by cause and by what differs.

    .venv/bin/python bench/misses.py                       # gen2 10k, seed 42
    .venv/bin/python bench/misses.py --data generated      # setu.synth 10k
    .venv/bin/python bench/misses.py --data febrl3 --show 20

A true pair (two records of one person) that ``dedupe`` leaves in different clusters is
missed for one of three causes:

* ``not blocked``: the two records share no blocking key, so the pair is never scored;
* ``scored low``: scored, but below the match threshold;
* ``split``: scored at or above the threshold, yet clustering kept them apart (a
  cannot-link, a group veto, or the household cap).

Each missed pair is also described by what differs between its two records, from the
pair's comparison levels and the raw fields (several descriptions can apply to one pair),
and given one *main* difference by a fixed order of precedence. It is an analysis tool:
nothing in the engine reads it.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import datasets  # noqa: E402  (after the path set-up for a direct run)
from setu.linkage import PersonRecord, dedupe, read_records  # noqa: E402
from setu.linkage._api import DEFAULT_CONFIG, scored_candidates  # noqa: E402
from setu.linkage._batch import candidate_pairs, log2_odds  # noqa: E402
from setu.linkage._compare import FIELDS, LEVELS, compare  # noqa: E402
from setu.linkage._features import Features, features  # noqa: E402

OUT = ROOT / "bench" / "out" / "data"


def _inputs(data: str, n: int, seed: int) -> tuple[Path, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    if data == "gen2":
        return datasets.generated2(OUT, n, seed)
    if data == "generated":
        return datasets.generated(OUT, n, seed)
    if data.startswith("febrl"):
        return datasets.febrl(OUT, int(data[5:]))
    raise SystemExit(f"unknown data set {data!r}")


def _truth(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return {row["record_id"]: row["person_id"] for row in csv.DictReader(fh)}


def _script(text: str) -> str:
    return "latin" if not text or text.isascii() else "indic"


def _heaped(r: PersonRecord) -> bool:
    return r.age is not None and r.age % 5 == 0 and not r.birth_date


def describe(ra: PersonRecord, rb: PersonRecord, fa: Features, fb: Features) -> list[str]:
    """What differs between two records of one person (all descriptions that apply)."""
    lv = dict(zip(FIELDS, compare(fa, fb), strict=True))
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
    elif f <= 2:
        out.append("family: different" if f == 1 else "family: similar spelling")
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


def levels_text(fa: Features, fb: Features) -> str:
    lv = compare(fa, fb)
    return " ".join(f"{f[:6]}={LEVELS[f][v]}" for f, v in zip(FIELDS, lv, strict=True))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", default="gen2", help="gen2, generated, febrl1..4")
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--show", type=int, default=0, help="print N missed pairs per cause")
    ap.add_argument("--patterns", type=int, default=0, help="print the N commonest level patterns")
    args = ap.parse_args(argv)

    records_csv, truth_csv = _inputs(args.data, args.n, args.seed)
    records = read_records(records_csv)
    truth = _truth(truth_csv)
    cfg = DEFAULT_CONFIG
    feats = [features(r) for r in records]
    idx = {r.record_id: i for i, r in enumerate(records)}
    by_person: dict[str, list[int]] = {}
    for r in records:
        by_person.setdefault(truth[r.record_id], []).append(idx[r.record_id])

    a, b = candidate_pairs(feats, cfg)
    n = len(records)
    sc = scored_candidates(records, cfg)
    score = dict(zip((sc.a * n + sc.b).tolist(), sc.total.tolist(), strict=True))
    blocked = set((a * n + b).tolist())
    clusters = dedupe(records, config=cfg)
    thr = log2_odds(cfg.match_threshold)

    causes: Counter[str] = Counter()
    diffs: dict[str, Counter[str]] = {}
    main_diff: Counter[tuple[str, str]] = Counter()
    shown: Counter[str] = Counter()
    patterns: Counter[tuple[str, str]] = Counter()
    below: Counter[int] = Counter()
    true_pairs = found = 0
    for members in by_person.values():
        for i, j in combinations(sorted(members), 2):
            true_pairs += 1
            ri, rj = records[i], records[j]
            if clusters[ri.record_id] == clusters[rj.record_id]:
                found += 1
                continue
            code = i * n + j
            if code not in blocked:
                cause = "not blocked"
            elif score[code] < thr:
                cause = "scored low"
            else:
                cause = "split"
            causes[cause] += 1
            if cause == "scored low":
                below[min(int(thr - score[code]), 10)] += 1
            desc = describe(ri, rj, feats[i], feats[j])
            for d in desc:
                diffs.setdefault(d, Counter())[cause] += 1
            main_diff[(cause, desc[0] if desc else "nothing differs")] += 1
            if args.patterns:
                patterns[(cause, levels_text(feats[i], feats[j]))] += 1
            if shown[cause] < args.show:
                shown[cause] += 1
                w = f"{score[code]:+.1f}" if code in score else "-"
                print(f"[{cause}] weight {w}: {levels_text(feats[i], feats[j])}")
                for r in (ri, rj):
                    print(
                        "   ",
                        r.given_name,
                        "|",
                        r.family_name,
                        "| alias",
                        r.alias,
                        "| age",
                        r.age,
                        r.birth_date,
                        "|",
                        r.father_name,
                        "|",
                        r.village,
                        "|",
                        r.district,
                        r.state,
                        "|",
                        r.phone,
                    )
    missed = true_pairs - found
    print(f"\n{args.data} {n:,} records: {true_pairs:,} true pairs, {missed:,} missed")
    order = ("not blocked", "scored low", "split")
    print("\nBy cause:")
    for c in order:
        print(f"  {c:<12} {causes[c]:>6}  {causes[c] / max(missed, 1):6.1%}")
    print("\nScored low, bits below the threshold:")
    print("  " + "  ".join(f"{k}-{k + 1}: {below[k]}" for k in range(10)) + f"  10+: {below[10]}")
    print("\nBy what differs (a pair can count under several):")
    head = "  " + " " * 52 + "".join(f"{c:>13}" for c in order) + "        all"
    print(head)
    for d, cnt in sorted(diffs.items(), key=lambda kv: -sum(kv[1].values())):
        row = "".join(f"{cnt[c]:>13}" for c in order)
        print(f"  {d:<52}{row}{sum(cnt.values()):>11}")
    print("\nMain difference (first that applies) by cause:")
    for (c, d), k in sorted(main_diff.items(), key=lambda kv: -kv[1])[:25]:
        print(f"  {c:<12} {d:<52} {k:>6}")
    if args.patterns:
        print("\nCommonest comparison patterns of missed pairs:")
        for (c, t), k in patterns.most_common(args.patterns):
            print(f"  {k:>5} {c:<12} {t}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
