"""Writes of cases: open, update, close, connect persons, exploitation, means of control, notes."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core.errors import InvalidInput
from setu.orgs import services as orgs_services
from setu.registry import hooks, text
from setu.registry.models import (
    Case,
    CaseControlMeans,
    CaseExploitation,
    CaseNote,
    CasePerson,
    CaseRole,
    CaseStatus,
    ExploitationForm,
    MeansOfControl,
    NoteTopic,
    PerpetratorRole,
    Person,
)
from setu.registry.services._common import (
    _add,
    _add_error,
    _case_target,
    _check_fields,
    _clean,
    _diff,
    _raise_if,
    _snapshot,
    _today,
)

if TYPE_CHECKING:
    from setu.orgs.models import Organisation

CASE_FIELDS = (
    "reference",
    "status",
    "trafficking_status",
    "identified_by",
    "opened_on",
    "closed_on",
    "case_owner",
    "is_restricted",
    "summary",
    "fir_number",
    "police_station",
    "sections_charged",
)
CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)


def _org_prefix(organisation: Organisation) -> str:
    raw = organisation.short_name or "".join(w[0] for w in organisation.name.split() if w)
    prefix = re.sub(r"[^A-Za-z0-9]", "", raw).upper()[:12]
    # A numbered reference starts with a letter (see text.parse_case_reference).
    return prefix if prefix[:1].isalpha() else f"CASE{prefix}"


def _next_reference(organisation: Organisation, year: int) -> str:
    """``<ORG>/<year>/<nnnn>``, one above the highest number the organisation used that year.

    The caller holds the organisation's row lock, so two cases opened at once cannot draw the
    same number; the unique constraint is the last line of defence.
    """
    prefix = _org_prefix(organisation)
    used = [
        parsed[2]
        for ref in Case.objects.filter(owner_org=organisation, reference__contains=str(year))
        .values_list("reference", flat=True)
        .iterator()
        if (parsed := text.parse_case_reference(ref)) and parsed[:2] == (prefix, year)
    ]
    return text.case_reference(prefix, year, max(used, default=0) + 1)


def _validate_case(case: Case) -> None:
    errors: dict[str, list[str]] = {}
    today = _today()
    if case.opened_on and case.opened_on > today:
        _add_error(errors, "opened_on", _("The opening date cannot be in the future."))
    if case.status in CLOSED_STATUSES:
        case.closed_on = case.closed_on or today
    else:
        case.closed_on = None
    if case.closed_on and case.opened_on and case.closed_on < case.opened_on:
        _add_error(errors, "closed_on", _("A case cannot close before it opened."))
    if (
        case.case_owner_id
        and not case.case_owner.memberships.filter(
            organisation_id=case.owner_org_id, is_active=True
        ).exists()
    ):
        _add_error(errors, "case_owner", _("The case owner must be a member of the organisation."))
    _raise_if(errors)
    _clean(case)


@transaction.atomic
def case_create(*, actor: Actor, **fields: Any) -> Case:
    """Open a case in the actor's organisation; a blank reference becomes ``<ORG>/<year>/<nnnn>``."""
    policy.require_allowed(actor, Action.CREATE, "registry.case")
    _check_fields(fields, CASE_FIELDS)
    # Locking the organisation row serialises reference numbering within it.
    organisation = orgs_services.organisation_lock(organisation_id=actor.organisation_id)
    fields.setdefault("case_owner", actor.user)
    case = Case(owner_org=organisation, **fields)
    case.reference = text.normalise_case_reference(case.reference or "")
    if not case.reference:
        case.reference = _next_reference(organisation, (case.opened_on or _today()).year)
    _validate_case(case)
    # Validated above (more than ``full_clean``).
    _add(
        case,
        CASE_FIELDS,
        record=audit.recorder(actor=actor, action=AuditAction.CREATE, target=case),
        validated=True,
    )
    return case


@transaction.atomic
def case_update(*, actor: Actor, case: Case, **fields: Any) -> Case:
    """Change a case's fields (``CASE_FIELDS``)."""
    policy.require(actor, Action.EDIT, case)
    _check_fields(fields, CASE_FIELDS)
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = _snapshot(case, CASE_FIELDS)
    for name, value in fields.items():
        setattr(case, name, value)
    if "reference" in fields:
        case.reference = text.normalise_case_reference(case.reference or "")
        if not case.reference:
            raise InvalidInput({"reference": [_("A case needs a reference.")]})
    _validate_case(case)
    case.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=case,
        changes=_diff(before, _snapshot(case, CASE_FIELDS)),
    )
    if case.is_restricted != before["is_restricted"]:
        hooks.case_restriction_changed(case.pk, case.is_restricted)
    return case


