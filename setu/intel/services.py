"""Writes of the intel context: perpetrators and their identifiers on a case, the
cross-reference index kept with them, alerts when a value is already known elsewhere, and
intelligence-sharing agreements. All through the policy, all audited in the same transaction.

Every value is normalised before anything is written (``setu.intel.identifiers``): a bad value
is refused with a message naming the field, and nothing is stored half-parsed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core import changes
from setu.core.errors import Forbidden, InvalidInput
from setu.intel import identifiers
from setu.intel.models import (
    NAME_KIND,
    Identifier,
    IdentifierKind,
    IntelKey,
    IntelLink,
    Perpetrator,
    PerpetratorKind,
    PerpetratorRole,
    SharingAgreement,
    Source,
)
from setu.notifications import services as notifications

if TYPE_CHECKING:
    from setu.registry.models import Case

__all__ = ["IdentifierKind", "PerpetratorKind", "PerpetratorRole", "Source"]

PERPETRATOR_FIELDS = ("kind", "name", "aliases", "role", "source", "note")
IDENTIFIER_FIELDS = (
    "kind",
    "value",
    "raw",
    "perpetrator",
    "source",
    "note",
    "first_seen",
    "last_seen",
)
IDENTIFIER_INPUT = (
    "raw",
    "platform",
    "perpetrator_id",
    "source",
    "note",
    "first_seen",
    "last_seen",
)
AGREEMENT_FIELDS = ("proposer_org", "partner_org", "starts_on", "ends_on", "purpose")
# A name of one word ("Raju") is shared by too many people to point at anyone: such names are
# kept on the case but not cross-referenced.
MIN_NAME_WORDS = 2
MAX_ALIASES = 10

# The normalisers' error codes in the user's language (they speak English only).
PROBLEMS = {
    "empty": gettext_lazy("Give a value."),
    "too_short": gettext_lazy("The value is too short."),
    "too_long": gettext_lazy("The value is too long."),
    "bad_characters": gettext_lazy("The value has characters it cannot have."),
    "looks_like_email": gettext_lazy("This looks like an e-mail address, not a UPI ID."),
    "unknown_state": gettext_lazy("The state code is not one India uses."),
    "checksum": gettext_lazy("The last character does not match: check for a typo."),
    "platform": gettext_lazy("Choose the platform the handle belongs to."),
    "ifsc": gettext_lazy("The IFSC is not valid: four letters, a zero, six letters or digits."),
    "kind": gettext_lazy("Choose a kind of identifier."),
}
HINTS = {
    "phone": gettext_lazy(
        "Write a mobile number as 98765 43210 or +91 98765 43210, a landline with its STD code "
        "as 022 2345 6789."
    ),
    "upi": gettext_lazy("Write a UPI ID as name@bank, for example agent.rao@okaxis."),
    "bank_account": gettext_lazy(
        "Write the IFSC and the account number, for example SBIN0001234 301244556677."
    ),
    "vehicle": gettext_lazy(
        "Write a registration as MH 02 AB 1234, a Bharat series one as 22 BH 1234 AA, or an old "
        "one as DLA 1234."
    ),
    "handle": gettext_lazy("Write the handle with or without @, or paste the profile's link."),
    "url": gettext_lazy("Write a web address such as example.com/jobs."),
    "email": gettext_lazy("Write an e-mail address as name@example.com."),
    "address": gettext_lazy("Give at least a place and a locality."),
    "gstin": gettext_lazy("A GSTIN has 15 characters, for example 27AAPFU0939F1ZV."),
    "pan": gettext_lazy("A PAN is five letters, four digits and a letter, e.g. AAPFU0939F."),
    "registration": gettext_lazy("Use letters, digits, spaces, / and - only."),
    "name": gettext_lazy("A name needs letters."),
}


def problem_text(exc: identifiers.InvalidIdentifier) -> str:
    """What is wrong with a value, and how to write it, in the user's language."""
    problem = PROBLEMS.get(exc.code)
    hint = HINTS.get(exc.kind, "")
    if problem is None:
        return str(hint or exc)
    return f"{problem} {hint}".strip()


def canonical(kind: str, raw: str, *, platform: str = "", field: str = "raw") -> str:
    """The canonical value of ``raw`` as a ``kind``, or ``InvalidInput`` naming ``field``."""
    if kind not in IdentifierKind.values and kind != NAME_KIND:
        raise InvalidInput({"kind": [str(PROBLEMS["kind"])]})
    try:
        return identifiers.normalise(kind, raw, platform=platform)
    except identifiers.InvalidIdentifier as exc:
        raise InvalidInput({field: [problem_text(exc)]}) from exc


