"""Tests for the synthetic record generator (no database needed)."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from setu.synth import (
    INTERCHANGE_COLUMNS,
    RECORD_COLUMNS,
    ROLES,
    VARIATION_CLASSES,
    generate_population,
    read_interchange_csv,
    read_truth_csv,
    write_interchange_csv,
    write_truth_csv,
)
from setu.synth.__main__ import main as cli_main
from setu.synth.geo import load_geography
from setu.synth.names import HONORIFICS, pool_sizes
from setu.synth.variation import to_script, translit_variants


@pytest.fixture(scope="module")
def pop():
    return generate_population(3000, seed=11, track_variations=True)


def test_deterministic_for_seed():
    a = generate_population(300, seed=5)
    b = generate_population(300, seed=5)
    c = generate_population(300, seed=6)
    assert a.records == b.records
    assert [p.person_id for p in a.people] == [p.person_id for p in b.people]
    assert a.records != c.records


def test_record_shape(pop):
    geo = load_geography()
    ids = set()
    for rec in pop.records:
        assert tuple(rec) == RECORD_COLUMNS
        assert rec["role"] in ROLES
        assert rec["recorded_state"] in geo.states
        assert rec["home_state_code"] in geo.states
        assert rec["age"] is None or isinstance(rec["age"], int)
        assert "2015-01-01" <= rec["recorded_on"] <= "2026-12-31"
        ids.add(rec["record_id"])
    assert len(ids) == len(pop.records)


def test_people_profile(pop):
    geo = load_geography()
    for p in pop.people[:500]:
        assert p.sex in ("F", "M")
        assert p.given_name and p.father_name
        assert geo.districts[p.district_code].state_code == p.state_code
        assert p.given_name_native and not p.given_name_native.isascii()
        for phone in p.phones:
            assert re.fullmatch(r"[6-9]\d{9}", phone)


def test_every_variation_class_appears(pop):
    missing = [v for v in VARIATION_CLASSES if pop.variation_counts[v] == 0]
    assert not missing


def test_variations_visible_in_data(pop):
    """Spot-check variation classes directly in the data, not only the tags."""
    recs = pop.records
    scripts = {r["script"] for r in recs}
    assert {"Latn", "Beng", "Deva", "Orya"} <= scripts
    assert any(r["phone"].startswith("+91") for r in recs)
    assert any(r["phone"].startswith("0") for r in recs)
    assert any(re.fullmatch(r"\d{4}", r["birth_date"]) for r in recs)
    assert any(r["age"] is not None and not r["birth_date"] for r in recs)
    assert any(r["state"] in ("WB", "W.B.", "W.B") for r in recs)
    assert any(r["family_name"] in HONORIFICS for r in recs)
    assert any(r["alias"] for r in recs)
    assert any(r["given_name"] and not r["family_name"] for r in recs)


def test_age_error_within_three_years(pop):
    people = {p.person_id: p for p in pop.people}
    for rec in pop.records:
        if rec["age"] is None:
            continue
        p = people[rec["person_id"]]
        on = rec["recorded_on"]
        y, m, d = map(int, on.split("-"))
        b = p.birth_date
        true_age = y - b.year - ((m, d) < (b.month, b.day))
        assert abs(rec["age"] - true_age) <= 3


def test_same_person_records_share_truth(pop):
    by_person = defaultdict(list)
    for rec in pop.records:
        by_person[rec["person_id"]].append(rec)
    people = {p.person_id: p for p in pop.people}
    assert set(by_person) == set(people)
    multi = [rs for rs in by_person.values() if len(rs) > 1]
    assert len(multi) > len(by_person) * 0.4
    for rs in multi:
        assert len({r["home_state_code"] for r in rs}) == 1


def test_siblings_share_family_but_are_different_persons(pop):
    families = defaultdict(list)
    for p in pop.people:
        families[p.family_id].append(p)
    sibling_sets = [ps for ps in families.values() if len(ps) > 1]
    assert len(sibling_sets) > 100
    shared_phone = 0
    for ps in sibling_sets:
        assert len({p.person_id for p in ps}) == len(ps)
        assert len({p.father_name for p in ps}) == 1
        assert len({p.mother_name for p in ps}) == 1
        assert len({(p.village, p.district_code) for p in ps}) == 1
        assert len({p.given_name for p in ps}) == len(ps)
        if set(ps[0].phones) & set(ps[1].phones):
            shared_phone += 1
    # "Often" share a phone: the family phone.
    assert shared_phone > len(sibling_sets) * 0.3


def test_truth_and_csv_round_trip(pop, tmp_path):
    out = tmp_path / "records.csv"
    truth = tmp_path / "truth.csv"
    assert write_interchange_csv(pop.records, out) == len(pop.records)
    write_truth_csv(pop.records, truth)
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(INTERCHANGE_COLUMNS)
    back = read_interchange_csv(out)
    assert [tuple(r) for r in back[:1]] == [INTERCHANGE_COLUMNS]
    for orig, got in zip(pop.records, back, strict=True):
        assert got == {c: orig[c] for c in INTERCHANGE_COLUMNS}
    mapping = read_truth_csv(truth)
    assert mapping == pop.truth()
    assert {r["record_id"] for r in back} == set(mapping)

    full = tmp_path / "full.csv"
    write_interchange_csv(pop.records, full, with_truth=True)
    assert read_interchange_csv(full) == pop.records


def test_cli(tmp_path):
    out, truth = tmp_path / "r.csv", tmp_path / "t.csv"
    assert (
        cli_main(["--persons", "50", "--seed", "3", "--output", str(out), "--truth", str(truth)])
        == 0
    )
    records = read_interchange_csv(out)
    mapping = read_truth_csv(truth)
    assert len(records) == len(mapping) >= 50
    expected = generate_population(50, seed=3).records
    assert [r["given_name"] for r in records] == [r["given_name"] for r in expected]


def test_pools_are_large_enough():
    sizes = pool_sizes()
    assert sizes["female"] >= 300
    assert sizes["male"] >= 200
    assert sizes["family"] >= 200


def test_transliteration_helpers():
    assert "Puja" in translit_variants("Pooja")
    assert "Md." in translit_variants("Mohammad")
    assert "Khatoon" in translit_variants("Khatun")
    assert "Laxmi" in translit_variants("Lakshmi")
    assert to_script("Pooja", "Deva", True) == "पूजा"
    assert to_script("Mondal", "Beng") == "মোন্দল"
