"""Where a dedupe spends its time: wall and CPU seconds per stage of the pipeline.

    .venv/bin/python bench/stages.py bench/out/data/gen2_100000_s42_*.csv
    .venv/bin/python bench/stages.py INPUT --profile /tmp/dedupe.prof   # cProfile as well

Each stage function that ``setu.linkage._api`` calls is wrapped with a timer, so the
pipeline runs unchanged; CPU time includes the forked processes (reaped children),
"own CPU" is this process's alone: with a core free for the forked processes, about the
stage's wall time. Prints the digests that must not change with a speed change: the candidate
pairs' level matrix and the clusters (``sha256(repr(sorted(clusters.items())))[:16]``).
Run it against an older tree with ``PYTHONPATH=/path/to/tree`` to compare.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path and not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))

# Stage name per function of _api that the pipeline calls, in pipeline order.
STAGES = {
    "build_frame": "features",
    "candidate_pairs": "blocking",
    "given_name_frequencies": "name frequencies",
    "pair_level_matrix": "comparison",
    "random_pair_levels": "learning (random pairs)",
    "district_pair_levels": "learning (district pairs)",
    "learn_weights": "learning (EM)",
    "levels_evidence": "scoring",
    "review_mask": "scoring",
    "family_shift": "scoring",
    "evidence_histogram": "scoring",
    "estimate_prior_log2_odds": "scoring",
    "components": "clustering (components)",
    "cluster": "clustering (merge + group scorer)",
    "cluster_arrays": "clustering (merge + group scorer)",
    "labels_to_clusters": "clustering (labels)",
}


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _own_cpu() -> float:
    # This process alone (its threads included, its forked children not): on a machine
    # with a core to spare for the children, about the stage's wall time.
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("input", type=Path)
    p.add_argument("--profile", type=Path, help="write a cProfile of the dedupe here")
    opts = p.parse_args(argv)

    from setu.linkage import _api, dedupe, read_records

    totals: dict[str, list[float]] = {}  # stage -> [wall, CPU, own CPU]
    digests: dict[str, str] = {}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            w0, c0, o0 = time.perf_counter(), _cpu(), _own_cpu()
            out = fn(*args, **kwargs)
            entry = totals.setdefault(STAGES[name], [0.0, 0.0, 0.0])
            entry[0] += time.perf_counter() - w0
            entry[1] += _cpu() - c0
            entry[2] += _own_cpu() - o0
            if name == "pair_level_matrix":
                digests["levels"] = hashlib.sha256(out.tobytes()).hexdigest()[:16]
            return out

        return wrapper

    for name in STAGES:
        if hasattr(_api, name):
            setattr(_api, name, timed(name, getattr(_api, name)))

    w0, c0, o0 = time.perf_counter(), _cpu(), _own_cpu()
    records = read_records(opts.input)
    read = (time.perf_counter() - w0, _cpu() - c0, _own_cpu() - o0)
    w1, c1, o1 = time.perf_counter(), _cpu(), _own_cpu()
    if opts.profile:
        import cProfile

        prof = cProfile.Profile()
        clusters = prof.runcall(dedupe, records)
        prof.dump_stats(opts.profile)
    else:
        clusters = dedupe(records)
    wall, cpu, own = time.perf_counter() - w1, _cpu() - c1, _own_cpu() - o1
    digests["clusters"] = hashlib.sha256(repr(sorted(clusters.items())).encode()).hexdigest()[:16]

    print(f"{len(records):,} records, load average {os.getloadavg()[0]:.1f}")
    print(f"{'stage':<36} {'wall s':>8} {'CPU s':>8} {'own CPU s':>10}")
    print(f"{'read_records':<36} {read[0]:8.1f} {read[1]:8.1f} {read[2]:10.1f}")
    for stage, (w, c, o) in totals.items():
        print(f"{stage:<36} {w:8.1f} {c:8.1f} {o:10.1f}")
    staged = [sum(v[k] for v in totals.values()) for k in range(3)]
    print(f"{'other':<36} {wall - staged[0]:8.1f} {cpu - staged[1]:8.1f} {own - staged[2]:10.1f}")
    print(f"{'dedupe (after read_records)':<36} {wall:8.1f} {cpu:8.1f} {own:10.1f}")
    print(
        f"levels {digests.get('levels')}  clusters {digests['clusters']}  ({len(set(clusters.values())):,} clusters)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
