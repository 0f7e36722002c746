"""Writes of persons and what belongs to them: names, aliases, phones, addresses, documents."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core.errors import InvalidInput
from setu.registry import hooks, text
from setu.registry.models import (
    Address,
    DatePrecision,
    DocumentType,
    IdentityDocument,
    Person,
    PersonAlias,
    PersonNameToken,
    Phone,
)
from setu.registry.services._common import (
    _add,
    _add_error,
    _check_fields,
    _check_place,
    _clean,
    _diff,
    _person_target,
    _raise_if,
    _remove,
    _snapshot,
    _today,
    _value,
)

if TYPE_CHECKING:
    from setu.orgs.models import District, State

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


def _name_tokens(person: Person) -> dict[str, bool]:
    names = [person.given_name, person.family_name, person.name_native]
    # Each alias opens on its own instance (its ciphertext is bound to its row).
    names += [a.name for a in PersonAlias.objects.filter(person_id=person.pk).only("pk", "name")]
    return text.name_tokens(names)


def person_name_tokens_refresh(person: Person) -> None:
    """Make the person's name tokens those of her names and aliases now (the services call it
    after every change of a name or alias; test factories and data loads too)."""
    want = _name_tokens(person)
    tokens = PersonNameToken.objects.filter(person_id=person.pk)
    have = dict(tokens.values_list("digest", "whole"))
    stale = [d for d, whole in have.items() if want.get(d) != whole]
    if stale:
        tokens.filter(digest__in=stale).delete()
    PersonNameToken.objects.bulk_create(
        [
            PersonNameToken(person_id=person.pk, digest=d, whole=whole)
            for d, whole in sorted(want.items())
            if have.get(d) != whole
        ]
    )


def person_name_tokens_rebuild(*, after: Any = None, batch: int = 500) -> tuple[int, Any]:
    """Recompute the name tokens of the next ``batch`` persons after id ``after`` (a system
    step, no actor: after a new field index key, ``setu keys reindex``); returns (persons,
    last id). The caller holds the transaction."""
    qs = Person.objects.order_by("pk")
    if after is not None:
        qs = qs.filter(pk__gt=after)
    persons = list(qs[:batch])
    if not persons:
        return 0, after
    ids = [p.pk for p in persons]
    aliases: dict[Any, list[str]] = {}
    for alias in PersonAlias.objects.filter(person_id__in=ids).only("pk", "person_id", "name"):
        aliases.setdefault(alias.person_id, []).append(alias.name)
    PersonNameToken.objects.filter(person_id__in=ids).delete()
    PersonNameToken.objects.bulk_create(
        [
            PersonNameToken(person_id=p.pk, digest=d, whole=whole)
            for p in persons
            for d, whole in sorted(
                text.name_tokens(
                    [p.given_name, p.family_name, p.name_native, *aliases.get(p.pk, [])]
                ).items()
            )
        ],
        batch_size=5000,
    )
    return len(persons), ids[-1]


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
def person_create(
    *,
    actor: Actor,
    create_reason: str = "",
    home: Mapping[str, Any] | None = None,
    **fields: Any,
) -> Person:
    """Record a new person in the actor's organisation (fields: ``PERSON_FIELDS``; ``home``:
    the fields of ``address_add``).

    When the organisation already has a record that is probably this person (the check before
    creating, done here so that no client can skip it), the new record is created only with
    ``create_reason``, which the trail keeps with the candidates it overrode.
    """
    policy.require_allowed(actor, Action.CREATE, "registry.person")
    _check_fields(fields, PERSON_FIELDS)
    person = Person(owner_org_id=actor.organisation_id, created_by=actor.user, **fields)
    _validate_person(person)
    reason = (create_reason or "").strip()
    candidates = hooks.likely_duplicates(actor, {**fields, **(home or {})})
    if candidates and not reason:
        raise InvalidInput(
            {
                "create_reason": [
                    _(
                        "Your organisation may already have a record of this person: "
                        "%(names)s. Open it, or say why you are creating another record."
                    )
                    % {"names": ", ".join(name for _pk, name in candidates)}
                ]
            }
        )
    details: dict[str, Any] | None = None
    if candidates:
        # The reason is free text that may name the person: it belongs in the protected
        # before/after, not in the details; the overridden candidates are only ids.
        details = {"created_anyway": sorted(str(pk) for pk, _name in candidates)}
    record = audit.recorder(actor=actor, action=AuditAction.CREATE, target=person, details=details)

    def record_with_reason(changes: dict[str, Any]) -> Any:
        if candidates:
            changes["after"]["create_reason"] = reason
        return record(changes)

    # Validated above (more than ``full_clean``).
    _add(person, PERSON_FIELDS, record=record_with_reason, validated=True)
    person_name_tokens_refresh(person)
    if home:
        address_add(actor=actor, person=person, **home)
    hooks.person_saved(person.pk)
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, **fields: Any) -> Person:
    """Change a person's identity fields (fields: ``PERSON_FIELDS``)."""
    policy.require(actor, Action.EDIT, person)
    _check_fields(fields, PERSON_FIELDS)
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _snapshot(person, PERSON_FIELDS)
    if (
        "age_estimated_on" in fields
        and fields["age_estimated_on"] is None
        and fields.get("estimated_age", person.estimated_age) == person.estimated_age
    ):
        # The same estimate, with its date left empty, is still the estimate made on the
        # stored date; moving it to today would make a girl of 18 read as 16 again.
        del fields["age_estimated_on"]
    for name, value in fields.items():
        setattr(person, name, value)
    _validate_person(person)
    person.save()
    person_name_tokens_refresh(person)
    changes = _diff(before, _snapshot(person, PERSON_FIELDS))
    audit.record(actor=actor, action=AuditAction.UPDATE, target=person, changes=changes)
    hooks.person_saved(person.pk)
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
        hooks.person_saved(person.pk)
    return person


