"""The third, independent generator of Indian case records (bench/gen3), a development set."""

from __future__ import annotations

import ast
import csv
import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bench import gen3
from bench.gen3 import corrupt, curated, places, population, script

GEN3 = Path(gen3.__file__).parent


@pytest.fixture(scope="module")
def data() -> gen3.Dataset:
    return gen3.generate(6000, seed=3)


@pytest.fixture(scope="module")
def by_person(data) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in data.records:
        out[r["person_id"]].append(r)
    return out


def test_same_seed_same_records_other_seed_other_records():
    a = gen3.generate(700, seed=11)
    b = gen3.generate(700, seed=11)
    c = gen3.generate(700, seed=12)
    assert a.records == b.records
    assert a.stats == b.stats
    assert a.records != c.records


def test_size_ids_and_records_per_person(data, by_person):
    n = len(data.records)
    assert 6000 <= n < 6000 + 6  # whole persons: at most one person's records over
    assert len({r["record_id"] for r in data.records}) == n
    assert data.stats["persons"] == len(by_person)
    assert 1.9 < n / len(by_person) < 2.5
    singletons = sum(len(v) == 1 for v in by_person.values()) / len(by_person)
    assert 0.3 < singletons < 0.48
    # Ids are given after shuffling: neighbouring ids are not one person's records.
    assert len({r["person_id"] for r in data.records[:200]}) > 150


def test_truth_is_consistent_per_person(by_person):
    for recs in by_person.values():
        assert len({r["sex"] for r in recs if r["sex"]}) <= 1
        # Full birth dates may be a 1 January placeholder or have day and month
        # swapped, but the year is the true one.
        assert len({r["birth_date"][:4] for r in recs if len(r["birth_date"]) == 10}) <= 1
        kinds = {r["org"].split("-")[0] for r in recs}
        assert kinds <= {"missing", "police", "ngo", "shelter"}
        assert sum(r["org"].startswith("missing-") for r in recs) <= 1
        for r in recs:
            assert "2012-01-01" <= r["recorded_on"] <= "2026-06-30"
            if r["age"]:
                assert 5 <= int(r["age"]) <= 60


