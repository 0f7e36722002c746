"""``python -m setu.synth --persons N --seed S --output records.csv --truth truth.csv``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator, Sequence

from .generator import generate_population, iter_population
from .io import write_interchange_csv, write_truth_csv


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m setu.synth",
        description="Generate labelled synthetic Indian person records (interchange CSV).",
    )
    parser.add_argument("--persons", type=int, required=True, help="number of true persons")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", required=True, help="interchange CSV to write")
    parser.add_argument("--truth", help="also write record_id,person_id here")
    parser.add_argument(
        "--with-truth-columns",
        action="store_true",
        help="append person_id, script, home_state_code, role, recorded_state to the output",
    )
    parser.add_argument(
        "--no-shuffle",
        action="store_true",
        help="stream records in generation order (constant memory; ids follow persons)",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    if args.no_shuffle:
        # Stream: keep only (record_id, person_id) pairs for the truth file.
        truth: list[dict[str, object]] = []

        def stream() -> Iterator[dict[str, object]]:
            for _person, recs in iter_population(args.persons, seed=args.seed):
                for rec in recs:
                    truth.append({"record_id": rec["record_id"], "person_id": rec["person_id"]})
                    yield rec

        n = write_interchange_csv(stream(), args.output, with_truth=args.with_truth_columns)
        if args.truth:
            write_truth_csv(truth, args.truth)
    else:
        records = generate_population(args.persons, seed=args.seed).records
        n = write_interchange_csv(records, args.output, with_truth=args.with_truth_columns)
        if args.truth:
            write_truth_csv(records, args.truth)
    elapsed = time.perf_counter() - started
    print(f"wrote {n} records for {args.persons} persons in {elapsed:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