@transaction.atomic
def case_close(
    *,
    actor: Actor,
    case: Case,
    status: str = CaseStatus.CLOSED,
    closed_on: datetime.date | None = None,
    reason: str = "",
) -> Case:
    """Close a case (closed, or closed and referred on)."""
    if status not in CLOSED_STATUSES:
        raise InvalidInput({"status": [_("Choose how the case was closed.")]})
    case = case_update(actor=actor, case=case, status=status, closed_on=closed_on or _today())
    if reason.strip():
        note_add(actor=actor, case=case, body=reason.strip())
    return case


@transaction.atomic
def case_add_person(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    role: str,
    perpetrator_roles: list[str] | None = None,
    relationship_to_trafficker: str = "",
    age_when_trafficked: int | None = None,
) -> CasePerson:
    """Connect one of the organisation's persons to one of its cases, with their role."""
    policy.require(actor, Action.EDIT, case)
    policy.require(actor, Action.VIEW, person)
    errors: dict[str, list[str]] = {}
    if person.owner_org_id != case.owner_org_id:
        _add_error(errors, "person", _("Only persons recorded by this organisation can be added."))
    roles = list(perpetrator_roles or [])
    if roles and role != CaseRole.PERPETRATOR:
        _add_error(errors, "perpetrator_roles", _("Only for an alleged perpetrator."))
    bad = [r for r in roles if r not in PerpetratorRole.values]
    if bad:
        _add_error(errors, "perpetrator_roles", _("Unknown role: %s") % ", ".join(bad))
    _raise_if(errors)
    link = CasePerson(
        case=case,
        person=person,
        role=role,
        perpetrator_roles=roles,
        relationship_to_trafficker=relationship_to_trafficker,
        age_when_trafficked=age_when_trafficked,
    )
    _add(
        link,
        (
            "case",
            "person",
            "role",
            "perpetrator_roles",
            "relationship_to_trafficker",
            "age_when_trafficked",
        ),
        record=audit.recorder(
            actor=actor, action=AuditAction.CREATE, target=_case_target(link, case)
        ),
    )
    hooks.person_saved(person.pk)
    return link


@transaction.atomic
def exploitation_set(
    *, actor: Actor, case: Case, forms: Iterable[str], details: Mapping[str, str] | None = None
) -> list[CaseExploitation]:
    """Make the case's forms of exploitation exactly ``forms`` (details kept for those that stay)."""
    policy.require(actor, Action.EDIT, case)
    wanted = list(dict.fromkeys(forms))
    bad = [f for f in wanted if f not in ExploitationForm.values]
    if bad:
        raise InvalidInput({"forms": [_("Unknown form of exploitation: %s") % ", ".join(bad)]})
    details = details or {}
    existing = {row.form: row for row in case.exploitations.all()}
    before = sorted(existing)
    case.exploitations.exclude(form__in=wanted).delete()
    rows = []
    for form in wanted:
        row = existing.get(form) or CaseExploitation(case=case, form=form)
        if form in details:
            row.details = details[form]
        _clean(row, exclude=["case"] if row._state.adding else None)
        row.save()
        rows.append(row)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=case,
        changes={"before": {"exploitation": before}, "after": {"exploitation": sorted(wanted)}},
    )
    return rows


@transaction.atomic
def control_means_set(*, actor: Actor, case: Case, means: Iterable[str]) -> list[CaseControlMeans]:
    """Make the case's means of control exactly ``means``."""
    policy.require(actor, Action.EDIT, case)
    wanted = list(dict.fromkeys(means))
    bad = [m for m in wanted if m not in MeansOfControl.values]
    if bad:
        raise InvalidInput({"means": [_("Unknown means of control: %s") % ", ".join(bad)]})
    before = sorted(case.control_means.values_list("means", flat=True))
    case.control_means.exclude(means__in=wanted).delete()
    present = set(case.control_means.values_list("means", flat=True))
    for item in wanted:
        if item not in present:
            CaseControlMeans.objects.create(case=case, means=item)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=case,
        changes={"before": {"control_means": before}, "after": {"control_means": sorted(wanted)}},
    )
    return list(case.control_means.all())


@transaction.atomic
def note_add(*, actor: Actor, case: Case, body: str, topic: str = NoteTopic.GENERAL) -> CaseNote:
    """Add a note to one of the organisation's cases."""
    policy.require(actor, Action.ADD_NOTE, case)
    note = CaseNote(case=case, author=actor.user, body=(body or "").strip(), topic=topic)
    _add(
        note,
        ("case", "topic", "body"),
        record=audit.recorder(
            actor=actor, action=AuditAction.CREATE, target=_case_target(note, case)
        ),
    )
    return note
