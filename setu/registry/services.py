"""Writes to the registry. Every function checks the policy, validates, saves and audits in one
transaction; bad input raises ``InvalidInput`` naming the fields and leaves the data unchanged."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.models import AuditAction
from setu.core.errors import ConsentRequired, InvalidInput
from setu.matching import hooks as matching_hooks
from setu.orgs.models import District, Organisation, State
from setu.registry import selectors, text
from setu.registry.models import (
    Address,
    Case,
    CaseControlMeans,
    CaseExploitation,
    CaseNote,
    CasePerson,
    CaseRole,
    CaseShare,
    CaseStatus,
    Consent,
    ConsentGiver,
    ConsentScope,
    DatePrecision,
    DocumentType,
    ExploitationForm,
    IdentityDocument,
    MeansOfControl,
    NoteTopic,
    PerpetratorRole,
    Person,
    PersonAlias,
    Phone,
    ServiceRecord,
    TraffickingEvent,
)

# Fields a caller may set, per entity; anything else is refused rather than silently ignored.
PERSON_FIELDS = (
    "given_name",
    "family_name",
    "name_native",
    "name_native_script",
    "gender",
    "birth_date",
    "birth_date_precision",
    "estimated_age",
    "age_estimated_on",
    "father_name",
    "mother_name",
    "spouse_name",
    "nationality",
    "languages",
    "disability",
)
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
# Scopes that make sense for a case share (matching and statistics are not case views).
SHAREABLE_SCOPES = (
    ConsentScope.IDENTITY,
    ConsentScope.CONTACT,
    ConsentScope.CASE_HISTORY,
    ConsentScope.SERVICES,
    ConsentScope.HEALTH,
    ConsentScope.LEGAL,
)
CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)


# --- helpers ------------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return value


def _snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """A JSON-safe copy of ``fields`` for the audit trail's before/after."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            raw = getattr(obj, field.attname)
            out[name] = str(raw) if raw is not None else None
        else:
            out[name] = _value(getattr(obj, name))
    return out


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {"before": {k: before.get(k) for k in changed}, "after": {k: after[k] for k in changed}}


