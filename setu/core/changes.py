"""Helpers for write services of every app: audit snapshots, field checks and validation errors."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from setu.core.errors import InvalidInput


def json_value(value: Any) -> Any:
    """A JSON-safe form of one field value (model rows by primary key, dates in ISO)."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


# What the audit trail holds instead of a personal value (a name, a phone number, an address,
# a document number, free text about a person). The trail is append-only and hash-chained, so
# a value written to it could never be erased when retention anonymises the record; it keeps
# who changed which field when, and the record itself keeps the value.
PERSONAL_MARK = "(personal data: kept in the record, not in the audit trail)"


@dataclass(frozen=True)
class Personal:
    """A personal value in a before/after snapshot: compared by value (so ``diff`` sees a
    change), written to the audit trail only as ``PERSONAL_MARK`` (``scrub``)."""

    value: Any

    def __str__(self) -> str:
        return PERSONAL_MARK


def scrub(value: Any) -> Any:
    """``value`` with every ``Personal`` replaced by ``PERSONAL_MARK`` (the audit trail's form)."""
    if isinstance(value, Personal):
        return PERSONAL_MARK
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


def snapshot(
    obj: models.Model, fields: Iterable[str], *, many: Iterable[str] = ()
) -> dict[str, Any]:
    """A JSON-safe copy of ``fields`` for the audit trail's before/after (relations as ids;
    ``many`` relations as sorted ids once the row is saved). Fields the model names in
    ``AUDIT_PERSONAL_FIELDS`` come back as ``Personal``, which the trail stores as a mark."""
    out: dict[str, Any] = {}
    personal = getattr(obj, "AUDIT_PERSONAL_FIELDS", ())
    for name in fields:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            raw = getattr(obj, field.attname)
            out[name] = str(raw) if raw is not None else None
        elif name in personal:
            out[name] = Personal(json_value(getattr(obj, name)))
        else:
            out[name] = json_value(getattr(obj, name))
    if obj.pk and not obj._state.adding:
        for name in many:
            out[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that changed, as the audit trail's before/after."""
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {"before": {k: before.get(k) for k in changed}, "after": {k: after[k] for k in changed}}


def check_fields(fields: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Refuse fields a caller may not set, rather than silently ignore them."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidInput({name: [_("This field cannot be set here.")] for name in unknown})


# Who-did-it columns are set by the services (or empty for imported rows), never by the caller.
BOOKKEEPING = ("created_by", "recorded_by", "author", "shared_by", "withdrawn_recorded_by")


def clean(obj: models.Model, exclude: Iterable[str] | None = None) -> None:
    """``full_clean`` with Django's errors turned into Setu's ``InvalidInput``."""
    skip = [*(exclude or ()), *(f.name for f in obj._meta.fields if f.name in BOOKKEEPING)]
    try:
        obj.full_clean(exclude=skip)
    except ValidationError as exc:
        raise InvalidInput({k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from exc


def raise_if(errors: dict[str, list[str]]) -> None:
    """Raise ``InvalidInput`` when any error was collected."""
    if errors:
        raise InvalidInput(errors)


def add_error(errors: dict[str, list[str]], field: str, message: str) -> None:
    """Collect one message for a field."""
    errors.setdefault(field, []).append(message)


# The two sequences every write service repeats, with the audit call passed in (core imports
# nothing of Setu): ``record`` is typically ``audit.services.recorder(actor=…, action=…,
# target=…)`` and is called, in the caller's transaction, with the entry's before/after.
Record = Callable[[dict[str, Any]], object]


def add[M: models.Model](
    obj: M,
    fields: Iterable[str],
    *,
    record: Record,
    exclude: Iterable[str] | None = None,
    validated: bool = False,
) -> M:
    """Validate (``clean``, unless the caller ``validated`` already), save a new row, then
    record its snapshot: ``{"before": None, "after": snapshot(obj, fields)}``."""
    if not validated:
        clean(obj, exclude)
    obj.save()
    record({"before": None, "after": snapshot(obj, fields)})
    return obj


def remove(obj: models.Model, fields: Iterable[str], *, record: Record) -> None:
    """Snapshot a row, delete it, then record the snapshot: ``{"before": snapshot}``."""
    before = snapshot(obj, fields)
    obj.delete()
    record({"before": before})
