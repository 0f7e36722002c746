"""The target place is encrypted at rest and found again through its blind index, by the team
only (issue 28, promise 3)."""

from __future__ import annotations

import pytest
from django.db import connection

from setu.fieldops import selectors
from setu.fieldops.models import Operation
from setu.fieldops.tests.conftest import PLACE

pytestmark = pytest.mark.django_db


def test_the_place_is_not_in_the_database_in_clear(operation):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT target_place, target_place_index FROM fieldops_operation WHERE id = %s",
            [Operation._meta.pk.get_db_prep_value(operation.pk, connection)],
        )
        stored, index = cursor.fetchone()
    assert stored.startswith("vdev:") and "tea stall" not in stored.lower()
    assert len(index) == 64 and "stall" not in index
    assert Operation.objects.get(pk=operation.pk).target_place == PLACE


def test_the_team_finds_an_open_operation_at_the_same_place(operation, personas):
    same = "third floor above the tea-stall,  lane 4 , KAMATHIPURA"
    assert selectors.operations_at_place(actor=personas["lead"], place=same) == [operation]
    assert selectors.operations_at_place(actor=personas["lead"], place="Lane 5") == []
    assert selectors.operations_at_place(actor=personas["lead"], place=" ,. ") == []


def test_whoever_may_not_see_the_place_cannot_confirm_it(operation, personas):
    # The organisation's admin sees the operation but not its place: a search must not tell.
    assert selectors.operation_list(actor=personas["org_admin"]).filter(pk=operation.pk).exists()
    assert selectors.operations_at_place(actor=personas["org_admin"], place=PLACE) == []
    assert selectors.operations_at_place(actor=personas["other_org"], place=PLACE) == []
