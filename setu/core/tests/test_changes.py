"""Before/after copies for the trail are JSON-safe, whoever takes them."""

import datetime
import json
import uuid

from setu.core import changes
from setu.orgs.models import District
from setu.orgs.tests.factories import OrganisationFactory


def test_snapshot_gives_relations_as_ids_and_many_relations_once_saved(db):
    district = District.objects.select_related("state").first()
    org = OrganisationFactory(base_district=district)
    org.states.add(district.state)
    snap = changes.snapshot(org, ("name", "base_district"), many=("states",))
    assert snap == {
        "name": org.name,
        "base_district": str(district.pk),
        "states": [district.state.pk],
    }
    json.dumps(snap)  # storable as is
    unsaved = changes.snapshot(OrganisationFactory.build(), ("name",), many=("states",))
    assert "states" not in unsaved


def test_plain_values_and_changes():
    when, key = datetime.date(2026, 1, 2), uuid.uuid4()
    assert changes.json_value([when, key]) == ["2026-01-02", str(key)]
    assert changes.diff({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {
        "before": {"b": 2},
        "after": {"b": 3},
    }
