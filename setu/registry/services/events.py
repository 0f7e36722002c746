"""Writes of trafficking events (what happened in a case, where and when)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.registry import hooks
from setu.registry.models import (
    Case,
    TraffickingEvent,
)
from setu.registry.services._common import (
    _add,
    _case_target,
    _check_fields,
    _diff,
    _snapshot,
    _validate_case_row,
)

EVENT_FIELDS = (
    "kind",
    "person",
    "occurred_on",
    "date_precision",
    "place",
    "district",
    "state",
    "country",
    "description",
)


@transaction.atomic
def event_add(*, actor: Actor, case: Case, **fields: Any) -> TraffickingEvent:
    """Record something that happened in a case (fields: ``EVENT_FIELDS``)."""
    policy.require(actor, Action.EDIT, case)
    _check_fields(fields, EVENT_FIELDS)
    event = TraffickingEvent(case=case, recorded_by=actor.user, **fields)
    event.country = (event.country or "").upper()
    _validate_case_row(event, case, ("occurred_on",))
    # Validated above (more than ``full_clean``).
    _add(
        event,
        ("case", *EVENT_FIELDS),
        record=audit.recorder(
            actor=actor, action=AuditAction.CREATE, target=_case_target(event, case)
        ),
        validated=True,
    )
    hooks.event_recorded(event.pk)
    return event


@transaction.atomic
def event_update(*, actor: Actor, event: TraffickingEvent, **fields: Any) -> TraffickingEvent:
    """Correct an event (fields: ``EVENT_FIELDS``)."""
    policy.require(actor, Action.EDIT, event)
    _check_fields(fields, EVENT_FIELDS)
    event = TraffickingEvent.objects.select_for_update().select_related("case").get(pk=event.pk)
    before = _snapshot(event, EVENT_FIELDS)
    for name, value in fields.items():
        setattr(event, name, value)
    event.country = (event.country or "").upper()
    _validate_case_row(event, event.case, ("occurred_on",))
    event.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=_case_target(event, event.case),
        changes=_diff(before, _snapshot(event, EVENT_FIELDS)),
    )
    hooks.event_recorded(event.pk)
    return event
