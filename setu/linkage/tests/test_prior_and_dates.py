"""The "date one typo away" birth level."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np

from setu.linkage import PersonRecord, explain
from setu.linkage._batch import _birth_levels, build_frame
from setu.linkage._compare import compare_birth, one_typo_apart

DATED = PersonRecord(
    "A", given_name="Rekha", family_name="Mondal", sex="F", birth_date="1987-05-12",
    village="Beldanga", district="Murshidabad", state="WB",
)  # fmt: skip


def _birth_level(a: str, b: str) -> str:
    ex = explain(replace(DATED, birth_date=a), replace(DATED, record_id="B", birth_date=b))
    return {f.field: f for f in ex.fields}["birth"].level


def test_one_typo_apart() -> None:
    assert one_typo_apart(19870512, 19780512)  # year digits transposed
    assert one_typo_apart(19870512, 19880512)  # one digit of the year
    assert one_typo_apart(19870512, 19870521)  # day digits transposed
    assert one_typo_apart(19870512, 19870513)  # day off by one key
    assert not one_typo_apart(19870512, 19870512)
    assert not one_typo_apart(19870512, 19920803)
    assert not one_typo_apart(19870512, 19780521)  # two separate slips
    assert not one_typo_apart(20050307, 20050703)  # day/month swap is its own level


def test_typo_in_date_of_birth_matches_but_a_different_date_does_not() -> None:
    assert _birth_level("1987-05-12", "1978-05-12") == "date_typo"
    assert _birth_level("1987-05-12", "1987-05-21") == "date_typo"
    assert _birth_level("1987-05-12", "1992-08-03") == "far"
    assert _birth_level("2005-03-07", "2005-07-03") == "date_swapped"
    assert _birth_level("1987-05-12", "1987-05-12") == "date"
    # Same girl, year mistyped: now a match. Before, "far" counted ~5 bits against her.
    typo = explain(DATED, replace(DATED, record_id="B", birth_date="1978-05-12"))
    assert typo.decision == "match", typo.summary
    other = explain(DATED, replace(DATED, record_id="B", birth_date="1992-08-03"))
    assert other.decision != "match"
    assert typo.weight > other.weight + 5


def test_vectorised_birth_levels_equal_compare_birth() -> None:
    values = ["1987-05-12", "1978-05-12", "1987-05-21", "1987-12-05", "1988-05-12", "1987",
              "1987-05", "2005-03-07", "2005-07-03", ""]  # fmt: skip
    records = [PersonRecord(str(i), given_name="x", birth_date=v) for i, v in enumerate(values)]
    records += [PersonRecord("age", given_name="x", age=37, recorded_on="2024-06-01")]
    frame = build_frame(records)
    pairs = list(itertools.product(range(len(records)), repeat=2))
    a = np.array([i for i, _ in pairs])
    b = np.array([j for _, j in pairs])
    got = _birth_levels(frame.ids[2][a], frame.ids[2][b], frame.tables[2])
    want = [compare_birth(frame.feats[i].birth, frame.feats[j].birth) for i, j in pairs]
    assert got.tolist() == want