def _check_fields(fields: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise InvalidInput({name: [_("This field cannot be set here.")] for name in unknown})


# Who-did-it columns are set by the services (or empty for imported rows), never by the caller.
_BOOKKEEPING = ("created_by", "recorded_by", "author", "shared_by", "withdrawn_recorded_by")


def _clean(obj: models.Model, exclude: Iterable[str] | None = None) -> None:
    """``full_clean`` with Django's errors turned into Setu's ``InvalidInput``."""
    skip = [*(exclude or ()), *(f.name for f in obj._meta.fields if f.name in _BOOKKEEPING)]
    try:
        obj.full_clean(exclude=skip)
    except ValidationError as exc:
        raise InvalidInput({k: [str(m) for m in v] for k, v in exc.message_dict.items()}) from exc


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(errors)


def _add_error(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


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


def _refresh_search_key(person: Person) -> None:
    names = [person.given_name, person.family_name, person.name_native]
    names += list(person.aliases.values_list("name", flat=True))
    key = text.search_key(names)
    if key != person.search_key:
        person.search_key = key
        Person.objects.filter(pk=person.pk).update(search_key=key)


# --- persons ------------------------------------------------------------------------------------


def _validate_person(person: Person) -> None:
    errors: dict[str, list[str]] = {}
    today = _today()
    if not (person.given_name.strip() or person.family_name.strip() or person.name_native.strip()):
        _add_error(
            errors, "given_name", _("Record at least one name (a nickname or alias will do).")
        )
    if person.birth_date and person.estimated_age is not None:
        _add_error(
            errors,
            "estimated_age",
            _("Give either a date of birth or an estimated age, not both."),
        )
    if person.birth_date and person.birth_date > today:
        _add_error(errors, "birth_date", _("The date of birth cannot be in the future."))
    if person.estimated_age is not None:
        if person.estimated_age > 120:
            _add_error(errors, "estimated_age", _("Enter an age between 0 and 120."))
        if person.age_estimated_on is None:
            person.age_estimated_on = today
        elif person.age_estimated_on > today:
            _add_error(errors, "age_estimated_on", _("This date cannot be in the future."))
    elif person.age_estimated_on is not None:
        person.age_estimated_on = None
    if person.birth_date and not person.birth_date_precision:
        person.birth_date_precision = DatePrecision.DAY
    if not person.birth_date:
        person.birth_date_precision = ""
    if person.name_native and not person.name_native_script:
        person.name_native_script = text.detect_script(person.name_native)
    if not isinstance(person.languages, list) or not all(
        isinstance(x, str) for x in person.languages
    ):
        _add_error(errors, "languages", _("Give the languages as a list of names."))
    person.nationality = (person.nationality or "").upper()
    _raise_if(errors)
    _clean(person)


@transaction.atomic
def person_create(*, actor: Actor, **fields: Any) -> Person:
    """Record a new person in the actor's organisation (fields: ``PERSON_FIELDS``)."""
    policy.require_allowed(actor, Action.CREATE, "registry.person")
    _check_fields(fields, PERSON_FIELDS)
    person = Person(owner_org_id=actor.organisation_id, created_by=actor.user, **fields)
    _validate_person(person)
    person.search_key = text.search_key([person.given_name, person.family_name, person.name_native])
    person.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=person,
        changes={"before": None, "after": _snapshot(person, PERSON_FIELDS)},
    )
    matching_hooks.person_changed(person.pk)
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, **fields: Any) -> Person:
    """Change a person's identity fields (fields: ``PERSON_FIELDS``)."""
    policy.require(actor, Action.EDIT, person)
    _check_fields(fields, PERSON_FIELDS)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _snapshot(person, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    _validate_person(person)
    person.save()
    _refresh_search_key(person)
    changes = _diff(before, _snapshot(person, PERSON_FIELDS))
    audit.record(actor=actor, action=AuditAction.UPDATE, target=person, changes=changes)
    matching_hooks.person_changed(person.pk)
    return person


@transaction.atomic
def person_archive(*, actor: Actor, person: Person) -> Person:
    """Archive a person: hidden from lists, never deleted."""
    policy.require(actor, Action.ARCHIVE, person)
    if person.archived_at is None:
        person.archived_at = timezone.now()
        person.save(update_fields=["archived_at", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.ARCHIVE,
            target=person,
            changes={
                "before": {"archived_at": None},
                "after": {"archived_at": _value(person.archived_at)},
            },
        )
        matching_hooks.person_changed(person.pk)
    return person


@transaction.atomic
def alias_add(*, actor: Actor, person: Person, name: str, kind: str = "alias") -> PersonAlias:
    """Add another name the person is known by."""
    policy.require(actor, Action.EDIT, person)
    alias = PersonAlias(person=person, name=(name or "").strip(), kind=kind)
    _clean(alias)
    alias.save()
    _refresh_search_key(person)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=_person_target(alias, person),
        changes={"before": None, "after": _snapshot(alias, ("person", "name", "kind"))},
    )
    matching_hooks.person_changed(person.pk)
    return alias


@transaction.atomic
def alias_remove(*, actor: Actor, alias: PersonAlias) -> None:
    """Remove an alias recorded by mistake."""
    person = alias.person
    policy.require(actor, Action.EDIT, person)
    before = _snapshot(alias, ("person", "name", "kind"))
    target = _person_target(alias, person)
    alias.delete()
    _refresh_search_key(person)
    audit.record(actor=actor, action=AuditAction.DELETE, target=target, changes={"before": before})
    matching_hooks.person_changed(person.pk)


@transaction.atomic
def phone_add(
    *, actor: Actor, person: Person, number: str, kind: str = "own", note: str = ""
) -> Phone:
    """Add a phone number, stored as +91XXXXXXXXXX (or +<country code> for other countries)."""
    policy.require(actor, Action.EDIT, person)
    try:
        normalised = text.normalise_phone(number)
    except ValueError as exc:
        raise InvalidInput({"number": [str(exc)]}) from exc
    if person.phones.filter(number=normalised).exists():
        raise InvalidInput({"number": [_("This number is already recorded for this person.")]})
    phone = Phone(person=person, number=normalised, kind=kind, note=note)
    _clean(phone)
    phone.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=_person_target(phone, person),
        changes={"before": None, "after": _snapshot(phone, ("person", "number", "kind", "note"))},
    )
    matching_hooks.person_changed(person.pk)
    return phone


