"""The second, independent generator of Indian case records (bench/gen2)."""

from __future__ import annotations

import ast
import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

from bench import gen2
from bench.gen2 import corrupt

GEN2 = Path(gen2.__file__).parent


@pytest.fixture(scope="module")
def data() -> gen2.Dataset:
    return gen2.generate(6000, seed=3)


def test_same_seed_same_records_other_seed_other_records():
    a = gen2.generate(800, seed=11)
    b = gen2.generate(800, seed=11)
    c = gen2.generate(800, seed=12)
    assert a.records == b.records
    assert a.stats == b.stats
    assert a.records != c.records


def test_size_and_ids(data):
    n = len(data.records)
    assert 6000 <= n < 6000 + 60  # whole households: at most one household's records over
    ids = [r["record_id"] for r in data.records]
    assert len(set(ids)) == n
    persons = {r["person_id"] for r in data.records}
    assert 1.7 < n / len(persons) < 2.6
    # Record ids are assigned after shuffling: they do not group a person's records.
    first = [r["person_id"] for r in data.records[:200]]
    assert len(set(first)) > 150


def test_truth_is_consistent_per_person(data):
    by_person = defaultdict(list)
    for r in data.records:
        by_person[r["person_id"]].append(r)
    for recs in by_person.values():
        assert len({r["birth_date"] for r in recs if r["birth_date"]}) <= 1
        assert len({r["sex"] for r in recs if r["sex"]}) <= 1
        for r in recs:
            if r["age"] and r["birth_date"] == "":
                assert 5 <= int(r["age"]) <= 50
    # Every record comes from one of the four kinds of office.
    for recs in by_person.values():
        org_kinds = [r["org"].split("-")[0] for r in recs]
        assert set(org_kinds) <= {"home", "rescue", "shelter", "repatriation"}


def test_written_files_hold_no_truth_and_match(tmp_path, data):
    records_csv, truth_csv = tmp_path / "r.csv", tmp_path / "t.csv"
    gen2.write(data, records_csv, truth_csv)
    with records_csv.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == gen2.COLUMNS
        rows = list(reader)
    assert "person_id" not in rows[0]
    with truth_csv.open(encoding="utf-8", newline="") as fh:
        truth = {r["record_id"]: r["person_id"] for r in csv.DictReader(fh)}
    assert truth == data.truth()
    assert [r["record_id"] for r in rows] == [r["record_id"] for r in data.records]


@pytest.mark.parametrize(
    "kind",
    [
        "keyboard",
        "ocr",
        "phonetic",
        "matra",
        "cross_script",
        "renamed",
        "home_name",
        "swapped_order",
        "full_name_in_given",
        "missing_field",
        "heaped_age",
        "married_surname",
        "twins",
        "twin_subjects",
        "same_year_siblings",
        "sibling_subjects",
        "phone_typo",
        "script_devanagari",
        "script_bengali",
        "script_oriya",
    ],
)
def test_every_corruption_kind_occurs(data, kind):
    assert data.stats[kind] > 0


def test_corruptions_are_visible_in_the_records(data):
    recs = data.records
    text = " ".join(r["given_name"] for r in recs)
    assert re.search("[\u0900-\u097f]", text)  # Devanagari
    assert re.search("[\u0980-\u09ff]", text)  # Bengali
    assert re.search("[\u0b00-\u0b7f]", text)  # Odia
    # Renamed: a trafficker's name with the original kept as an alias.
    assert any(r["given_name"] in gen2.NEW_NAMES and r["alias"] for r in recs)
    # Ages away from home heap on multiples of five far above the 1 in 5 of chance.
    away = [int(r["age"]) for r in recs if r["age"] and not r["org"].startswith("home")]
    assert sum(a % 5 == 0 for a in away) / len(away) > 0.4
    # Siblings (twins among them) reported missing together: two persons, one home
    # office, one day.
    reported = defaultdict(set)
    for r in recs:
        if r["org"].startswith("home-"):
            reported[(r["org"], r["recorded_on"])].add(r["person_id"])
    assert any(len(p) > 1 for p in reported.values())
    # Missing fields and a full name written in the given-name column.
    assert any(not r["given_name"] for r in recs)
    assert any(" " in r["given_name"] and not r["family_name"] for r in recs)


def test_romanisation_styles():
    assert corrupt.romanise("বিজয়", "bengali", "plain") == "Vijay"
    assert corrupt.romanise("বিজয়", "bengali", "eastern") == "Bijoy"
    assert corrupt.romanise("लक्ष्मी", "devanagari", "long") == "Lakshmee"
    assert corrupt.romanise("लक्ष्मी", "devanagari", "clerk") == "Laxmi"
    assert corrupt.romanise("राम", "devanagari", "plain") == "Ram"
    assert corrupt.to_script("सुरेश", "devanagari", "bengali") == "সুরেশ"


def test_generator_is_independent_of_setu():
    for path in GEN2.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("setu", "django")), f"{path.name} imports {name}"
