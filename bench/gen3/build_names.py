"""Regenerate data/names.json from the ``names-dataset`` wheel (not a runtime dependency).

    python -m pip download names-dataset==3.3.1 --no-deps -d /tmp/nd
    python bench/gen3/build_names.py /tmp/nd/names_dataset-3.3.1-py3-none-any.whl

names-dataset ranks first and last names per country by how many accounts in a
2021 dump of 533M public profiles carried them; only those aggregate ranks are
kept here, for India (IN) and Bangladesh (BD). Nepal is not in it: Nepali names
come from ``curated.py``. Which given names are Muslim is decided by
``curated.MUSLIM_GIVEN`` (domain knowledge), because the dataset has no religion;
a name far more common in the Arab world than in India is kept out of the
general pool for the same reason.
"""

from __future__ import annotations

import gzip
import json
import pickle  # the package's own published file, read once offline
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from bench.gen3 import curated  # noqa: E402

ARAB = ("SA", "EG", "MA", "DZ", "TN", "LY", "IQ", "JO", "PS", "SY", "LB", "YE", "SD")
# Arab countries with few South Asian workers: a name found there is Arabic.
ARAB_NOT_GULF = ("EG", "MA", "DZ", "TN", "LY", "IQ", "JO", "PS", "SY", "LB", "YE", "SD")
TAMIL_DIASPORA = ("MY", "SG")
# Not given names: prefixes, titles, words people type into a name box.
NOT_GIVEN = {
    "Md",
    "Mohd",
    "Mohammad",
    "Mohammed",
    "Muhammad",
    "Sk",
    "Kumar",
    "Kumari",
    "Devi",
    "Singh",
    "Baby",
    "Miss",
    "Mrs",
    "Prince",
    "Princess",
    "Angel",
    "King",
    "Queen",
    "Sweet",
    "Cute",
    "Dr",
    "Er",
    "Sri",
    "Shri",
    "Smt",
    "Bhai",
    "Boss",
    "Don",
    "Love",
    "Raja",
    "Rani",
    "Lucky",
    "Happy",
    "Star",
    "Dear",
    "Honey",
    "Mr",
    "Sir",
    "Ji",
    "Hero",
    "Romeo",
    "Rock",
    "Rocky",
    "Munna",
    "Sonu",
    "Monu",
    "Pinky",
    "Pinki",
}


def _load(wheel: Path, member: str) -> dict:
    with zipfile.ZipFile(wheel) as z, z.open(member) as fh:
        return pickle.loads(gzip.decompress(fh.read()))


def _share(v: dict, codes: tuple[str, ...]) -> float:
    return sum(v["country"].get(c, 0.0) for c in codes)


def build(wheel: Path) -> dict:
    first = _load(wheel, "names_dataset/v3/first_names.pkl.gz")
    last = _load(wheel, "names_dataset/v3/last_names.pkl.gz")
    muslim = {n for names in curated.MUSLIM_GIVEN.values() for n in names}
    pools: dict[str, list[list]] = {
        f"{p}_{s}": [] for p in ("general", "bengali", "south", "muslim") for s in "FM"
    }
    for name, v in first.items():
        rank_in, rank_bd = v["rank"].get("IN"), v["rank"].get("BD")
        if not (rank_in or rank_bd) or not name.isascii() or not name.isalpha():
            continue
        if len(name) < 3 or name in NOT_GIVEN or name != name.capitalize():
            continue
        p_f = v["gender"].get("F", 0.0)
        if 0.15 < p_f < 0.85:
            continue  # ambiguous gender in the source: leave out
        sex = "F" if p_f >= 0.85 else "M"
        rank = min(r for r in (rank_in, rank_bd) if r)
        if name in muslim:
            pools[f"muslim_{sex}"].append([name, rank])
            continue
        south_asian = _share(v, ("IN", "BD", "MU", "FJ", *TAMIL_DIASPORA))
        if south_asian < 0.15 or _share(v, ARAB) > 2 * v["country"].get("IN", 0.0):
            continue
        if _share(v, ARAB_NOT_GULF) >= 0.05:
            continue  # Muslim names enter only through the curated list
        surname_rank = last.get(name, {}).get("rank", {}).get("IN")
        if surname_rank and rank_in and surname_rank < rank_in / 2:
            continue  # mostly a family name (Das, Roy, Singh as a first name is noise)
        if rank_in and rank_in <= 3000:
            pools[f"general_{sex}"].append([name, rank_in])
            if _share(v, TAMIL_DIASPORA) >= 0.15:
                pools[f"south_{sex}"].append([name, rank_in])
        bd, in_ = v["country"].get("BD", 0.0), v["country"].get("IN", 0.0)
        # Bengali names used on both sides of the border; a name mainly of
        # Bangladesh (nine in ten Muslim) is most often a Muslim name.
        if rank_bd and rank_bd <= 2000 and bd >= 0.08 and in_ >= bd:
            pools[f"bengali_{sex}"].append([name, rank_bd])
    family: dict[str, dict[str, int]] = {"IN": {}, "BD": {}}
    for name, v in last.items():
        if not name.isascii() or not name.isalpha() or name != name.capitalize():
            continue
        for c, limit in (("IN", 4000), ("BD", 1500)):
            r = v["rank"].get(c)
            if r and r <= limit:
                family[c][name] = r
    for pool in pools.values():
        pool.sort(key=lambda x: (x[1], x[0]))
    return {
        "source": "names-dataset 3.3.1 (PyPI), per-country ranks; see build_names.py",
        "given": pools,
        "family": {
            c: dict(sorted(d.items(), key=lambda x: (x[1], x[0]))) for c, d in family.items()
        },
    }


if __name__ == "__main__":
    out = HERE / "data" / "names.json"
    out.write_text(json.dumps(build(Path(sys.argv[1])), ensure_ascii=False, indent=0) + "\n")
    print(out)