@transaction.atomic
def phone_remove(*, actor: Actor, phone: Phone) -> None:
    """Remove a phone number."""
    person = phone.person
    policy.require(actor, Action.EDIT, person)
    before = _snapshot(phone, ("person", "number", "kind", "note"))
    target = _person_target(phone, person)
    phone.delete()
    audit.record(actor=actor, action=AuditAction.DELETE, target=target, changes={"before": before})
    matching_hooks.person_changed(person.pk)


ADDRESS_FIELDS = ("kind", "village", "line", "district", "state", "pincode", "country")


@transaction.atomic
def address_add(
    *,
    actor: Actor,
    person: Person,
    kind: str = "home",
    village: str = "",
    line: str = "",
    district: District | None = None,
    state: State | None = None,
    pincode: str = "",
    country: str = "IN",
) -> Address:
    """Add a place linked to the person; the district's state is filled in when not given."""
    policy.require(actor, Action.EDIT, person)
    address = Address(
        person=person,
        kind=kind,
        village=village,
        line=line,
        district=district,
        state=state,
        pincode=(pincode or "").strip(),
        country=(country or "").upper(),
    )
    errors: dict[str, list[str]] = {}
    _check_place(errors, address)
    if address.pincode and not re.fullmatch(r"[1-9]\d{5}", address.pincode):
        _add_error(errors, "pincode", _("A PIN code has six digits and does not start with 0."))
    if not (address.village or address.line or address.district_id or address.state_id):
        _add_error(errors, "village", _("Give at least a village, an address or a district."))
    _raise_if(errors)
    _clean(address)
    address.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=_person_target(address, person),
        changes={"before": None, "after": _snapshot(address, ("person", *ADDRESS_FIELDS))},
    )
    matching_hooks.person_changed(person.pk)
    return address


@transaction.atomic
def address_remove(*, actor: Actor, address: Address) -> None:
    """Remove an address."""
    person = address.person
    policy.require(actor, Action.EDIT, person)
    before = _snapshot(address, ("person", *ADDRESS_FIELDS))
    target = _person_target(address, person)
    address.delete()
    audit.record(actor=actor, action=AuditAction.DELETE, target=target, changes={"before": before})
    matching_hooks.person_changed(person.pk)


DOCUMENT_FIELDS = ("doc_type", "number", "issued_by", "is_held_by_person")


@transaction.atomic
def document_add(
    *,
    actor: Actor,
    person: Person,
    doc_type: str,
    number: str = "",
    issued_by: str = "",
    is_held_by_person: bool = True,
) -> IdentityDocument:
    """Record an identity document; for Aadhaar only the last four digits are ever accepted."""
    policy.require(actor, Action.EDIT, person)
    number = (number or "").strip()
    if doc_type == DocumentType.AADHAAR and number:
        try:
            number = text.aadhaar_last_four(number)
        except ValueError as exc:
            raise InvalidInput({"number": [str(exc)]}) from exc
    document = IdentityDocument(
        person=person,
        doc_type=doc_type,
        number=number,
        issued_by=issued_by,
        is_held_by_person=is_held_by_person,
    )
    _clean(document)
    document.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=_person_target(document, person),
        changes={"before": None, "after": _snapshot(document, ("person", *DOCUMENT_FIELDS))},
    )
    return document


