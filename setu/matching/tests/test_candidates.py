"""Candidate retrieval from the database index: the engine's posting caps, read cap + 1 rows at
most per key, on every database (one UNION ALL on PostgreSQL, one query per key elsewhere)."""

from __future__ import annotations

import pytest

from setu.linkage import MatchConfig
from setu.matching import engine, services
from setu.matching.models import MatchKey, MatchRecord
from setu.orgs.tests.factories import OrganisationFactory
from setu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

QUERY = engine.record_from_data({"record_id": "q", "given_name": "Rupa"})


@pytest.fixture
def caps(monkeypatch):
    monkeypatch.setattr(
        engine, "CONFIG", MatchConfig(index_posting_cap=3, index_broad_posting_cap=2)
    )
    monkeypatch.setattr(engine, "query_keys", lambda record: ["k:small", "k:big", "g:broad"])


def _filed(org, keys, *, cross_org=True):
    mr = MatchRecord.objects.create(
        person=PersonFactory(owner_org=org), organisation=org, cross_org=cross_org
    )
    for key in keys:
        MatchKey.objects.create(record=mr, key=key, organisation_id=org.pk, cross_org=cross_org)
    return mr


def _found(org, *, cross_org=True):
    return {
        r.pk for r in services.candidate_records(QUERY, organisation_id=org.pk, cross_org=cross_org)
    }


def test_keys_over_their_cap_are_skipped(caps):
    mine, other = OrganisationFactory(), OrganisationFactory()
    small = [_filed(other, ["k:small"]) for _ in range(3)]
    [_filed(other, ["k:big"]) for _ in range(4)]
    [_filed(other, ["g:broad"]) for _ in range(3)]  # over the broad cap of 2
    assert _found(mine) == {r.pk for r in small}


def test_only_oversized_keys_give_the_newest_postings(caps):
    mine, other = OrganisationFactory(), OrganisationFactory()
    filed = [_filed(other, ["k:big"]) for _ in range(5)]
    assert _found(mine) == {r.pk for r in filed[-3:]}


def test_cross_org_retrieval_sees_consenting_records_of_other_organisations_only(caps):
    mine, other = OrganisationFactory(), OrganisationFactory()
    own = _filed(mine, ["k:small"])
    theirs = _filed(other, ["k:small"])
    _filed(other, ["k:small"], cross_org=False)
    assert _found(mine) == {theirs.pk}
    assert _found(mine, cross_org=False) == {own.pk}
