"""Helpers shared by the registry write services (generic ones: ``setu.core.changes``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.core.changes import add as _add
from setu.core.changes import add_error as _add_error
from setu.core.changes import check_fields as _check_fields
from setu.core.changes import clean as _clean
from setu.core.changes import diff as _diff
from setu.core.changes import json_value as _value
from setu.core.changes import raise_if as _raise_if
from setu.core.changes import remove as _remove
from setu.core.changes import snapshot as _snapshot
from setu.registry.models import (
    Case,
    CasePerson,
    Person,
)

if TYPE_CHECKING:
    from setu.orgs.models import District

# The write services import their helpers from here, generic and registry-specific alike.
__all__ = [
    "_add",
    "_add_error",
    "_case_target",
    "_check_fields",
    "_check_place",
    "_clean",
    "_diff",
    "_person_target",
    "_raise_if",
    "_remove",
    "_snapshot",
    "_today",
    "_validate_case_row",
    "_value",
]


def _today() -> datetime.date:
    return timezone.localdate()


def _case_target(obj: models.Model, case: Case) -> tuple[str, str, Any]:
    """Audit target for a row of a case: the row, filed under the case's owning organisation."""
    return (obj._meta.label_lower, str(obj.pk), case.owner_org_id)


def _person_target(obj: models.Model, person: Person) -> tuple[str, str, Any]:
    return (obj._meta.label_lower, str(obj.pk), person.owner_org_id)


def _check_place(errors: dict[str, list[str]], obj: Any) -> None:
    """District and state must agree; a district alone fills in its state."""
    district: District | None = getattr(obj, "district", None)
    if district is None:
        return
    if obj.state_id is None:
        obj.state_id = district.state_id
    elif obj.state_id != district.state_id:
        _add_error(errors, "district", _("This district is not in the chosen state."))


def _validate_case_row(obj: Any, case: Case, date_fields: Iterable[str]) -> None:
    errors: dict[str, list[str]] = {}
    today = _today()
    for name in date_fields:
        value = getattr(obj, name)
        if value and value > today:
            _add_error(errors, name, _("This date cannot be in the future."))
    if (
        getattr(obj, "person_id", None)
        and not CasePerson.objects.filter(case=case, person_id=obj.person_id).exists()
    ):
        _add_error(errors, "person", _("This person is not part of the case."))
    if hasattr(obj, "district_id"):
        _check_place(errors, obj)
    _raise_if(errors)
    _clean(obj)
