"""Golden pairs: one per variation class that must match, and siblings that must not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from setu.linkage import MatchConfig, PersonRecord, dedupe, explain, link

BASE = PersonRecord(
    record_id="A",
    given_name="Puja",
    family_name="Mondal",
    sex="F",
    age=14,
    recorded_on="2019-06-01",
    father_name="Ramesh Mondal",
    mother_name="Lakshmi Mondal",
    village="Khargram",
    district="Murshidabad",
    state="West Bengal",
    phone="9830012345",
)

MATCHES = {
    "transliteration": dict(given_name="Pooja", family_name="Mandal"),
    "devanagari": dict(given_name="पूजा", family_name="मंडल", father_name="रमेश मंडल"),
    "bengali": dict(given_name="পূজা", family_name="মণ্ডল"),
    "suffix_added": dict(given_name="Puja Kumari", family_name="Mondal"),
    "honorific_family": dict(given_name="Puja", family_name="Devi"),
    "swapped": dict(given_name="Mondal", family_name="Puja"),
    "merged": dict(given_name="Puja Mondal", family_name=""),
    "single_name": dict(given_name="Puja", family_name=""),
    "nickname_in_alias": dict(given_name="Munni", alias="Puja", family_name="Mondal"),
    "age_later": dict(age=19, recorded_on="2024-05-01"),
    "birth_year_only": dict(age=None, birth_date="2005", recorded_on=""),
    "old_district_name_and_state_abbrev": dict(district="Murshidabaad", state="W.B."),
    "village_spelling": dict(village="Khaargram"),
    "phone_format": dict(phone="+91 98300-12345"),
    "father_partial": dict(father_name="Ramesh Chandra Mondal", mother_name=""),
    "typo": dict(given_name="Pjua"),
}


@pytest.mark.parametrize("variation", sorted(MATCHES))
def test_variant_of_same_person_matches(variation: str) -> None:
    other = replace(BASE, record_id="B", org="other", **MATCHES[variation])
    ex = explain(BASE, other)
    assert ex.decision == "match", (variation, ex.summary)
    assert ex.probability >= MatchConfig().match_threshold


def test_day_month_swap_and_dates() -> None:
    a = replace(BASE, age=None, recorded_on="", birth_date="2005-03-07")
    b = replace(a, record_id="B", birth_date="2005-07-03")
    by = {f.field: f for f in explain(a, b).fields}
    assert by["birth"].level == "date_swapped"
    c = replace(a, record_id="C", birth_date="1990-03-07")
    assert {f.field: f for f in explain(a, c).fields}["birth"].level == "far"


SIBLINGS = {
    "sister": dict(given_name="Rekha", age=16),
    "sister_same_age_estimate": dict(given_name="Rekha", age=14),
    "brother": dict(given_name="Rahul", sex="M", age=12),
    "twin_sister_same_birth": dict(given_name="Rupa"),
}


@pytest.mark.parametrize("sibling", sorted(SIBLINGS))
def test_siblings_sharing_household_stay_apart(sibling: str) -> None:
    other = replace(BASE, record_id="S", **SIBLINGS[sibling])
    ex = explain(BASE, other)
    assert ex.decision == "non-match", (sibling, ex.summary)


def test_shared_phone_alone_does_not_link() -> None:
    a = PersonRecord(
        "A", given_name="Salma", sex="F", phone="9830012345", age=20, recorded_on="2020-01-01"
    )
    b = PersonRecord(
        "B", given_name="Rubina", sex="F", phone="+919830012345", age=25, recorded_on="2020-01-01"
    )
    c = PersonRecord("C", phone="9830012345")
    d = PersonRecord("D", phone="09830012345")
    assert explain(a, b).decision == "non-match"
    assert explain(c, d).decision == "non-match"
    assert dedupe([a, b, c, d]) == {"A": "A", "B": "B", "C": "C", "D": "D"}


def test_same_common_name_without_other_evidence_is_not_a_match() -> None:
    a = PersonRecord("A", given_name="Puja", sex="F", age=15, recorded_on="2020-01-01")
    b = PersonRecord(
        "B",
        given_name="Puja",
        sex="F",
        age=15,
        recorded_on="2021-01-01",
        district="Pune",
        state="MH",
    )
    assert explain(a, b).decision != "match"


def test_different_sex_is_strong_evidence_against() -> None:
    b = replace(BASE, record_id="B", sex="M")
    assert explain(BASE, b).decision != "match"


def test_dedupe_groups_variants_and_separates_siblings() -> None:
    records = [BASE]
    for i, variation in enumerate(sorted(MATCHES)):
        records.append(replace(BASE, record_id=f"V{i:02d}", **MATCHES[variation]))
    for i, sibling in enumerate(sorted(SIBLINGS)):
        records.append(replace(BASE, record_id=f"S{i:02d}", **SIBLINGS[sibling]))
    clusters = dedupe(records)
    assert set(clusters) == {r.record_id for r in records}
    puja = {rid for rid, c in clusters.items() if c == clusters["A"]}
    assert not any(rid.startswith("S") for rid in puja)
    # Most variants join Puja's cluster (the cluster safeguards may hold some back).
    assert len(puja) >= 8
    # Cluster id is the smallest record_id of the cluster.
    assert clusters["A"] == min(puja)


def test_link_finds_cross_org_pairs_best_first() -> None:
    left = [BASE, replace(BASE, record_id="L2", given_name="Salma", family_name="Bibi", sex="F")]
    right = [
        replace(BASE, record_id="R1", given_name="पूजा", age=19, recorded_on="2024-06-01"),
        replace(BASE, record_id="R2", given_name="Rekha", age=16),
    ]
    pairs = link(left, right)
    assert [(p.left_id, p.right_id) for p in pairs] == [("A", "R1")]
    assert 0.95 <= pairs[0].score <= 1 and pairs[0].weight > 0
    low = link(left, right, threshold=0.0001)
    assert [p.score for p in low] == sorted((p.score for p in low), reverse=True)


def test_threshold_is_validated() -> None:
    with pytest.raises(ValueError):
        dedupe([BASE], threshold=1.5)


def test_config_ranges_are_validated() -> None:
    with pytest.raises(ValueError, match="family_range"):
        MatchConfig(family_range=(3.0, -3.0))
    with pytest.raises(ValueError, match="prior_range"):
        MatchConfig(prior_range=(-10.0, -30.0))
    # A reference size of 0 would divide by zero when the prior is scaled.
    with pytest.raises(ValueError, match="prior_reference_records"):
        MatchConfig(prior_reference_records=0)
    with pytest.raises(ValueError, match="prior_scale_rate"):
        MatchConfig(prior_scale_rate=-0.5)