@transaction.atomic
def document_remove(*, actor: Actor, document: IdentityDocument) -> None:
    """Remove an identity document."""
    person = document.person
    policy.require(actor, Action.EDIT, person)
    before = _snapshot(document, ("person", *DOCUMENT_FIELDS))
    target = _person_target(document, person)
    document.delete()
    audit.record(actor=actor, action=AuditAction.DELETE, target=target, changes={"before": before})


# --- cases --------------------------------------------------------------------------------------


def _org_prefix(organisation: Organisation) -> str:
    raw = organisation.short_name or "".join(w[0] for w in organisation.name.split() if w)
    prefix = re.sub(r"[^A-Za-z0-9]", "", raw).upper()[:12]
    return prefix or "CASE"


def _next_reference(organisation: Organisation, year: int) -> str:
    """``<ORG>-<year>-<seq>``, the next free number for the organisation in that year."""
    prefix = f"{_org_prefix(organisation)}-{year}-"
    taken = set(
        Case.objects.filter(owner_org=organisation, reference__startswith=prefix).values_list(
            "reference", flat=True
        )
    )
    seq = len(taken) + 1
    while f"{prefix}{seq:04d}" in taken:
        seq += 1
    return f"{prefix}{seq:04d}"


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
    """Open a case in the actor's organisation; a blank reference becomes ``<ORG>-<year>-<seq>``."""
    policy.require_allowed(actor, Action.CREATE, "registry.case")
    _check_fields(fields, CASE_FIELDS)
    # Locking the organisation row serialises reference numbering within it.
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    fields.setdefault("case_owner", actor.user)
    case = Case(owner_org=organisation, **fields)
    case.reference = (case.reference or "").strip()
    if not case.reference:
        case.reference = _next_reference(organisation, (case.opened_on or _today()).year)
    _validate_case(case)
    case.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=case,
        changes={"before": None, "after": _snapshot(case, CASE_FIELDS)},
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
    if "reference" in fields and not (case.reference or "").strip():
        raise InvalidInput({"reference": [_("A case needs a reference.")]})
    _validate_case(case)
    case.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=case,
        changes=_diff(before, _snapshot(case, CASE_FIELDS)),
    )
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
    _clean(link)
    link.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=_case_target(link, case),
        changes={
            "before": None,
            "after": _snapshot(
                link,
                (
                    "case",
                    "person",
                    "role",
                    "perpetrator_roles",
                    "relationship_to_trafficker",
                    "age_when_trafficked",
                ),
            ),
        },
    )
    matching_hooks.person_changed(person.pk)
    return link


# --- events, exploitation, means of control, services, notes -------------------------------------


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


@transaction.atomic
def event_add(*, actor: Actor, case: Case, **fields: Any) -> TraffickingEvent:
    """Record something that happened in a case (fields: ``EVENT_FIELDS``)."""
    policy.require(actor, Action.EDIT, case)
    _check_fields(fields, EVENT_FIELDS)
    event = TraffickingEvent(case=case, recorded_by=actor.user, **fields)
    event.country = (event.country or "").upper()
    _validate_case_row(event, case, ("occurred_on",))
    event.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=_case_target(event, case),
        changes={"before": None, "after": _snapshot(event, ("case", *EVENT_FIELDS))},
    )
    matching_hooks.event_recorded(event.pk)
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
    matching_hooks.event_recorded(event.pk)
    return event


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
    service.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=_case_target(service, case),
        changes={"before": None, "after": _snapshot(service, ("case", *SERVICE_FIELDS))},
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


@transaction.atomic
def note_add(*, actor: Actor, case: Case, body: str, topic: str = NoteTopic.GENERAL) -> CaseNote:
    """Add a note to one of the organisation's cases."""
    policy.require(actor, Action.ADD_NOTE, case)
    note = CaseNote(case=case, author=actor.user, body=(body or "").strip(), topic=topic)
    _clean(note)
    note.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=_case_target(note, case),
        changes={"before": None, "after": _snapshot(note, ("case", "topic", "body"))},
    )
    return note