# --- The cross-reference index and its alerts -------------------------------------------------


def _name_keys(perpetrator: Perpetrator) -> set[str]:
    keys = set()
    for name in [perpetrator.name, *(perpetrator.aliases or [])]:
        try:
            key = identifiers.name_key(name)
        except identifiers.InvalidIdentifier:
            continue
        if len(key.split()) >= MIN_NAME_WORDS:
            keys.add(key)
    return keys


def _reindex(
    wanted: set[tuple[str, str]],
    existing: Iterable[IntelKey],
    *,
    case_id: Any,
    owner_org_id: Any,
    case_restricted: bool,
    **owner: Any,
) -> list[IntelKey]:
    """Make the item's index rows exactly ``wanted`` (kind, value); returns the new rows. Rows
    that stay keep their links, so an unchanged value is never alerted twice."""
    have = {(k.kind, k.value): k for k in existing}
    stale = [k.pk for pair, k in have.items() if pair not in wanted]
    if stale:
        IntelKey.objects.filter(pk__in=stale).delete()
    fresh = [
        IntelKey(
            kind=kind,
            value=value,
            case_id=case_id,
            owner_org_id=owner_org_id,
            case_restricted=case_restricted,
            **owner,
        )
        for kind, value in sorted(wanted - set(have))
    ]
    return IntelKey.objects.bulk_create(fresh) if fresh else []


@policy.system_read
def _same_value_elsewhere(kind: str, value: str, organisation_id: Any) -> list[tuple[Any, Any]]:
    """(index row id, organisation) of the same value in other organisations' cases: finding
    them is what cross-referencing is for, and row-level security shows an organisation only
    its own index rows. Neither the cases nor anything else of theirs leaves this read."""
    rows = IntelKey.objects.filter(kind=kind, value=value).exclude(owner_org_id=organisation_id)
    return list(rows.values_list("pk", "owner_org_id"))


def _link_new_keys(keys: list[IntelKey]) -> list[IntelLink]:
    """Link each new index row to the same value in other organisations' cases (once per
    pair) and tell both sides, without the value, that it is known elsewhere."""
    links: list[IntelLink] = []
    for key in keys:
        if key.pk is None:  # some databases return no ids from bulk_create
            key = IntelKey.objects.get(
                kind=key.kind,
                value=key.value,
                case_id=key.case_id,
                identifier_id=key.identifier_id,
                perpetrator_id=key.perpetrator_id,
            )
        for other_pk, other_org_id in _same_value_elsewhere(key.kind, key.value, key.owner_org_id):
            link, created = IntelLink.objects.get_or_create(
                key_a_id=key.pk,
                key_b_id=other_pk,
                defaults={
                    "kind": key.kind,
                    "org_a_id": key.owner_org_id,
                    "org_b_id": other_org_id,
                },
            )
            if created:
                links.append(link)
    if links:
        _alert(links)
    return links


def _kind_label(kind: str) -> str:
    if kind == NAME_KIND:
        return _("A perpetrator's name")
    return str(IdentifierKind(kind).label)


def _alert(links: list[IntelLink]) -> None:
    """Notify the entitled users of both organisations: a kind of value and the other
    organisation's name, nothing more (no value, no case, no person)."""
    from setu.orgs import selectors as orgs

    names = orgs.organisations_by_id(
        ids={o for link in links for o in (link.org_a_id, link.org_b_id)}
    )
    url = reverse("intel:crossref")
    for link in links:
        for mine, other in ((link.org_a_id, link.org_b_id), (link.org_b_id, link.org_a_id)):
            message = _(
                "%(kind)s recorded in one of your cases is also known to %(organisation)s. "
                "See the cross-references to know whom to ask."
            ) % {"kind": _kind_label(link.kind), "organisation": names[other].name}
            notifications.notification_send(
                recipients=policy.intel_contacts(mine),
                kind=notifications.NoticeKind.INTEL,
                message=message,
                url=url,
                subject=f"intel.intellink:{link.pk}",
            )


