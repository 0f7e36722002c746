from __future__ import annotations

import pytest

from setu.linkage import PersonRecord


@pytest.fixture
def girl() -> PersonRecord:
    """A girl reported missing in Murshidabad."""
    return PersonRecord(
        record_id="M-1",
        org="CWC Murshidabad",
        given_name="Puja",
        family_name="Khatun",
        sex="F",
        age=14,
        recorded_on="2019-06-01",
        father_name="Rafiqul Sk",
        mother_name="Amina Bibi",
        village="Khargram",
        district="Murshidabad",
        state="West Bengal",
        phone="+91 98300 12345",
    )
