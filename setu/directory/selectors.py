"""Reads of the service directory; every one takes the acting user and goes through the policy."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.core.errors import NotFound

# Choices other apps name (referral needs, spoken languages) are reached through this module.
from setu.directory.models import Language as Language
from setu.directory.models import Service
from setu.directory.models import ServiceType as ServiceType
from setu.orgs import selectors as places

if TYPE_CHECKING:
    from setu.orgs.models import District, State


def _base() -> QuerySet[Service]:
    return Service.objects.select_related("organisation__base_district__state").prefetch_related(
        "districts__state", "states"
    )


def service_list(
    *,
    actor: Actor,
    need: str = "",
    state: State | None = None,
    district: District | None = None,
    organisation_id: uuid.UUID | None = None,
    include_inactive: bool = False,
) -> QuerySet[Service]:
    """Services the actor may see, filtered by need and place (a state-wide service matches
    every district of its state)."""
    qs = Service.objects.all()
    if not include_inactive:
        qs = qs.filter(is_active=True, organisation__is_active=True)
    if need:
        qs = qs.filter(service_type=need)
    if district is not None:
        qs = qs.filter(Q(districts=district) | Q(states=district.state_id))
    elif state is not None:
        qs = qs.filter(Q(districts__state=state) | Q(states=state))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    ids = policy.scope(actor, qs, Action.VIEW).values("pk")
    return _base().filter(pk__in=ids)


def service_get(*, actor: Actor, service_id: uuid.UUID) -> Service:
    """One service the actor may see, or NotFound."""
    service = policy.scope(actor, _base(), Action.VIEW).filter(pk=service_id).first()
    if service is None:
        raise NotFound(action=Action.VIEW, target=("directory.service", str(service_id), None))
    return service


def service_can_edit(*, actor: Actor, service: Service) -> bool:
    """Whether the actor may edit this entry (to show the Edit button)."""
    return policy.can(actor, Action.EDIT, service)


def service_can_create(*, actor: Actor) -> bool:
    """Whether the actor may add services for their organisation."""
    return policy.allowed(actor, Action.CREATE, "directory.service")


def district_service_counts(
    *, actor: Actor, need: str = "", state: State | None = None
) -> dict[int, int]:
    """Per district LGD code: how many active services (of this need) serve it."""
    services = service_list(actor=actor, need=need, state=state)
    by_district: dict[int, set] = defaultdict(set)
    statewide: dict[int, set] = defaultdict(set)
    for service_id, district_code in services.values_list("pk", "districts").distinct():
        if district_code is not None:
            by_district[district_code].add(service_id)
    for service_id, state_code in services.values_list("pk", "states").distinct():
        if state_code is not None:
            statewide[state_code].add(service_id)
    districts = places.district_list(state_code=state.code if state is not None else None)
    counts: dict[int, int] = {}
    for code, state_code in districts.values_list("code", "state_id"):
        found = by_district.get(code, set()) | statewide.get(state_code, set())
        if found:
            counts[code] = len(found)
    return counts