def _case_restricted(model: type[Identifier] | type[Perpetrator], pk: Any) -> bool:
    """The item's case's restriction as committed, not as a caller's copy of the case holds it.
    The case row is locked, as ``registry.services.case_update`` locks it before telling us of a
    change, so an index row cannot be made with the old value after that change has passed."""
    with transaction.atomic():
        item = model.objects.select_related("case").select_for_update(of=("case",)).get(pk=pk)
        return bool(item.case.is_restricted)


def _index_identifier(identifier: Identifier) -> list[IntelLink]:
    new = _reindex(
        {(identifier.kind, identifier.value)},
        identifier.keys.all(),
        case_id=identifier.case_id,
        owner_org_id=identifier.owner_org_id,
        case_restricted=_case_restricted(Identifier, identifier.pk),
        identifier=identifier,
    )
    return _link_new_keys(new)


def _index_perpetrator(perpetrator: Perpetrator) -> list[IntelLink]:
    new = _reindex(
        {(NAME_KIND, key) for key in _name_keys(perpetrator)},
        perpetrator.keys.all(),
        case_id=perpetrator.case_id,
        owner_org_id=perpetrator.owner_org_id,
        case_restricted=_case_restricted(Perpetrator, perpetrator.pk),
        perpetrator=perpetrator,
    )
    return _link_new_keys(new)


def case_restriction_follow(case_id: Any, restricted: bool) -> None:
    """The case's index rows take its new restriction (``registry.hooks``), in the registry's
    transaction: an agreement stops opening its intelligence from the moment it is restricted."""
    IntelKey.objects.filter(case_id=case_id).update(case_restricted=restricted)


# --- Perpetrators -----------------------------------------------------------------------------


def _clean_aliases(aliases: Any) -> list[str]:
    if aliases in (None, ""):
        return []
    if isinstance(aliases, str):
        aliases = aliases.replace("\n", ",").split(",")
    cleaned = [" ".join(str(a).split()) for a in aliases]
    cleaned = list(dict.fromkeys(a for a in cleaned if a))
    if len(cleaned) > MAX_ALIASES:
        raise InvalidInput({"aliases": [_("At most 10 other names.")]})
    if any(len(a) > 150 for a in cleaned):
        raise InvalidInput({"aliases": [_("Each other name has at most 150 characters.")]})
    return cleaned


def _check_perpetrator(perpetrator: Perpetrator) -> None:
    perpetrator.name = " ".join((perpetrator.name or "").split())
    perpetrator.aliases = _clean_aliases(perpetrator.aliases)
    if perpetrator.name:
        canonical(NAME_KIND, perpetrator.name, field="name")
    changes.clean(perpetrator)


def _require_case(actor: Actor, case: Case) -> None:
    """The case must be one whose intelligence the actor writes (own organisation's)."""
    policy.require(actor, Action.VIEW, case)
    policy.require_allowed(actor, Action.CREATE, "intel.perpetrator")
    if case.owner_org_id != actor.organisation_id:  # type: ignore[attr-defined]
        raise Forbidden(
            action=Action.EDIT, target=("registry.case", str(case.pk), case.owner_org_id)
        )  # type: ignore[attr-defined]


@transaction.atomic
def perpetrator_add(
    *,
    actor: Actor,
    case: Case,
    name: str,
    role: str,
    source: str,
    kind: str = PerpetratorKind.PERSON,
    aliases: Any = None,
    note: str = "",
    gstin: str = "",
    registration: str = "",
) -> Perpetrator:
    """Record a perpetrator of a case (a person, or an organisation such as a placement agency
    with its GST and registration numbers, which become its identifiers)."""
    _require_case(actor, case)
    perpetrator = Perpetrator(
        case=case,
        owner_org_id=case.owner_org_id,
        kind=kind,
        name=name,
        aliases=aliases,
        role=role,
        source=source,
        note=note,
        recorded_by=actor.user,
    )
    _check_perpetrator(perpetrator)
    numbers = [(IdentifierKind.GSTIN, gstin), (IdentifierKind.REGISTRATION, registration)]
    values = {k: canonical(k, raw, field=str(k)) for k, raw in numbers if raw and raw.strip()}
    perpetrator.save()
    policy.require(actor, Action.EDIT, perpetrator)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=perpetrator,
        changes={"after": changes.snapshot(perpetrator, PERPETRATOR_FIELDS)},
    )
    _index_perpetrator(perpetrator)
    for id_kind, raw in numbers:
        if id_kind in values:
            _identifier_save(
                actor,
                Identifier(
                    case=case,
                    owner_org_id=case.owner_org_id,
                    perpetrator=perpetrator,
                    kind=id_kind,
                    value=values[id_kind],
                    raw=raw.strip(),
                    source=source,
                    recorded_by=actor.user,
                ),
            )
    return perpetrator