def test_values_have_the_interchange_shapes(data):
    for r in data.records:
        assert r["sex"] in ("F", "M", "")
        assert r["age"] == "" or r["age"].isdigit()
        assert re.fullmatch(r"(\d{4}(-\d{2}-\d{2})?)?", r["birth_date"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["recorded_on"])


def test_written_files_hold_no_truth_and_the_engine_reads_them(tmp_path, data):
    from setu.linkage import read_records

    records_csv, truth_csv = tmp_path / "r.csv", tmp_path / "t.csv"
    gen3.write(data, records_csv, truth_csv)
    with records_csv.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == gen3.COLUMNS
        rows = list(reader)
    assert "person_id" not in rows[0]
    with truth_csv.open(encoding="utf-8", newline="") as fh:
        assert {r["record_id"]: r["person_id"] for r in csv.DictReader(fh)} == data.truth()
    assert len(read_records(records_csv)) == len(data.records)


# Rates of each phenomenon, per record unless said otherwise. The ranges are the
# design (see corrupt.PROFILES); a change that moves a rate out of them must
# change this table on purpose.
RATES = {
    "phonetic_given": (0.12, 0.30),
    "vowel_given": (0.05, 0.15),
    "typo_given": (0.015, 0.06),
    "swapped": (0.02, 0.08),
    "full_name_in_given": (0.03, 0.10),
    "initial": (0.03, 0.09),
    "home_name_given": (0.05, 0.14),
    "home_name_alias": (0.04, 0.12),
    "renamed": (0.03, 0.09),
    "married_name": (0.06, 0.18),
    "heaped_age": (0.2, 0.4),
    "coached_age": (0.02, 0.09),
    "dob_full": (0.05, 0.14),
    "dob_year": (0.09, 0.19),
    "neighbour_village": (0.025, 0.08),
    "old_district": (0.02, 0.08),
    "false_address": (0.02, 0.08),
    "phone_changed": (0.04, 0.13),
    "phone_typo": (0.004, 0.025),
    "script_any": (0.10, 0.22),
    "source_missing": (0.12, 0.22),
    "source_fir": (0.18, 0.30),
    "source_intake": (0.28, 0.42),
    "source_shelter": (0.18, 0.30),
}
PERSON_RATES = {
    "person_twin": (0.012, 0.05),  # twin births ~1.5%: two people each
    "person_renamed": (0.07, 0.18),
    "person_married": (0.12, 0.30),
}


@pytest.mark.parametrize("kind", sorted(RATES))
def test_record_rates_within_design(data, kind):
    lo, hi = RATES[kind]
    assert lo <= data.stats[kind] / len(data.records) <= hi


@pytest.mark.parametrize("kind", sorted(PERSON_RATES))
def test_person_rates_within_design(data, kind):
    lo, hi = PERSON_RATES[kind]
    assert lo <= data.stats[kind] / data.stats["persons"] <= hi


def test_phenomena_are_visible_in_the_records(data, by_person):
    recs = data.records
    n = len(recs)
    # Birth dates mostly missing, else often the year alone.
    assert sum(not r["birth_date"] for r in recs) / n > 0.7
    # Ages heap on multiples of five far above the 1 in 5 of chance.
    ages = [int(r["age"]) for r in recs if r["age"]]
    assert 0.35 < sum(a % 5 == 0 for a in ages) / len(ages) < 0.65
    # Names in native scripts, several of them.
    scripts = Counter(script.script_of(r["given_name"]) for r in recs)
    for name in ("devanagari", "bengali", "telugu", "tamil"):
        assert scripts[name] > 0, name
    # Home names in the given or alias field.
    home = set(curated.HOME_NAMES["F"] + curated.HOME_NAMES["M"])
    assert 0.06 < sum(r["given_name"] in home or r["alias"] in home for r in recs) / n < 0.2
    # A trafficker's name with the real one kept as alias.
    imposed = set(curated.IMPOSED_NAMES["F"] + curated.IMPOSED_NAMES["M"])
    assert any(r["given_name"] in imposed and r["alias"] for r in recs)
    # Old district names after renamings and splits.
    old = {o for ds in places.load_districts().values() for d in ds for o in d.old_names}
    assert sum(r["district"] in old for r in recs) / n > 0.02
    # Cross-border people: Nepali family names and Bangladeshi districts.
    assert any(r["family_name"] in curated.NEPALI_FAMILY for r in recs)
    assert any(r["district"] in curated.BANGLADESH_DISTRICTS for r in recs)
    # Women's second names in place of a family name.
    assert any(r["family_name"] in ("Khatun", "Bibi", "Begum") for r in recs)
    assert any(r["family_name"] in ("Kumari", "Devi") for r in recs)
    # Phone mostly missing.
    assert sum(not r["phone"] for r in recs) / n > 0.45


def test_households_make_cousins_and_namesakes(data):
    # Different people with one family name in one village (brothers' children,
    # clans), and different people under one exact name in one district.
    fam, name = defaultdict(set), defaultdict(set)
    for r in data.records:
        if r["family_name"] and r["village"]:
            fam[(r["family_name"], r["village"])].add(r["person_id"])
        if r["given_name"] and r["family_name"] and r["district"]:
            name[(r["given_name"], r["family_name"], r["district"])].add(r["person_id"])
    assert sum(len(p) > 1 for p in fam.values()) > 100
    assert sum(len(p) > 1 for p in name.values()) > 5


def test_twins_share_a_birth_date_and_a_household():
    rng = random.Random(5)
    people = population.build(rng, 3000)
    by_pid = {p.pid: p for p in people}
    twins = [p for p in people if p.twin_of]
    assert twins
    for p in twins:
        other = by_pid[p.twin_of]
        assert other.birth == p.birth
        assert other.household == p.household
        assert other.father == p.father


def test_corruption_functions():
    rng = random.Random(1)
    assert {corrupt.phonetic("Vijay", random.Random(i), "bengali") for i in range(30)} >= {"Bijay"}
    assert corrupt.vowel("Ramesh", random.Random(2)) != "Ramesh"
    assert corrupt.typo("Lakshmi", rng) != "Lakshmi"
    assert script.to_script("Pooja", "devanagari", feminine=True) == "पूजा"
    assert script.to_script("Lakshmi", "bengali", feminine=True) == "লক্ষ্মী"
    assert script.to_script("Rahul", "telugu") == "రహుల"  # by ear: the long a is lost
    assert script.to_script("K.", "tamil") == "K."


def test_name_data_is_vendored_with_licence():
    data = json.loads((GEN3 / "data" / "names.json").read_text(encoding="utf-8"))
    for pool in ("general_F", "general_M", "bengali_F", "muslim_F", "south_F"):
        assert len(data["given"][pool]) >= 15, pool
    assert data["family"]["IN"]["Kumar"] == 1
    assert (GEN3 / "data" / "LICENSE-names-dataset").exists()


def test_generator_is_independent_of_setu_and_gen2():
    for path in GEN3.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("setu", "django", "bench.gen2")), (
                    f"{path.name} imports {name}"
                )
