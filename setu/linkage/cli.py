"""Command line: ``python -m setu.linkage`` / ``setu link``.

dedupe INPUT.csv --output CLUSTERS.csv
link A.csv B.csv --output PAIRS.csv
explain INPUT.csv ID1 ID2
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ._api import dedupe_review, explain, link
from ._records import LinkageInputError, read_records


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="setu link",
        description="Find records of the same person across organisations' CSV files.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dedupe", help="cluster the records of one file")
    d.add_argument("input", type=Path)
    d.add_argument("--output", "-o", type=Path, required=True, help="record_id,cluster_id")
    d.add_argument("--threshold", type=float, default=None, help="match probability (0-1)")
    d.add_argument("--progress", action="store_true", help="show progress bars")
    d.add_argument(
        "--review",
        type=Path,
        default=None,
        help="also write the review band: left_id,right_id,probability,merged,reason",
    )
    ln = sub.add_parser("link", help="pairs of records across two files")
    ln.add_argument("left", type=Path)
    ln.add_argument("right", type=Path)
    ln.add_argument("--output", "-o", type=Path, required=True, help="left_id,right_id,probability")
    ln.add_argument("--threshold", type=float, default=None, help="match probability (0-1)")
    ln.add_argument("--progress", action="store_true", help="show progress bars")
    e = sub.add_parser("explain", help="say in words why two records do or do not match")
    e.add_argument("input", type=Path)
    e.add_argument("id1")
    e.add_argument("id2")
    return p


def _want_progress(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "progress", False)) or sys.stderr.isatty()


def _check_threshold(value: float | None) -> None:
    if value is not None and not 0 < value < 1:
        raise LinkageInputError(f"--threshold must be between 0 and 1, not {value}")


def _write(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Write the whole output or nothing: a temporary file beside it, renamed when complete."""
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        tmp = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise LinkageInputError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


def _run(args: argparse.Namespace) -> int:
    if args.command == "dedupe":
        _check_threshold(args.threshold)
        records = read_records(args.input)
        result = dedupe_review(records, threshold=args.threshold, progress=_want_progress(args))
        clusters = result.clusters
        _write(
            args.output,
            ("record_id", "cluster_id"),
            [(r.record_id, clusters[r.record_id]) for r in records],
        )
        if args.review is not None:
            _write(
                args.review,
                ("left_id", "right_id", "probability", "merged", "reason"),
                [
                    (p.left_id, p.right_id, f"{p.score:.4f}", "yes" if p.merged else "no", p.reason)
                    for p in result.review
                ],
            )
        n_clusters = len(set(clusters.values()))
        print(f"{len(records)} records, {n_clusters} people -> {args.output}", file=sys.stderr)
        return 0
    if args.command == "link":
        _check_threshold(args.threshold)
        left, right = read_records(args.left), read_records(args.right)
        pairs = link(left, right, threshold=args.threshold, progress=_want_progress(args))
        _write(
            args.output,
            ("left_id", "right_id", "probability"),
            [(p.left_id, p.right_id, f"{p.score:.4f}") for p in pairs],
        )
        print(f"{len(pairs)} linked pairs -> {args.output}", file=sys.stderr)
        return 0
    records = {r.record_id: r for r in read_records(args.input)}
    for rid in (args.id1, args.id2):
        if rid not in records:
            raise LinkageInputError(f"no record with record_id {rid!r} in {args.input}")
    ex = explain(records[args.id1], records[args.id2])
    print(f"{args.id1} vs {args.id2}: {ex.decision} (probability {ex.probability:.1%})")
    for f in ex.fields:
        sign = "+" if f.weight > 0 else ("-" if f.weight < 0 else " ")
        print(f"  {sign} {f.text}")
    print(ex.summary)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (0 ok, 2 bad input or usage)."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    try:
        return _run(args)
    except LinkageInputError as exc:
        print(f"setu link: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("setu link: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