@transaction.atomic
def perpetrator_update(*, actor: Actor, perpetrator: Perpetrator, **fields: Any) -> Perpetrator:
    """Correct a perpetrator's names, role, source or note."""
    policy.require(actor, Action.EDIT, perpetrator)
    changes.check_fields(fields, PERPETRATOR_FIELDS)
    perpetrator = Perpetrator.objects.select_for_update().get(pk=perpetrator.pk)
    before = changes.snapshot(perpetrator, PERPETRATOR_FIELDS)
    for name, value in fields.items():
        setattr(perpetrator, name, value)
    _check_perpetrator(perpetrator)
    perpetrator.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=perpetrator,
        changes=changes.diff(before, changes.snapshot(perpetrator, PERPETRATOR_FIELDS)),
    )
    _index_perpetrator(perpetrator)
    return perpetrator


@transaction.atomic
def perpetrator_remove(*, actor: Actor, perpetrator: Perpetrator) -> None:
    """Remove a perpetrator recorded in error; its identifiers stay on the case, unattached."""
    policy.require(actor, Action.EDIT, perpetrator)
    changes.remove(
        perpetrator,
        PERPETRATOR_FIELDS,
        record=audit.recorder(actor=actor, action=AuditAction.DELETE, target=perpetrator),
    )


@transaction.atomic
def perpetrator_merge(*, actor: Actor, perpetrator: Perpetrator, into: Perpetrator) -> Perpetrator:
    """Merge two records of one case that are the same person or agency: ``perpetrator`` goes
    into ``into``, which keeps its name, role and source and gains the other's names as other
    names, its identifiers, its note and its cross-references. Nothing is lost: what the kept
    record cannot hold (too many names, too long a note) refuses the merge instead."""
    policy.require(actor, Action.EDIT, perpetrator)
    policy.require(actor, Action.EDIT, into)
    if perpetrator.pk == into.pk:
        raise InvalidInput({"into": [_("Choose another record to merge into.")]})
    # A perpetrator row belongs to one case: a person in two cases is two records, which the
    # cross-references (names of two words or more) already connect.
    if perpetrator.case_id != into.case_id:
        raise InvalidInput({"into": [_("Only records of the same case can be merged.")]})
    gone, kept = (
        Perpetrator.objects.select_for_update().get(pk=perpetrator.pk),
        Perpetrator.objects.select_for_update().get(pk=into.pk),
    )
    before = changes.snapshot(kept, PERPETRATOR_FIELDS)
    merged = [*(kept.aliases or []), gone.name, *(gone.aliases or [])]
    merged = [n for n in dict.fromkeys(" ".join(str(a).split()) for a in merged) if n != kept.name]
    if len(merged) > MAX_ALIASES:
        raise InvalidInput(
            {"into": [_("Together they have more than 10 other names: remove some first.")]}
        )
    kept.aliases = merged
    extra = []
    if (gone.role, gone.kind) != (kept.role, kept.kind):
        extra.append(
            _("Also recorded as: %(role)s (%(kind)s), from %(source)s.")
            % {
                "role": gone.get_role_display(),
                "kind": gone.get_kind_display(),
                "source": gone.get_source_display(),
            }
        )
    if gone.note and gone.note not in kept.note:
        extra.append(gone.note)
    kept.note = "\n\n".join([kept.note, *extra]).strip() if extra else kept.note
    if len(kept.note) > Perpetrator._meta.get_field("note").max_length:
        raise InvalidInput({"into": [_("The two notes together are too long: shorten one.")]})
    _check_perpetrator(kept)
    kept.save()
    moved = Identifier.objects.filter(perpetrator_id=gone.pk).update(perpetrator_id=kept.pk)
    # The index rows of the merged names move with their links (nobody is alerted again); a
    # name both records had keeps the kept record's row, whose links are the same.
    have = set(kept.keys.values_list("kind", "value"))
    for key in gone.keys.all():
        if (key.kind, key.value) in have:
            key.delete()
        else:
            key.perpetrator_id = kept.pk
            key.save(update_fields=["perpetrator"])
    _index_perpetrator(kept)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=kept,
        changes=changes.diff(before, changes.snapshot(kept, PERPETRATOR_FIELDS)),
        details={"merged": str(gone.pk), "identifiers_moved": moved},
    )
    changes.remove(
        gone,
        PERPETRATOR_FIELDS,
        record=audit.recorder(
            actor=actor,
            action=AuditAction.DELETE,
            target=gone,
            details={"merged_into": str(kept.pk)},
        ),
    )
    return kept