# --- consent and sharing ------------------------------------------------------------------------

CONSENT_FIELDS = (
    "scopes",
    "recipient_org",
    "purpose",
    "given_by",
    "given_by_name",
    "given_on",
    "expires_on",
    "notes",
)


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    person: Person,
    scopes: Iterable[str],
    recipient_org: Organisation | None = None,
    purpose: str = "",
    given_by: str = ConsentGiver.SELF,
    given_by_name: str = "",
    given_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    notes: str = "",
) -> Consent:
    """Record what a person agreed may be shared, with whom (None = the whole network), until when."""
    policy.require(actor, Action.MANAGE_CONSENT, person)
    wanted = list(dict.fromkeys(scopes))
    errors: dict[str, list[str]] = {}
    if not wanted:
        _add_error(errors, "scopes", _("Choose at least one thing the person agreed to share."))
    bad = [s for s in wanted if s not in ConsentScope.values]
    if bad:
        _add_error(errors, "scopes", _("Unknown scope: %s") % ", ".join(bad))
    given_on = given_on or _today()
    if given_on > _today():
        _add_error(errors, "given_on", _("Consent cannot be recorded for a future date."))
    if expires_on and expires_on <= given_on:
        _add_error(errors, "expires_on", _("The expiry date must come after the date given."))
    if given_by != ConsentGiver.SELF and not given_by_name.strip():
        _add_error(
            errors, "given_by_name", _("Name the guardian, committee or court giving consent.")
        )
    _raise_if(errors)
    consent = Consent(
        person=person,
        scopes=wanted,
        recipient_org=recipient_org,
        purpose=purpose,
        given_by=given_by,
        given_by_name=given_by_name.strip(),
        given_on=given_on,
        expires_on=expires_on,
        notes=notes,
        recorded_by=actor.user,
    )
    _clean(consent)
    consent.save()
    audit.record(
        actor=actor,
        action=AuditAction.CONSENT_GIVEN,
        target=_person_target(consent, person),
        changes={"before": None, "after": _snapshot(consent, CONSENT_FIELDS)},
    )
    matching_hooks.person_changed(person.pk)
    return consent


