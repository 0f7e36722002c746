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
from setu.audit import labels
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
    policy.require_allowed(actor, Action.VIEW_AUDIT, AuditEntry)
    return labels.members(actor)


def entry_target_types(*, actor: Actor) -> list[str]:
    """Kinds of record that appear in the actor's trail, to filter by."""
    qs = _scoped(actor).exclude(target_type="").order_by("target_type")
    return list(qs.values_list("target_type", flat=True).distinct())


def organisation_names(*, actor: Actor, ids: set[Any]) -> dict[Any, str]:
    """Names of the organisations in a page of entries (the directory is public to members)."""
    by_text = {str(i): i for i in ids if i}
    names = labels.organisation_names(actor, by_text)
    return {by_text[k]: name for k, name in names.items() if k in by_text}


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
    name only where the actor may see who they are, an organisation or member by name (each
    named by the app that owns it, through ``audit.labels``)."""
    wanted: dict[str, set[str]] = {}
    for e in entries:
        if e.target_id:
            wanted.setdefault(e.target_type, set()).add(e.target_id)
    found: dict[tuple[str, str], str] = {}
    for target_type in labels.labelled_types():
        if ids := _uuids(wanted.get(target_type, ())):
            for pk, label in labels.labels(actor, target_type, ids).items():
                found[target_type, pk] = label
    return found


def case_ids_by_reference(*, actor: Actor, reference: str) -> list[Any]:
    """Ids of the cases the actor may see whose reference matches (for the trail's lookup)."""
    policy.require_allowed(actor, Action.VIEW_AUDIT, AuditEntry)
    return labels.find_cases(actor, reference)


def person_access_allowed(*, actor: Actor, person_id: Any) -> None:
    """Refuse (NotFound, Forbidden) unless the actor may take the breach report of this person:
    the same checks as ``person_access_list``, nothing read or recorded; for the export's
    password page."""
    policy.require_allowed(actor, Action.VIEW_AUDIT, AuditEntry)
    labels.person_records(actor, person_id)


@policy.system_read
def _entries_about(about: Q) -> list[AuditEntry]:
    """The entries about the given records, whoever acted: a refused probe by another
    organisation's staff may name no owner (a page refuses before it knows whose record it
    is), so row-level security would hide it from the owner's report."""
    return list(AuditEntry.objects.filter(about).order_by("seq"))


def person_access_list(*, actor: Actor, person_id: Any) -> list[AuditEntry]:
    """Every audited access to one person's records, oldest first: the breach report.

    For the 72-hour notice of India's DPDP Rules, the organisation that owns the person (its
    admins: Action.EXPORT on the person, checked by the registry) lists who viewed, changed,
    exported, shared or was refused any of her records: the person, her names, phones, places,
    documents and consents, and the cases she is in. Entries by other organisations' staff
    (partners through a share, refused probes) are included: they concern this organisation's
    records. Showing the list is itself audited.
    """
    from setu.audit import services

    policy.require_allowed(actor, Action.VIEW_AUDIT, AuditEntry)
    related = labels.person_records(actor, person_id)
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
    return _entries_about(about)