# --- Identifiers ------------------------------------------------------------------------------


def _identifier_save(actor: Actor, identifier: Identifier) -> Identifier:
    if (
        Identifier.objects.filter(
            case_id=identifier.case_id, kind=identifier.kind, value=identifier.value
        )
        .exclude(pk=identifier.pk)
        .exists()
    ):
        raise InvalidInput({"raw": [_("This case already has this identifier.")]})
    creating = identifier._state.adding
    changes.clean(identifier, exclude=["case", "owner_org"])
    identifier.save()
    if creating:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            target=identifier,
            changes={"after": changes.snapshot(identifier, IDENTIFIER_FIELDS)},
        )
    _index_identifier(identifier)
    return identifier


def _check_identifier(
    identifier: Identifier, *, platform: str, perpetrator_id: Any, errors: dict[str, list[str]]
) -> None:
    if perpetrator_id:
        perpetrator = Perpetrator.objects.filter(
            pk=perpetrator_id, case_id=identifier.case_id
        ).first()
        if perpetrator is None:
            changes.add_error(errors, "perpetrator_id", _("Choose a perpetrator of this case."))
        identifier.perpetrator = perpetrator
    elif perpetrator_id is not None:
        identifier.perpetrator = None
    raw = " ".join((identifier.raw or "").split())
    identifier.raw = raw[:300]
    try:
        identifier.value = canonical(identifier.kind, raw, platform=platform)
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            for message in messages:
                changes.add_error(errors, field, message)
    today = timezone.localdate()
    for field in ("first_seen", "last_seen"):
        day = getattr(identifier, field)
        if day and day > today:
            changes.add_error(errors, field, _("This date is in the future."))
    if (
        identifier.first_seen
        and identifier.last_seen
        and identifier.last_seen < identifier.first_seen
    ):
        changes.add_error(errors, "last_seen", _("Last seen cannot be before first seen."))
    changes.raise_if(errors)


@transaction.atomic
def identifier_add(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    raw: str,
    source: str,
    platform: str = "",
    perpetrator_id: Any = None,
    note: str = "",
    first_seen: datetime.date | None = None,
    last_seen: datetime.date | None = None,
) -> Identifier:
    """Record an identifier seen in a case; if the same value is in another organisation's
    case, both are linked and both organisations told (once per pair)."""
    _require_case(actor, case)
    identifier = Identifier(
        case=case,
        owner_org_id=case.owner_org_id,
        kind=kind,
        raw=raw or "",
        source=source,
        note=note,
        first_seen=first_seen,
        last_seen=last_seen,
        recorded_by=actor.user,
    )
    _check_identifier(identifier, platform=platform, perpetrator_id=perpetrator_id, errors={})
    _identifier_save(actor, identifier)
    policy.require(actor, Action.EDIT, identifier)
    return identifier


@transaction.atomic
def identifier_update(*, actor: Actor, identifier: Identifier, **fields: Any) -> Identifier:
    """Correct an identifier (its value is normalised again and re-indexed)."""
    policy.require(actor, Action.EDIT, identifier)
    changes.check_fields(fields, IDENTIFIER_INPUT)
    identifier = Identifier.objects.select_for_update().get(pk=identifier.pk)
    before = changes.snapshot(identifier, IDENTIFIER_FIELDS)
    platform = fields.pop("platform", "")
    perpetrator_id = fields.pop("perpetrator_id", None)
    for name, value in fields.items():
        setattr(identifier, name, value)
    _check_identifier(identifier, platform=platform, perpetrator_id=perpetrator_id, errors={})
    _identifier_save(actor, identifier)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=identifier,
        changes=changes.diff(before, changes.snapshot(identifier, IDENTIFIER_FIELDS)),
    )
    return identifier


@transaction.atomic
def identifier_remove(*, actor: Actor, identifier: Identifier) -> None:
    """Remove an identifier recorded in error (its cross-references go with it)."""
    policy.require(actor, Action.EDIT, identifier)
    changes.remove(
        identifier,
        IDENTIFIER_FIELDS,
        record=audit.recorder(actor=actor, action=AuditAction.DELETE, target=identifier),
    )


