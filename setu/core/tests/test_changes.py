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


def test_add_validates_before_saving_and_records_the_saved_row(db):
    import pytest

    from setu.core.errors import InvalidInput

    recorded: list[dict] = []
    bad = OrganisationFactory.build(name="")
    with pytest.raises(InvalidInput):
        changes.add(bad, ("name",), record=recorded.append)
    assert recorded == [] and bad._state.adding  # refused: nothing saved, nothing recorded
    org = OrganisationFactory.build(name="Prayas")
    assert changes.add(org, ("name",), record=recorded.append) is org
    assert not org._state.adding
    assert recorded == [{"before": None, "after": {"name": "Prayas"}}]


def test_remove_records_what_was_deleted(db):
    from setu.orgs.models import Organisation

    org = OrganisationFactory(name="Prayas")
    pk, recorded = org.pk, []
    changes.remove(org, ("name",), record=recorded.append)
    assert recorded == [{"before": {"name": "Prayas"}}]
    assert not Organisation.objects.filter(pk=pk).exists()


def test_recorder_names_a_deleted_row_by_the_id_it_had(db):
    from setu.audit import services as audit
    from setu.audit.models import AuditEntry

    org = OrganisationFactory(name="Prayas")
    pk = str(org.pk)
    changes.remove(org, ("name",), record=audit.recorder(actor=None, action="delete", target=org))
    entry = AuditEntry.objects.get(target_id=pk)
    assert entry.target_type == "orgs.organisation"
    assert entry.changes == {"before": {"name": "Prayas"}}