@transaction.atomic
def alias_add(*, actor: Actor, person: Person, name: str, kind: str = "alias") -> PersonAlias:
    """Add another name the person is known by."""
    policy.require(actor, Action.EDIT, person)
    alias = PersonAlias(person=person, name=(name or "").strip(), kind=kind)
    _add(
        alias,
        ("person", "name", "kind"),
        record=audit.recorder(
            actor=actor, action=AuditAction.CREATE, target=_person_target(alias, person)
        ),
    )
    person_name_tokens_refresh(person)
    hooks.person_saved(person.pk)
    return alias


@transaction.atomic
def alias_remove(*, actor: Actor, alias: PersonAlias) -> None:
    """Remove an alias recorded by mistake."""
    person = alias.person
    policy.require(actor, Action.EDIT, person)
    _remove(
        alias,
        ("person", "name", "kind"),
        record=audit.recorder(
            actor=actor, action=AuditAction.DELETE, target=_person_target(alias, person)
        ),
    )
    person_name_tokens_refresh(person)
    hooks.person_saved(person.pk)


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
    digest = Phone._meta.get_field("number_index").digest(normalised)
    if person.phones.filter(number_index=digest).exists():
        raise InvalidInput({"number": [_("This number is already recorded for this person.")]})
    phone = Phone(person=person, number=normalised, kind=kind, note=note)
    _add(
        phone,
        ("person", "number", "kind", "note"),
        record=audit.recorder(
            actor=actor, action=AuditAction.CREATE, target=_person_target(phone, person)
        ),
    )
    hooks.person_saved(person.pk)
    return phone


@transaction.atomic
def phone_remove(*, actor: Actor, phone: Phone) -> None:
    """Remove a phone number."""
    person = phone.person
    policy.require(actor, Action.EDIT, person)
    _remove(
        phone,
        ("person", "number", "kind", "note"),
        record=audit.recorder(
            actor=actor, action=AuditAction.DELETE, target=_person_target(phone, person)
        ),
    )
    hooks.person_saved(person.pk)


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
    _add(
        address,
        ("person", *ADDRESS_FIELDS),
        record=audit.recorder(
            actor=actor, action=AuditAction.CREATE, target=_person_target(address, person)
        ),
    )
    hooks.person_saved(person.pk)
    return address


@transaction.atomic
def address_remove(*, actor: Actor, address: Address) -> None:
    """Remove an address."""
    person = address.person
    policy.require(actor, Action.EDIT, person)
    _remove(
        address,
        ("person", *ADDRESS_FIELDS),
        record=audit.recorder(
            actor=actor, action=AuditAction.DELETE, target=_person_target(address, person)
        ),
    )
    hooks.person_saved(person.pk)


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
    _add(
        document,
        ("person", *DOCUMENT_FIELDS),
        record=audit.recorder(
            actor=actor, action=AuditAction.CREATE, target=_person_target(document, person)
        ),
    )
    return document


@transaction.atomic
def document_remove(*, actor: Actor, document: IdentityDocument) -> None:
    """Remove an identity document."""
    person = document.person
    policy.require(actor, Action.EDIT, person)
    _remove(
        document,
        ("person", *DOCUMENT_FIELDS),
        record=audit.recorder(
            actor=actor, action=AuditAction.DELETE, target=_person_target(document, person)
        ),
    )