# --- Sharing agreements -----------------------------------------------------------------------


def _agreement_record(actor: Actor, action: str, agreement: SharingAgreement, what: str) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=("intel.sharingagreement", str(agreement.pk), actor.organisation_id),
        details={
            "what": what,
            "proposer_org": str(agreement.proposer_org_id),
            "partner_org": str(agreement.partner_org_id),
        },
        changes={"after": changes.snapshot(agreement, AGREEMENT_FIELDS)},
    )


@transaction.atomic
def agreement_propose(
    *,
    actor: Actor,
    partner_org_id: Any,
    starts_on: datetime.date,
    ends_on: datetime.date,
    purpose: str = "",
) -> SharingAgreement:
    """Propose an intelligence-sharing agreement to another organisation (its admin accepts)."""
    policy.require_allowed(actor, Action.CREATE, "intel.sharingagreement")
    from setu.orgs import selectors as orgs

    errors: dict[str, list[str]] = {}
    if str(partner_org_id) == str(actor.organisation_id):
        changes.add_error(errors, "partner_org", _("Choose another organisation than your own."))
    elif not orgs.organisations_by_id(ids=[partner_org_id]):
        changes.add_error(errors, "partner_org", _("Choose an organisation of the network."))
    if ends_on < starts_on:
        changes.add_error(errors, "ends_on", _("The end cannot be before the start."))
    if ends_on < timezone.localdate():
        changes.add_error(errors, "ends_on", _("The end is already past."))
    if ends_on > starts_on + datetime.timedelta(days=3 * 366):
        changes.add_error(errors, "ends_on", _("An agreement lasts at most three years."))
    changes.raise_if(errors)
    pair = Q(proposer_org_id=actor.organisation_id, partner_org_id=partner_org_id) | Q(
        proposer_org_id=partner_org_id, partner_org_id=actor.organisation_id
    )
    open_ones = SharingAgreement.objects.filter(pair, withdrawn_at__isnull=True).filter(
        Q(accepted_at__isnull=True) | Q(ends_on__gte=timezone.localdate())
    )
    if open_ones.exists():
        raise InvalidInput(
            {"partner_org": [_("An agreement with this organisation is already proposed or live.")]}
        )
    agreement = SharingAgreement(
        proposer_org_id=actor.organisation_id,
        partner_org_id=partner_org_id,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=" ".join(purpose.split()),
        proposed_by=actor.user,
    )
    changes.clean(agreement, exclude=["proposer_org"])
    agreement.save()
    _agreement_record(actor, AuditAction.CREATE, agreement, "proposed")
    notifications.notification_send(
        recipients=policy.intel_admins(partner_org_id),
        kind=notifications.NoticeKind.INTEL,
        message=_("%(organisation)s proposes an intelligence-sharing agreement.")
        % {
            "organisation": orgs.organisations_by_id(ids=[actor.organisation_id])[
                actor.organisation_id
            ].name
        },
        url=reverse("intel:agreements"),
        subject=f"intel.sharingagreement:{agreement.pk}",
    )
    return agreement


@transaction.atomic
def agreement_accept(*, actor: Actor, agreement: SharingAgreement) -> SharingAgreement:
    """The partner's admin accepts a proposed agreement; it is live between its dates."""
    policy.require(actor, Action.RESPOND, agreement)
    agreement = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.ends_on < timezone.localdate():
        raise InvalidInput({"__all__": [_("This proposal has expired: propose a new one.")]})
    agreement.accepted_by = actor.user
    agreement.accepted_at = timezone.now()
    agreement.save(update_fields=["accepted_by", "accepted_at", "updated_at"])
    _agreement_record(actor, AuditAction.UPDATE, agreement, "accepted")
    return agreement


@transaction.atomic
def agreement_withdraw(*, actor: Actor, agreement: SharingAgreement) -> SharingAgreement:
    """Either side's admin withdraws (or declines) an agreement: it stops at once."""
    policy.require(actor, Action.EDIT, agreement)
    agreement = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.withdrawn_at is not None:
        raise InvalidInput({"__all__": [_("This agreement was already withdrawn.")]})
    agreement.withdrawn_by = actor.user
    agreement.withdrawn_at = timezone.now()
    agreement.save(update_fields=["withdrawn_by", "withdrawn_at", "updated_at"])
    _agreement_record(actor, AuditAction.UPDATE, agreement, "withdrawn")
    return agreement
