"""Reads of the audit trail, scoped by the access policy.

An organisation admin sees entries about their organisation's records and entries of acts by
their organisation's members. When a member of A viewed a case of B (through a share), A's admin
sees that their member did it and B's admin sees that their case was viewed; but what changed in
a record is shown only to the organisation that owns the record.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit.models import AuditEntry
from setu.core.errors import NotFound


@dataclass(frozen=True)
class EntryFilters:
    """Non-identifying filters of the trail (safe in a GET query string)."""

    action: str = ""
    outcome: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    actor_user_id: uuid.UUID | None = None
    target_type: str = ""
    case_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None

    def as_details(self) -> dict[str, Any]:
        """The filters for the audit entry of an export (no personal data in them)."""
        return {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}


def _scoped(actor: Actor) -> QuerySet[AuditEntry]:
    policy.require_allowed(actor, Action.VIEW_AUDIT, AuditEntry)
    return policy.scope(actor, AuditEntry.objects.all(), Action.VIEW_AUDIT)


def entry_list(*, actor: Actor, filters: EntryFilters | None = None) -> QuerySet[AuditEntry]:
    """Entries about the actor's organisation (its records or its members' acts), newest first."""
    f = filters or EntryFilters()
    qs = _scoped(actor)
    if f.action:
        qs = qs.filter(action=f.action)
    if f.outcome:
        qs = qs.filter(outcome=f.outcome)
    if f.date_from:
        qs = qs.filter(at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(at__date__lte=f.date_to)
    if f.actor_user_id:
        qs = qs.filter(actor_user_id=f.actor_user_id)
    if f.target_type:
        qs = qs.filter(target_type=f.target_type)
    if f.case_id:
        qs = qs.filter(target_type="registry.case", target_id=str(f.case_id))
    if f.person_id:
        qs = qs.filter(target_type="registry.person", target_id=str(f.person_id))
    return qs.order_by("-seq")


def entry_get(*, actor: Actor, entry_hash: str) -> AuditEntry:
    """One entry of the actor's organisation's trail, by its hash; NotFound otherwise."""
    entry = _scoped(actor).filter(entry_hash=entry_hash).first()
    if entry is None:
        raise NotFound(action=Action.VIEW_AUDIT, target=("audit.auditentry", entry_hash[:64], None))
    return entry


def entry_shows_changes(*, actor: Actor, entry: AuditEntry) -> bool:
    """Whether the before/after of ``entry`` is the actor's organisation's own data."""
    if entry.target_org_id is not None:
        return entry.target_org_id == actor.organisation_id
    return entry.actor_org_id == actor.organisation_id


def entry_shows_ip(*, actor: Actor, entry: AuditEntry) -> bool:
    """A staff member's IP address is shown only to their own organisation's admins."""
    return entry.actor_org_id == actor.organisation_id


def entry_actor_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """Members of the actor's organisation, to filter the trail by who acted."""
    from setu.orgs import selectors as orgs

    policy.require_allowed(actor, Action.VIEW_AUDIT, AuditEntry)
    organisation = orgs.organisation_get(actor=actor, organisation_id=actor.organisation_id)
    members = orgs.membership_list(actor=actor, organisation=organisation)
    return [(str(m.user_id), m.user.get_full_name() or m.user.username) for m in members]


def entry_target_types(*, actor: Actor) -> list[str]:
    """Kinds of record that appear in the actor's trail, to filter by."""
    qs = _scoped(actor).exclude(target_type="").order_by("target_type")
    return list(qs.values_list("target_type", flat=True).distinct())


def organisation_names(*, actor: Actor, ids: set[Any]) -> dict[Any, str]:
    """Names of the organisations in a page of entries (the directory is public to members)."""
    from setu.orgs import selectors as orgs

    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {o.pk: str(o) for o in orgs.organisation_list(actor=actor).filter(pk__in=ids)}


def _uuids(values: Any) -> set[str]:
    out = set()
    for value in values:
        try:
            out.add(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return out


def entry_record_labels(*, actor: Actor, entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """How to name each entry's record for this actor: a case by its reference, a person by
    name only where the actor may see who they are, an organisation or member by name."""
    from setu.orgs import selectors as orgs
    from setu.registry import selectors as registry

    wanted: dict[str, set[str]] = {}
    for e in entries:
        if e.target_id:
            wanted.setdefault(e.target_type, set()).add(e.target_id)
    labels: dict[tuple[str, str], str] = {}
    if ids := _uuids(wanted.get("registry.case", ())):
        for pk, ref in registry.case_references(actor=actor, ids=ids).items():
            labels["registry.case", pk] = ref
    if ids := _uuids(wanted.get("registry.person", ())):
        for pk, name in registry.person_names(actor=actor, ids=ids).items():
            labels["registry.person", pk] = name
    if ids := _uuids(wanted.get("orgs.organisation", ())):
        for o in orgs.organisation_list(actor=actor).filter(pk__in=ids):
            labels["orgs.organisation", str(o.pk)] = o.name
    return labels


def person_access_list(*, actor: Actor, person_id: Any) -> QuerySet[AuditEntry]:
    """Every audited access to one person's records, oldest first: the breach report.

    For the 72-hour notice of India's DPDP Rules, the organisation that owns the person (its
    admins: Action.EXPORT on the person, checked by the registry) lists who viewed, changed,
    exported, shared or was refused any of her records: the person, her names, phones, places,
    documents and consents, and the cases she is in. Entries by other organisations' staff
    (partners through a share, refused probes) are included: they concern this organisation's
    records. Showing the list is itself audited.
    """
    from setu.audit import services
    from setu.registry import selectors as registry

    policy.require_allowed(actor, Action.VIEW_AUDIT, AuditEntry)
    related = registry.person_records_for_access_report(actor=actor, person_id=person_id)
    about = Q(pk__in=[])
    for label, ids in related.items():
        if ids:
            about |= Q(target_type=label, target_id__in=sorted(ids))
    services.record(
        actor=actor,
        action=services.AuditAction.LIST,
        target=("registry.person", str(person_id), actor.organisation_id),
        details={"what": "person_access_report"},
    )
    return AuditEntry.objects.filter(about).order_by("seq")
