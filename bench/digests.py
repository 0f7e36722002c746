"""Cluster digests of ``dedupe`` on the cached bench inputs: the check that a speed change
changed no output.

    .venv/bin/python bench/digests.py bench/out/data/febrl1.csv bench/out/data/gen3_10000_*.csv

Prints, per input, ``sha256(repr(sorted(clusters.items())))[:16]`` and the CPU seconds of
the dedupe (this process and its forked ones). Run it against another tree with
``PYTHONPATH=/path/to/tree`` and compare the digests; only the records are read, never the
truth files.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path and not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("inputs", type=Path, nargs="+")
    opts = p.parse_args(argv)

    from setu.linkage import dedupe, read_records

    for path in opts.inputs:
        records = read_records(path)
        c0 = _cpu()
        clusters = dedupe(records)
        cpu = _cpu() - c0
        digest = hashlib.sha256(repr(sorted(clusters.items())).encode()).hexdigest()[:16]
        print(f"{path.name:<44} {len(records):>8,} {digest}  {cpu:6.1f} CPU-s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
