"""Writes to the service directory, and its audited HSDS export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core import changes
from setu.core.errors import InvalidInput
from setu.directory import hsds, selectors
from setu.directory.models import Service

if TYPE_CHECKING:
    from setu.orgs.models import District, State

# Plain fields a form or API may set; organisation is always the actor's own.
FIELDS = (
    "service_type", "name", "description", "age_min", "age_max", "sexes", "languages",
    "disability_access", "eligibility_notes", "phone", "email", "hours", "is_active",
)  # fmt: skip


def _apply(
    service: Service,
    data: dict[str, Any],
    districts: Iterable[District] | None,
    states: Iterable[State] | None,
) -> None:
    for name in FIELDS:
        if name in data:
            setattr(service, name, data[name])
    if not service.name and service.service_type:
        service.name = str(service.get_service_type_display())
    changes.clean(service)
    service.save()
    if districts is not None:
        service.districts.set(districts)
    if states is not None:
        service.states.set(states)


@transaction.atomic
def service_create(
    *,
    actor: Actor,
    data: dict[str, Any],
    districts: Iterable[District] = (),
    states: Iterable[State] = (),
) -> Service:
    """Add a service to the directory for the actor's organisation."""
    policy.require_allowed(actor, Action.CREATE, "directory.service")
    service = Service(organisation_id=actor.organisation_id)
    _apply(service, data, districts, states)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=service,
        changes={
            "before": None,
            "after": changes.snapshot(service, FIELDS, many=("districts", "states")),
        },
    )
    return service


@transaction.atomic
def service_update(
    *,
    actor: Actor,
    service: Service,
    data: dict[str, Any],
    districts: Iterable[District] | None = None,
    states: Iterable[State] | None = None,
) -> Service:
    """Change a service of the actor's organisation (including switching it off)."""
    policy.require(actor, Action.EDIT, service)
    before = changes.snapshot(service, FIELDS, many=("districts", "states"))
    _apply(service, data, districts, states)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=service,
        changes={
            "before": before,
            "after": changes.snapshot(service, FIELDS, many=("districts", "states")),
        },
    )
    return service


@transaction.atomic
def directory_export(*, actor: Actor, fmt: str = "json") -> dict[str, Any] | bytes:
    """The whole directory the actor may see, in HSDS (``json`` or ``zip``); the export is audited."""
    policy.require_allowed(actor, Action.EXPORT, "directory.service")
    if fmt not in ("json", "zip"):
        raise InvalidInput({"format": ["Use json or zip."]})
    services = list(
        selectors.service_list(actor=actor).select_related("organisation__base_district__state")
    )
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        target=("directory.service", "", actor.organisation_id),
        details={"format": f"hsds-{fmt}", "services": len(services)},
    )
    return hsds.as_json(services) if fmt == "json" else hsds.as_zip(services)


@transaction.atomic
def directory_export_system(*, fmt: str = "json") -> dict[str, Any] | bytes:
    """Export by the operator from the command line (no signed-in user); audited as the system.

    The directory holds no survivor data and confidential addresses are left out as always.
    """
    services = list(
        Service.objects.filter(is_active=True, organisation__is_active=True)
        .select_related("organisation__base_district__state")
        .prefetch_related("districts__state", "states")
    )
    audit.record(
        actor=None,
        action=AuditAction.EXPORT,
        target=("directory.service", "", None),
        details={"format": f"hsds-{fmt}", "services": len(services), "via": "command"},
    )
    return hsds.as_zip(services) if fmt == "zip" else hsds.as_json(services)
