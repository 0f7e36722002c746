"""Writes of service records (what a person received in a case: HTCDS Support Plan)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.registry.models import (
    Case,
    ServiceRecord,
)
from setu.registry.services._common import (
    _add,
    _add_error,
    _case_target,
    _check_fields,
    _diff,
    _raise_if,
    _snapshot,
    _validate_case_row,
)

SERVICE_FIELDS = (
    "service_type",
    "person",
    "status",
    "provider_org",
    "provider_name",
    "started_on",
    "ended_on",
    "notes",
)


def _validate_service(service: ServiceRecord, case: Case) -> None:
    errors: dict[str, list[str]] = {}
    if service.started_on and service.ended_on and service.ended_on < service.started_on:
        _add_error(errors, "ended_on", _("A service cannot end before it started."))
    _raise_if(errors)
    _validate_case_row(service, case, ("started_on",))


@transaction.atomic
def service_add(*, actor: Actor, case: Case, **fields: Any) -> ServiceRecord:
    """Record a service given in a case (fields: ``SERVICE_FIELDS``)."""
    policy.require(actor, Action.EDIT, case)
    _check_fields(fields, SERVICE_FIELDS)
    service = ServiceRecord(case=case, **fields)
    _validate_service(service, case)
    # Validated above (more than ``full_clean``).
    _add(
        service,
        ("case", *SERVICE_FIELDS),
        record=audit.recorder(
            actor=actor, action=AuditAction.CREATE, target=_case_target(service, case)
        ),
        validated=True,
    )
    return service


@transaction.atomic
def service_update(*, actor: Actor, service: ServiceRecord, **fields: Any) -> ServiceRecord:
    """Update a service record (progress, dates, notes)."""
    policy.require(actor, Action.EDIT, service)
    _check_fields(fields, SERVICE_FIELDS)
    service = ServiceRecord.objects.select_for_update().select_related("case").get(pk=service.pk)
    before = _snapshot(service, SERVICE_FIELDS)
    for name, value in fields.items():
        setattr(service, name, value)
    _validate_service(service, service.case)
    service.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=_case_target(service, service.case),
        changes=_diff(before, _snapshot(service, SERVICE_FIELDS)),
    )
    return service