@transaction.atomic
def consent_withdraw(
    *,
    actor: Actor,
    consent: Consent,
    withdrawn_on: datetime.date | None = None,
    reason: str = "",
) -> Consent:
    """Record a withdrawal; every case share relying on this consent ends at once."""
    policy.require(actor, Action.EDIT, consent)
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    withdrawn_on = withdrawn_on or _today()
    errors: dict[str, list[str]] = {}
    if consent.withdrawn_on:
        _add_error(errors, "withdrawn_on", _("This consent was already withdrawn."))
    # A withdrawal takes effect now; a future date would leave data flowing meanwhile.
    if withdrawn_on > _today():
        _add_error(errors, "withdrawn_on", _("A withdrawal cannot be dated in the future."))
    elif withdrawn_on < consent.given_on:
        _add_error(errors, "withdrawn_on", _("A withdrawal cannot be dated before the consent."))
    _raise_if(errors)
    consent.withdrawn_on = withdrawn_on
    consent.withdrawn_recorded_by = actor.user
    if reason.strip():
        consent.notes = "\n".join(p for p in (consent.notes, reason.strip()) if p)
    consent.save(update_fields=["withdrawn_on", "withdrawn_recorded_by", "notes", "updated_at"])
    now = timezone.now()
    ended = list(
        CaseShare.objects.select_for_update()
        .filter(consent=consent, revoked_at__isnull=True)
        .select_related("case")
    )
    for share in ended:
        share.revoked_at = now
        share.save(update_fields=["revoked_at", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UNSHARE,
            target=_case_target(share, share.case),
            changes={"before": {"revoked_at": None}, "after": {"revoked_at": _value(now)}},
            details={"reason": "consent_withdrawn", "consent": str(consent.pk)},
        )
    # Referrals resting on this consent stop sharing now, in this transaction (imported here:
    # the referrals app builds on the registry, not the other way round).
    from setu.referrals.services import referrals_stop_for_consent

    referrals_stop_for_consent(actor=actor, consent=consent)
    audit.record(
        actor=actor,
        action=AuditAction.CONSENT_WITHDRAWN,
        target=_person_target(consent, consent.person),
        changes={"before": {"withdrawn_on": None}, "after": {"withdrawn_on": _value(withdrawn_on)}},
        details={"shares_ended": [str(s.pk) for s in ended]},
    )
    matching_hooks.person_changed(consent.person_id)
    return consent


@transaction.atomic
def case_share(
    *,
    actor: Actor,
    case: Case,
    organisation: Organisation,
    scopes: Iterable[str],
    reason: str,
    expires_on: datetime.date | None = None,
    consent: Consent | None = None,
) -> CaseShare:
    """Let another organisation see ``scopes`` of a case, backed by a survivor's consent.

    Raises ``ConsentRequired`` when no consent in force covers the organisation and the scopes.
    """
    policy.require(actor, Action.SHARE, case)
    wanted = list(dict.fromkeys(scopes))
    errors: dict[str, list[str]] = {}
    if organisation.pk == case.owner_org_id:
        _add_error(errors, "organisation", _("The case already belongs to this organisation."))
    elif not organisation.is_active:
        _add_error(errors, "organisation", _("This organisation is no longer active."))
    if not wanted:
        _add_error(errors, "scopes", _("Choose what to share."))
    bad = [s for s in wanted if s not in SHAREABLE_SCOPES]
    if bad:
        _add_error(errors, "scopes", _("These cannot be shared: %s") % ", ".join(bad))
    if not (reason or "").strip():
        _add_error(errors, "reason", _("Say why the case is being shared."))
    if expires_on and expires_on < _today():
        _add_error(errors, "expires_on", _("The end date cannot be in the past."))
    if (
        not errors
        and CaseShare.objects.filter(
            case=case, organisation=organisation, revoked_at__isnull=True
        ).exists()
    ):
        _add_error(
            errors,
            "organisation",
            _("The case is already shared with this organisation; stop that share to change it."),
        )
    _raise_if(errors)
    covering = selectors.consents_covering(case=case, organisation=organisation, scopes=wanted)
    if consent is not None:
        covering = [c for c in covering if c.pk == consent.pk]
    if not covering:
        raise ConsentRequired(
            _(
                "No consent in force from a survivor in this case allows sharing this "
                "information with %(org)s. Record the survivor's consent first."
            )
            % {"org": organisation},
            action=Action.SHARE,
            target=(case._meta.label_lower, str(case.pk), case.owner_org_id),
        )
    share = CaseShare(
        case=case,
        organisation=organisation,
        consent=covering[0],
        scopes=wanted,
        reason=reason.strip(),
        shared_by=actor.user,
        expires_on=expires_on,
    )
    _clean(share)
    share.save()
    audit.record(
        actor=actor,
        action=AuditAction.SHARE,
        target=_case_target(share, case),
        changes={
            "before": None,
            "after": _snapshot(
                share, ("case", "organisation", "consent", "scopes", "reason", "expires_on")
            ),
        },
    )
    return share


@transaction.atomic
def case_unshare(*, actor: Actor, share: CaseShare) -> CaseShare:
    """Stop sharing a case with an organisation."""
    case = share.case
    policy.require(actor, Action.SHARE, case)
    if share.revoked_at is not None:
        raise InvalidInput({"__all__": [_("This share has already ended.")]})
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UNSHARE,
        target=_case_target(share, case),
        changes={"before": {"revoked_at": None}, "after": {"revoked_at": _value(share.revoked_at)}},
        details={"reason": "stopped"},
    )
    return share
