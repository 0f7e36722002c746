"""Reads of the registry; every one takes the acting user and goes through the access policy.

A partner organisation that sees a case through a share sees only what the share and the
survivor's consent allow (``policy.visible_scopes``); the ``Visibility`` flags carry that to
views and the API so that neither decides it again.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction, Outcome
from setu.core import uploads
from setu.core.errors import NotFound
from setu.registry import hooks, text
from setu.registry.models import (
    Address,
    Attachment,
    Case,
    CaseControlMeans,
    CaseExploitation,
    CasePerson,
    CaseRole,
    CaseStatus,
    DocumentType,
    ExploitationForm,
    Gender,
    IdentityDocument,
    NoteTopic,
    Person,
    PersonAlias,
    PersonNameToken,
    Phone,
    ServiceRecord,
    ServiceType,
    TraffickingEvent,
)
from setu.registry.models import AddressKind as AddressKind
from setu.registry.models import AttachmentKind as AttachmentKind
from setu.registry.models import DatePrecision as DatePrecision
from setu.registry.models import EventKind as EventKind

if TYPE_CHECKING:
    from setu.consent.models import CaseShare, Consent
    from setu.orgs.models import Organisation

# Whose consent can open a case to another organisation: the survivor (or the missing person).
CONSENTING_ROLES = (CaseRole.VICTIM, CaseRole.MISSING)

# Services whose very existence is health or legal information need that scope as well.
SERVICE_EXTRA_SCOPE = {
    ServiceType.HEALTH: "health",
    ServiceType.COUNSELLING: "health",
    ServiceType.LEGAL: "legal",
    ServiceType.COMPENSATION: "legal",
}
NOTE_SCOPE = {
    NoteTopic.GENERAL: "case_history",
    NoteTopic.HEALTH: "health",
    NoteTopic.LEGAL: "legal",
}
# Persons are listed most recently recorded first: their names are encrypted, so no database
# can sort by them, and sorting one page in Python would give each page its own A to Z.
PERSON_ORDER = ("-created_at", "-id")
# Fewer digits than this match too many numbers to be a search.
MIN_PHONE_DIGITS = 6


@dataclass(frozen=True)
class Visibility:
    """What of a person or case the actor may see; templates read these flags, never roles."""

    scopes: frozenset[str]
    is_owner: bool = False

    @property
    def identity(self) -> bool:
        return "identity" in self.scopes

    @property
    def contact(self) -> bool:
        return "contact" in self.scopes

    @property
    def case_history(self) -> bool:
        return "case_history" in self.scopes

    @property
    def services(self) -> bool:
        return "services" in self.scopes

    @property
    def health(self) -> bool:
        return "health" in self.scopes

    @property
    def legal(self) -> bool:
        return "legal" in self.scopes

    def allows_service(self, service_type: str) -> bool:
        extra = SERVICE_EXTRA_SCOPE.get(service_type)  # type: ignore[call-overload]
        return self.services and (extra is None or extra in self.scopes)

    def allows_note(self, topic: str) -> bool:
        return NOTE_SCOPE.get(topic, "case_history") in self.scopes


@dataclass(frozen=True)
class PersonFilters:
    """Non-identifying filters of the person list (safe in a GET query string)."""

    gender: str = ""
    role: str = ""
    state: int | None = None
    district: int | None = None
    mine: bool = False
    include_archived: bool = False


@dataclass(frozen=True)
class CaseFilters:
    """Non-identifying filters of the case list (safe in a GET query string)."""

    status: str = ""
    trafficking_status: str = ""
    exploitation_form: str = ""
    event_kind: str = ""
    state: int | None = None
    district: int | None = None
    opened_from: datetime.date | None = None
    opened_to: datetime.date | None = None
    mine: bool = False


def _as_filters[F](filters: F | Mapping[str, Any] | None, kind: type[F]) -> F:
    if filters is None:
        return kind()
    if isinstance(filters, kind):
        return filters
    names = {f.name for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    given = {k: v for k, v in dict(filters).items() if k in names and v not in (None, "")}  # type: ignore[call-overload]
    for key in ("state", "district"):
        value = given.get(key)
        if isinstance(value, Model):  # a State or District chosen in a form
            given[key] = value.pk
    return kind(**given)


def _not_found(model: type, pk: Any) -> NotFound:
    return NotFound(action=Action.VIEW, target=(model._meta.label_lower, str(pk), None))


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


# --- persons ------------------------------------------------------------------------------------


def _visible_persons(actor: Actor, scope_name: str = "identity") -> QuerySet[Person]:
    """Persons the actor may see and whose ``scope_name`` data (by default, identity) is shown."""
    qs = policy.scope(actor, Person.objects.all(), Action.VIEW)
    return qs.filter(policy.persons_with_scope(actor, scope_name))


def person_list(
    *, actor: Actor, filters: PersonFilters | Mapping[str, Any] | None = None
) -> QuerySet[Person]:
    """Persons the actor may see by name (own organisation's, and shared ones with identity)."""
    f = _as_filters(filters, PersonFilters)
    qs = _visible_persons(actor)
    if not f.include_archived:
        qs = qs.filter(archived_at__isnull=True)
    if f.gender:
        qs = qs.filter(gender=f.gender)
    if f.role:
        qs = qs.filter(Exists(CasePerson.objects.filter(person_id=OuterRef("pk"), role=f.role)))
    if f.district or f.state:
        # A place filter matches only where the actor may see the addresses (contact): else
        # it would tell a partner the home district of a person whose places were not shared.
        place = {"district_id": f.district} if f.district else {"state_id": f.state}
        qs = qs.filter(
            policy.persons_with_scope(actor, "contact"),
            Exists(Address.objects.filter(person_id=OuterRef("pk"), **place)),
        )
    if f.mine:
        qs = qs.filter(created_by_id=actor.user.pk)
    return qs.select_related("owner_org").order_by(*PERSON_ORDER)


def person_count(*, actor: Actor, filters: PersonFilters | Mapping[str, Any] | None = None) -> int:
    """How many persons ``person_list`` would show."""
    return person_list(actor=actor, filters=filters).count()


def _persons_with_phone(query: str, *, among: QuerySet[Person]) -> list[Any]:
    """Ids of persons in ``among`` with this phone: the whole number by its blind index, or
    (6 digits or more) its end, narrowed by the index of the last six digits and then
    compared in clear (the numbers are encrypted, so no database can compare their ends)."""
    phones = Phone.objects.filter(person__in=among.values("pk"))
    try:
        number = text.normalise_phone(query)
    except ValueError:
        digits = text.phone_digits(query)
        if len(digits) < MIN_PHONE_DIGITS:
            return []
        tail = Phone._meta.get_field("number_tail_index").digest(digits)
        candidates = phones.filter(number_tail_index=tail).only("pk", "person_id", "number")
        return sorted({p.person_id for p in candidates if p.number.endswith(digits)})
    digest = Phone._meta.get_field("number_index").digest(number)
    return list(phones.filter(number_index=digest).values_list("person_id", flat=True))


def person_search(*, actor: Actor, query: str) -> QuerySet[Person]:
    """Persons matching a name, alias, native-script name or phone number; the search is audited
    (without the query, which is personal data)."""
    query = (query or "").strip()
    kind = (
        "phone"
        if text.looks_like_phone(query)
        else "document"
        if text.looks_like_document_number(query)
        else "name"
    )
    order: tuple[str, ...] = PERSON_ORDER
    if kind == "phone":
        # Results show names, so the phone must be shared AND the identity behind it.
        qs = _visible_persons(actor, "contact").filter(
            policy.persons_with_scope(actor, "identity"), archived_at__isnull=True
        )
        qs = qs.filter(pk__in=_persons_with_phone(query, among=qs))
    elif kind == "document":
        # A document number is part of her identity: found only where identity is shared.
        qs = _visible_persons(actor, "identity").filter(archived_at__isnull=True)
        digest = IdentityDocument._meta.get_field("number_index").digest(query)
        documents = IdentityDocument.objects.filter(person_id=OuterRef("pk"), number_index=digest)
        qs = qs.filter(Exists(documents.exclude(doc_type=DocumentType.AADHAAR)))
    else:
        digests = text.query_digests(query)
        qs = _visible_persons(actor).filter(archived_at__isnull=True)
        if not digests:
            qs = qs.none()
        whole_words: Any = Value(0)
        for digest in digests:
            # Every word of the query must be a word of her names, or the start of one: the
            # digests are blind indexes, so the database compares no name (PersonNameToken).
            tokens = PersonNameToken.objects.filter(person_id=OuterRef("pk"), digest=digest)
            qs = qs.filter(Exists(tokens))
            whole_words += Cast(Exists(tokens.filter(whole=True)), IntegerField())
        # Closest first: a person with more of the words typed as whole words of her names
        # ("Rupa" for Rupa) before one whose names only start with them (Rupali).
        qs = qs.alias(whole_words=whole_words)
        order = ("-whole_words", *order)
    qs = qs.select_related("owner_org").order_by(*order)
    audit.record(
        actor=actor,
        action=AuditAction.LIST,
        target=("registry.person", "", actor.organisation_id),
        details={"search": kind, "results": qs.count()},
    )
    return qs


def person_get(*, actor: Actor, person_id: Any, for_action: Action = Action.VIEW) -> Person:
    """One person the actor may see (and ``for_action``, e.g. EDIT, else Forbidden); the view is
    audited. Raises NotFound when the person is not visible."""
    pk = _uuid(person_id)
    qs = policy.scope(actor, Person.objects.select_related("owner_org"), Action.VIEW)
    person = qs.filter(pk=pk).first() if pk else None
    if person is None:
        raise _not_found(Person, person_id)
    if for_action != Action.VIEW:
        policy.require(actor, for_action, person)
    audit.record(actor=actor, action=AuditAction.VIEW, target=person)
    return person


def person_records_for_access_report(*, actor: Actor, person_id: Any) -> dict[str, set[str]]:
    """The records whose audit entries are accesses to one person, by audit target type.

    For an organisation admin's breach report (DPDP Rules, 72-hour notice): the person, her
    names, phones, places and documents and the cases she appears in (the consent app adds her
    consents through ``audit.labels``). Only the
    organisation that owns the person may ask (Action.EXPORT on the person: its admins).
    """
    pk = _uuid(person_id)
    person = policy.scope(actor, Person.objects.all(), Action.VIEW).filter(pk=pk).first()
    if pk is None or person is None:
        raise _not_found(Person, person_id)
    policy.require(actor, Action.EXPORT, person)
    related: dict[str, set[str]] = {"registry.person": {str(person.pk)}}
    for label, qs in (
        ("registry.personalias", PersonAlias.objects.filter(person=person)),
        ("registry.phone", Phone.objects.filter(person=person)),
        ("registry.address", Address.objects.filter(person=person)),
        ("registry.identitydocument", IdentityDocument.objects.filter(person=person)),
        ("registry.attachment", Attachment.objects.filter(person=person)),
        ("registry.case", Case.objects.filter(participants__person=person)),
    ):
        related[label] = {str(v) for v in qs.values_list("pk", flat=True)}
    return related


def person_visibility(*, actor: Actor, person: Person) -> Visibility:
    """What of this person the actor may see."""
    scopes = policy.person_visible_scopes(actor, person)
    return Visibility(scopes, is_owner=person.owner_org_id == actor.organisation_id)


@dataclass
class PersonDetail:
    """A person with the parts of their record the actor may see."""

    person: Person
    visibility: Visibility
    aliases: list[PersonAlias] = field(default_factory=list)
    documents: list[IdentityDocument] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    case_links: list[CasePerson] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)  # from registry.hooks
    attachments: list[Attachment] = field(default_factory=list)


def person_detail(*, actor: Actor, person_id: Any) -> PersonDetail:
    """Everything on a person's page, limited to what the actor may see; audited as a view."""
    person = person_get(actor=actor, person_id=person_id)
    visibility = person_visibility(actor=actor, person=person)
    detail = PersonDetail(person=person, visibility=visibility)
    if visibility.identity:
        # Sorted here: the names are ciphertext to the database.
        detail.aliases = sorted(person.aliases.all(), key=lambda a: a.name.casefold())
        detail.documents = list(person.documents.order_by("doc_type"))
    if visibility.contact:
        detail.phones = list(person.phones.order_by("created_at"))
        detail.addresses = list(
            person.addresses.select_related("district", "state").order_by("created_at")
        )
    visible_cases = policy.scope(actor, Case.objects.all(), Action.VIEW).values("pk")
    detail.case_links = list(
        person.case_links.filter(case_id__in=visible_cases)
        .select_related("case")
        .order_by("-case__opened_on")
    )
    detail.consents = hooks.person_consents(actor, [person.pk])
    if visibility.identity:
        detail.attachments = list(attachment_list(actor=actor, person=person))
    return detail


def _person_child_get(model: type[Any], actor: Actor, pk: Any) -> Any:
    """An alias, phone, address or document of a person the actor may see."""
    obj = model.objects.select_related("person").filter(pk=_uuid(pk)).first() if _uuid(pk) else None
    if obj is None or not policy.can(actor, Action.VIEW, obj.person):
        raise _not_found(model, pk)
    return obj


def alias_get(*, actor: Actor, alias_id: Any) -> PersonAlias:
    """An alias of a person the actor may see."""
    return _person_child_get(PersonAlias, actor, alias_id)


def phone_get(*, actor: Actor, phone_id: Any) -> Phone:
    """A phone of a person the actor may see."""
    return _person_child_get(Phone, actor, phone_id)


def address_get(*, actor: Actor, address_id: Any) -> Address:
    """An address of a person the actor may see."""
    return _person_child_get(Address, actor, address_id)


def document_get(*, actor: Actor, document_id: Any) -> IdentityDocument:
    """An identity document of a person the actor may see."""
    return _person_child_get(IdentityDocument, actor, document_id)


def consent_recipient_list(*, actor: Actor) -> QuerySet[Organisation]:
    """Member organisations a person may name in a consent (or as a service provider)."""
    from setu.orgs import selectors as orgs

    return orgs.organisation_list(actor=actor)


# --- cases --------------------------------------------------------------------------------------


def case_list(
    *, actor: Actor, filters: CaseFilters | Mapping[str, Any] | None = None
) -> QuerySet[Case]:
    """Cases the actor may see, filtered; newest first."""
    f = _as_filters(filters, CaseFilters)
    qs = policy.scope(actor, Case.objects.filter(archived_at__isnull=True), Action.VIEW)
    # Filters match only on what the actor may see of a case (a share may leave out its history).
    if f.exploitation_form or f.event_kind:
        qs = qs.filter(policy.cases_with_scope(actor, "case_history"))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.trafficking_status:
        qs = qs.filter(trafficking_status=f.trafficking_status)
    if f.exploitation_form:
        qs = qs.filter(
            Exists(
                CaseExploitation.objects.filter(case_id=OuterRef("pk"), form=f.exploitation_form)
            )
        )
    if f.event_kind:
        qs = qs.filter(
            Exists(TraffickingEvent.objects.filter(case_id=OuterRef("pk"), kind=f.event_kind))
        )
    if f.district or f.state:
        # A case is "in" a place where something happened or where a survivor is from.
        place = {"district_id": f.district} if f.district else {"state_id": f.state}
        events = TraffickingEvent.objects.filter(case_id=OuterRef("pk"), **place)
        with_contact = Person.objects.filter(policy.persons_with_scope(actor, "contact"))
        homes = CasePerson.objects.filter(
            case_id=OuterRef("pk"),
            person_id__in=with_contact.values("pk"),
            person__addresses__in=Address.objects.filter(**place),
        )
        history = policy.cases_with_scope(actor, "case_history")
        qs = qs.filter((Q(Exists(events)) & history) | Q(Exists(homes)))
    if f.opened_from:
        qs = qs.filter(opened_on__gte=f.opened_from)
    if f.opened_to:
        qs = qs.filter(opened_on__lte=f.opened_to)
    if f.mine:
        team = Case.team.through.objects.filter(case_id=OuterRef("pk"), user_id=actor.user.pk)
        qs = qs.filter(Q(case_owner_id=actor.user.pk) | Exists(team))
    return qs.select_related("owner_org", "case_owner").order_by("-opened_on", "reference", "id")


def case_search(*, actor: Actor, query: str) -> QuerySet[Case]:
    """Cases the actor may see whose reference (or former reference) matches ``query``.

    ``pcms-2026-4`` finds ``PCMS/2026/0004``; part of a reference ("2026/0004") finds it too.
    """
    query = (query or "").strip()
    if not query:
        return Case.objects.none()
    wanted = text.normalise_case_reference(query)
    matches = (
        Q(reference__iexact=wanted)
        | Q(former_reference__iexact=query)
        | Q(reference__icontains=query)
        | Q(former_reference__icontains=query)
    )
    qs = policy.scope(actor, Case.objects.filter(matches, archived_at__isnull=True), Action.VIEW)
    return qs.select_related("owner_org", "case_owner").order_by("-opened_on", "reference", "id")


def case_references(*, actor: Actor, ids: Iterable[Any]) -> dict[str, str]:
    """References of those of ``ids`` (case ids) that the actor may see, by id as text."""
    qs = policy.scope(actor, Case.objects.filter(pk__in=list(ids)), Action.VIEW)
    return {str(pk): ref for pk, ref in qs.values_list("pk", "reference")}


def person_names(*, actor: Actor, ids: Iterable[Any]) -> dict[str, str]:
    """Names of those of ``ids`` (person ids) whose identity the actor may see, by id as text."""
    qs = _visible_persons(actor).filter(pk__in=list(ids))
    # display_name reads anonymised_at: left out of only(), it cost a query per person.
    fields = ("given_name", "family_name", "name_native", "anonymised_at")
    return {str(p.pk): p.display_name for p in qs.only(*fields)}


def case_count(*, actor: Actor, filters: CaseFilters | Mapping[str, Any] | None = None) -> int:
    """How many cases ``case_list`` would show."""
    return case_list(actor=actor, filters=filters).count()


def case_count_by_status(*, actor: Actor) -> dict[str, int]:
    """Visible cases per status (every status present, zero when none), for home pages."""
    counts = dict.fromkeys(CaseStatus.values, 0)
    rows = case_list(actor=actor).order_by().values("status").annotate(n=Count("id", distinct=True))
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def case_get(*, actor: Actor, case_id: Any, for_action: Action = Action.VIEW) -> Case:
    """One case the actor may see (and ``for_action``, e.g. EDIT, else Forbidden); the view is
    audited. Raises NotFound when the case is not visible."""
    pk = _uuid(case_id)
    qs = policy.scope(actor, Case.objects.select_related("owner_org", "case_owner"), Action.VIEW)
    case = qs.filter(pk=pk).first() if pk else None
    if case is None:
        raise _not_found(Case, case_id)
    if for_action != Action.VIEW:
        policy.require(actor, for_action, case)
    audit.record(actor=actor, action=AuditAction.VIEW, target=case)
    return case


def case_visibility(*, actor: Actor, case: Case) -> Visibility:
    """What of this case the actor may see."""
    scopes = policy.visible_scopes(actor, case)
    return Visibility(scopes, is_owner=case.owner_org_id == actor.organisation_id)


@dataclass(frozen=True)
class TimelineItem:
    """One entry of a case's timeline."""

    kind: str  # event, service, note, consent, consent_withdrawn, share, unshare
    day: datetime.date | None
    at: datetime.datetime
    title: str
    detail: str = ""
    obj: Any = None


def timeline_day(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    """The local day of a timeline item's moment."""
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


_day = timeline_day


def case_timeline(
    *, actor: Actor, case: Case, visibility: Visibility | None = None
) -> list[TimelineItem]:
    """Events, services, notes, consent changes and shares of a case, newest first, limited to
    what the actor may see."""
    vis = visibility or case_visibility(actor=actor, case=case)
    items: list[TimelineItem] = []
    if vis.case_history:
        events = policy.scope(actor, case.events.all(), Action.VIEW).select_related(
            "district__state", "state"
        )
        for e in events:
            place = ", ".join(str(p) for p in (e.place, e.district or e.state) if p)
            items.append(
                TimelineItem(
                    "event",
                    e.occurred_on or _day(e.created_at),
                    e.created_at,
                    e.get_kind_display(),
                    place,
                    e,
                )
            )
    if vis.services:
        services = policy.scope(actor, case.services.all(), Action.VIEW).select_related(
            "provider_org"
        )
        for s in services:
            if not vis.allows_service(s.service_type):
                continue
            provider = s.provider_org or s.provider_name
            items.append(
                TimelineItem(
                    "service",
                    s.started_on or _day(s.created_at),
                    s.created_at,
                    s.get_service_type_display(),
                    " · ".join(str(p) for p in (s.get_status_display(), provider) if p),
                    s,
                )
            )
    notes = policy.scope(actor, case.notes.all(), Action.VIEW).select_related("author")
    for n in notes:
        if vis.allows_note(n.topic):
            items.append(
                TimelineItem("note", _day(n.created_at), n.created_at, _("Note"), n.body, n)
            )
    # Consents given and withdrawn, shares started and stopped: the consent app's lines.
    people = CasePerson.objects.filter(case=case).values("person_id")
    items.extend(hooks.case_timeline_items(actor, case, people, vis.identity))
    epoch = datetime.date.min
    items.sort(key=lambda i: (i.day or epoch, i.at), reverse=True)
    return items


@dataclass
class Participant:
    """A person in a case, with their name only where the actor may see it."""

    link: CasePerson
    name: str
    can_open: bool


@dataclass
class CaseDetail:
    """Everything on a case's page, limited to what the actor may see."""

    case: Case
    visibility: Visibility
    participants: list[Participant] = field(default_factory=list)
    exploitations: list[CaseExploitation] = field(default_factory=list)
    control_means: list[CaseControlMeans] = field(default_factory=list)
    shares: list[CaseShare] = field(default_factory=list)  # from registry.hooks
    timeline: list[TimelineItem] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


def case_participant_list(
    *, actor: Actor, case: Case, visibility: Visibility | None = None
) -> list[Participant]:
    """Persons in a case with their role; each name only where what the shares carry of that
    person (``policy.case_person_scopes``: her own consent, docs/sharing.md) covers identity."""
    links = policy.scope(actor, case.participants.all(), Action.VIEW).select_related("person")
    per_person = policy.case_person_scopes(actor, case)
    hidden = _("(identity not shared)")
    found = []
    for link in links.order_by("role", "created_at"):
        scopes = per_person.get(link.person_id, frozenset())
        name = link.person.display_name if "identity" in scopes else hidden
        found.append(Participant(link, name, "identity" in scopes))
    return found


def case_exploitation_forms(*, actor: Actor, case: Case) -> list[str]:
    """Codes of the case's forms of exploitation."""
    qs = policy.scope(actor, case.exploitations.all(), Action.VIEW)
    return sorted(qs.values_list("form", flat=True))


def case_control_means(*, actor: Actor, case: Case) -> list[str]:
    """Codes of the means of control used in the case."""
    qs = policy.scope(actor, case.control_means.all(), Action.VIEW)
    return sorted(qs.values_list("means", flat=True))


def case_detail(*, actor: Actor, case_id: Any) -> CaseDetail:
    """A case with its participants, exploitation, means of control, shares and timeline;
    audited as a view."""
    case = case_get(actor=actor, case_id=case_id)
    vis = case_visibility(actor=actor, case=case)
    detail = CaseDetail(case=case, visibility=vis)
    detail.participants = case_participant_list(actor=actor, case=case, visibility=vis)
    if vis.case_history:
        detail.exploitations = list(
            policy.scope(actor, case.exploitations.all(), Action.VIEW).order_by("form")
        )
        detail.control_means = list(
            policy.scope(actor, case.control_means.all(), Action.VIEW).order_by("means")
        )
    detail.shares = hooks.case_shares(actor, case)
    detail.timeline = case_timeline(actor=actor, case=case, visibility=vis)
    if vis.case_history:
        detail.attachments = list(attachment_list(actor=actor, case=case))
    return detail


def case_person_options(*, actor: Actor, case: Case, query: str) -> QuerySet[Person]:
    """Persons of the case's organisation matching ``query``, to add to the case (audited search)."""
    return person_search(actor=actor, query=query).filter(owner_org_id=case.owner_org_id)


def event_get(*, actor: Actor, event_id: Any) -> TraffickingEvent:
    """An event of a case the actor may see."""
    pk = _uuid(event_id)
    qs = policy.scope(actor, TraffickingEvent.objects.select_related("case"), Action.VIEW)
    event = qs.filter(pk=pk).first() if pk else None
    if event is None:
        raise _not_found(TraffickingEvent, event_id)
    return event


def service_get(*, actor: Actor, service_id: Any) -> ServiceRecord:
    """A service record of a case the actor may see."""
    pk = _uuid(service_id)
    qs = policy.scope(actor, ServiceRecord.objects.select_related("case"), Action.VIEW)
    service = qs.filter(pk=pk).first() if pk else None
    if service is None:
        raise _not_found(ServiceRecord, service_id)
    return service


# --- reference data ----------------------------------------------------------------------------


def share_recipient_list(*, actor: Actor, case: Case) -> QuerySet[Organisation]:
    """Organisations a case could be shared with (every active member but its owner)."""
    from setu.orgs import selectors as orgs

    return orgs.organisation_list(actor=actor).exclude(pk=case.owner_org_id)


def case_survivor_list(*, actor: Actor, case: Case) -> list[Person]:
    """Survivors (victims, missing persons) of a case whose records the actor may see."""
    qs = policy.scope(actor, Person.objects.all(), Action.VIEW)
    return list(qs.filter(case_links__case=case, case_links__role__in=CONSENTING_ROLES))


def case_survivor_ids(*, case_id: Any) -> QuerySet[Any]:
    """Ids of the survivors (victims, missing persons) of a case, as a subquery; no actor: for
    the consent app's system reads, which apply the consent rule themselves."""
    return CasePerson.objects.filter(case_id=case_id, role__in=CONSENTING_ROLES).values("person_id")


def case_has_person(*, case: Case, person: Person) -> bool:
    """Whether the person takes part in the case (for services of other apps checking input)."""
    return CasePerson.objects.filter(case=case, person=person).exists()


# What the audit trail needs to name cases and persons (registered in apps.py).


def audit_case_labels(actor: Actor, ids: set[str]) -> dict[str, str]:
    """References of the visible cases among ``ids``."""
    return case_references(actor=actor, ids=ids)


def audit_person_labels(actor: Actor, ids: set[str]) -> dict[str, str]:
    """Names of the persons among ``ids`` whose identity the actor may see."""
    return person_names(actor=actor, ids=ids)


def audit_case_finder(actor: Actor, reference: str) -> list[Any]:
    """Ids of (at most two of) the visible cases matching ``reference``."""
    return list(case_search(actor=actor, query=reference).values_list("pk", flat=True)[:2])


def person_draft(data: Mapping[str, Any]) -> dict[str, Any]:
    """What a new-person form being filled in says so far (partial input is normal while
    typing: the fields that parsed), for the matching app's check-before-create panel."""
    from setu.registry.forms import PersonForm

    form = PersonForm(data)
    form.is_valid()
    return dict(getattr(form, "cleaned_data", {}))


def own_open_case_survivors(
    *, actor: Actor, case_id: Any = None, exclude_person_ids: Any = (), limit: int = 300
) -> list[tuple[Case, Person]]:
    """(case, survivor) of the actor's own organisation's open cases the actor may edit, newest
    cases first, leaving out ``exclude_person_ids`` (ids or a subquery); only ``case_id``'s
    when given (NotFound when the actor may not edit it)."""
    cases = policy.scope(
        actor,
        Case.objects.filter(
            owner_org_id=actor.organisation_id,
            archived_at__isnull=True,
            status__in=[CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP],
        ),
        Action.EDIT,
    )
    if case_id is not None:
        cases = cases.filter(pk=case_id)
        if not cases.exists():
            raise NotFound(action=Action.EDIT, target=("registry.case", str(case_id), None))
    links = (
        CasePerson.objects.filter(case__in=cases, role__in=CONSENTING_ROLES)
        .exclude(person_id__in=exclude_person_ids)
        .select_related("case", "person")
        .order_by("-case__opened_on", "case__reference", "person__created_at")[:limit]
    )
    return [(link.case, link.person) for link in links]


# Counts without names, for the insights app (which suppresses small cells).


def countable_cases(*, actor: Actor) -> QuerySet[Case]:
    """Cases the actor may count (policy: own organisation's, others' with statistics consent)."""
    return policy.scope(
        actor, Case.objects.filter(archived_at__isnull=True), Action.VIEW_AGGREGATES
    )


@dataclass
class CaseStatistics:
    """Raw counts over the cases an actor may count, labelled for display; nothing suppressed
    (the caller suppresses small cells). Places are state names, "" when not recorded."""

    total: int
    open: int
    by_status: list[tuple[str, int]]
    by_form: list[tuple[str, int]]
    by_event: list[tuple[str, int]]
    rescues_by_state: list[tuple[str, int]]
    recruitment_by_state: list[tuple[str, int]]
    by_gender: list[tuple[str, int]]
    by_year: list[tuple[str, int]]
    children: int
    adults: int
    unknown_age: int
    # Which rows of ``by_event``/``by_status`` the other tables add up: secondary suppression.
    rescue_event_labels: list[str]
    recruitment_event_label: str
    open_status_labels: list[str]


@policy.system_read
def case_statistics(*, actor: Actor) -> CaseStatistics:
    """Counts by status, exploitation, events, places, gender, age group and year."""
    cases = countable_cases(actor=actor)
    case_ids = cases.values("pk")
    labels_status = dict(CaseStatus.choices)
    by_status = [
        (str(labels_status.get(row["status"], row["status"])), row["n"])
        for row in cases.values("status").annotate(n=Count("pk")).order_by("-n")
    ]
    labels_form = dict(ExploitationForm.choices)
    by_form = [
        (str(labels_form.get(row["form"], row["form"])), row["n"])
        for row in CaseExploitation.objects.filter(case_id__in=case_ids)
        .values("form")
        .annotate(n=Count("case_id", distinct=True))
        .order_by("-n")
    ]
    events = TraffickingEvent.objects.filter(case_id__in=case_ids)
    labels_event = dict(EventKind.choices)
    by_event = [
        (str(labels_event.get(row["kind"], row["kind"])), row["n"])
        for row in events.values("kind").annotate(n=Count("pk")).order_by("-n")
    ]
    rescue_kinds = [EventKind.RESCUE, EventKind.INTERCEPTION]

    def by_state(qs: QuerySet[Any]) -> list[tuple[str, int]]:
        rows = qs.values("state__name").annotate(n=Count("pk")).order_by("-n")
        return [(row["state__name"] or "", row["n"]) for row in rows]

    survivors = CasePerson.objects.filter(case_id__in=case_ids, role=CaseRole.VICTIM)
    labels_gender = dict(Gender.choices)
    by_gender = [
        (str(labels_gender.get(row["person__gender"], row["person__gender"])), row["n"])
        for row in survivors.values("person__gender")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n")
    ]

    def people(qs: QuerySet[Any]) -> int:
        return qs.values("person_id").distinct().count()

    by_year = [
        (str(row["year"]), row["n"])
        for row in cases.annotate(year=ExtractYear("opened_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    ]
    open_statuses = [CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP]
    return CaseStatistics(
        total=cases.count(),
        open=cases.filter(status__in=open_statuses).count(),
        by_status=by_status,
        by_form=by_form,
        by_event=by_event,
        rescues_by_state=by_state(events.filter(kind__in=rescue_kinds)),
        recruitment_by_state=by_state(events.filter(kind=EventKind.RECRUITMENT)),
        by_gender=by_gender,
        by_year=by_year,
        children=people(survivors.filter(age_when_trafficked__lt=18)),
        adults=people(survivors.filter(age_when_trafficked__gte=18)),
        unknown_age=people(survivors.filter(age_when_trafficked__isnull=True)),
        rescue_event_labels=[str(labels_event.get(k, k)) for k in rescue_kinds],
        recruitment_event_label=str(labels_event.get(EventKind.RECRUITMENT)),
        open_status_labels=[str(labels_status.get(s, s)) for s in open_statuses],
    )


def case_get_in_scope(*, actor: Actor, case_id: Any, action: Action) -> Case:
    """A case within the actor's scope for ``action`` (e.g. SHARE); NotFound otherwise. Not
    audited as a view: the caller's write (a referral) is."""
    pk = _uuid(case_id)
    case = policy.scope(actor, Case.objects.all(), action).filter(pk=pk).first() if pk else None
    if case is None:
        raise NotFound(action=action, target=("registry.case", str(case_id), None))
    return case


def case_person_list(*, actor: Actor, case_id: Any) -> QuerySet[Person]:
    """Persons of a case whose records the actor may see."""
    person_ids = CasePerson.objects.filter(case_id=case_id).values("person_id")
    return policy.scope(actor, Person.objects.filter(pk__in=person_ids), Action.VIEW)


# What a receiving organisation is shown of a person, scope by scope (the referrals app's
# shared view). No actor: the caller checked the consent behind the referral, at this read.
# The reads of child rows are system reads: row-level security admits a referral's person and
# case rows to the receiving organisation but not their children (phones, aliases, events,
# services), so these read them across the line and hand back only the scope's fields
# (docs/row-level-security.md, "System reads").

# Services whose very existence is health information go with the HEALTH scope only.
HEALTH_SERVICE_TYPES = (ServiceType.HEALTH, ServiceType.COUNSELLING)


@policy.system_read
def shared_identity(*, person: Person) -> dict[str, Any]:
    """Names, gender, age, nationality and language codes (IDENTITY scope)."""
    return {
        "name": person.display_name,
        "name_native": person.name_native,
        # Opened on each alias's instance: values_list would give the ciphertext.
        "aliases": [a.name for a in person.aliases.all()],
        "gender": person.get_gender_display(),
        "age": person.age_on(),
        "nationality": person.nationality,
        "languages": list(person.languages or []),
    }


@policy.system_read
def shared_contact(*, person_id: Any) -> dict[str, Any]:
    """Phones and addresses (CONTACT scope)."""
    phones = Phone.objects.filter(person_id=person_id)
    addresses = Address.objects.filter(person_id=person_id).select_related("district", "state")
    return {
        "phones": [{"number": p.number, "kind": p.get_kind_display()} for p in phones],
        "addresses": [
            {
                "kind": a.get_kind_display(),
                "line": a.line,
                "village": a.village,
                "district": str(a.district.name) if a.district else "",
                "state": str(a.state.name) if a.state else "",
                "pincode": a.pincode,
            }
            for a in addresses
        ],
    }


def _of_case_and_person(qs: QuerySet[Any], case_id: Any, person_id: Any) -> QuerySet[Any]:
    """Rows of the case about the whole case or about this person."""
    return qs.filter(case_id=case_id).filter(Q(person__isnull=True) | Q(person_id=person_id))


@policy.system_read
def shared_case_events(*, case_id: Any, person_id: Any) -> list[dict[str, Any]]:
    """Trafficking events of the case concerning the person (CASE_HISTORY scope)."""
    events = _of_case_and_person(TraffickingEvent.objects.all(), case_id, person_id)
    return [
        {
            "kind": e.get_kind_display(),
            "occurred_on": e.occurred_on,
            "place": e.place,
            "district": e.district.name if e.district else "",
            "state": e.state.name if e.state else "",
            "description": e.description,
        }
        for e in events.select_related("district", "state")
    ]


@policy.system_read
def shared_case_services(*, case_id: Any, person_id: Any, health: bool) -> list[dict[str, Any]]:
    """Services of the case for the person: health and counselling ones (HEALTH scope) or the
    others (SERVICES scope)."""
    records = _of_case_and_person(ServiceRecord.objects.all(), case_id, person_id)
    if health:
        records = records.filter(service_type__in=HEALTH_SERVICE_TYPES)
    else:
        records = records.exclude(service_type__in=HEALTH_SERVICE_TYPES)
    return [
        {
            "service": s.get_service_type_display(),
            "status": s.get_status_display(),
            "provider": s.provider_org.name if s.provider_org else s.provider_name,
            "started_on": s.started_on,
            "ended_on": s.ended_on,
        }
        for s in records.select_related("provider_org")
    ]


def shared_legal(*, case: Case) -> dict[str, Any]:
    """Identification and police case details (LEGAL scope)."""
    return {
        "identification": case.get_trafficking_status_display(),
        "fir_number": case.fir_number,
        "police_station": case.police_station,
        "sections_charged": case.sections_charged,
    }


# System reads for the matching app's index and alerts. No actor: they feed the match index
# and its tasks, never a user's screen (what a user sees goes through the selectors above).


def persons_for_matching() -> QuerySet[Person]:
    """Persons with names, phones and places prefetched, in a fixed number of queries."""
    return Person.objects.prefetch_related(
        "aliases",
        "phones",
        Prefetch("addresses", queryset=Address.objects.select_related("district", "state")),
    )


def active_persons() -> QuerySet[Person]:
    """Persons not archived."""
    return Person.objects.filter(archived_at__isnull=True)


@policy.system_read
def person_for_system(*, person_id: Any) -> Person:
    """One person by id (DoesNotExist when gone)."""
    return Person.objects.get(pk=person_id)


def unsaved_person(**fields: Any) -> Person:
    """A person not saved: to compute age and dates of birth on a form's draft input."""
    return Person(**fields)


@policy.system_read
def person_case_links(*, person_ids: Iterable[Any]) -> list[tuple[Any, Any]]:
    """(person id, case id) for every case these persons take part in."""
    qs = CasePerson.objects.filter(person_id__in=list(person_ids))
    return list(qs.values_list("person_id", "case_id"))


@policy.system_read
def person_event_rows(*, person_ids: Iterable[Any], case_ids: Iterable[Any]) -> list[tuple]:
    """Events about these persons, or about the whole of these cases, as (person id, case id,
    kind, occurred on, created at, case status)."""
    events = TraffickingEvent.objects.filter(
        Q(person_id__in=list(person_ids)) | Q(case_id__in=list(case_ids), person__isnull=True)
    )
    return list(
        events.values_list(
            "person_id", "case_id", "kind", "occurred_on", "created_at", "case__status"
        )
    )


@policy.system_read
def event_for_system(*, event_id: Any) -> TraffickingEvent | None:
    """One event with its case, or None."""
    return TraffickingEvent.objects.select_related("case").filter(pk=event_id).first()


@policy.system_read
def event_person_ids(*, event: TraffickingEvent) -> list[Any]:
    """The person an event is about, or (case-level event) the case's survivors and missing."""
    if event.person_id:
        return [event.person_id]
    return list(
        CasePerson.objects.filter(case_id=event.case_id, role__in=CONSENTING_ROLES)
        .values_list("person_id", flat=True)
        .distinct()
    )


def events_of_kinds(*, kinds: Iterable[str], since: Any = None) -> QuerySet[TraffickingEvent]:
    """Events of these kinds (created since ``since``) with their cases, oldest first."""
    events = TraffickingEvent.objects.filter(kind__in=list(kinds))
    if since is not None:
        events = events.filter(created_at__gte=since)
    return events.select_related("case").order_by("occurred_on", "created_at")


@policy.system_read
def earlier_event_owner(
    *, person_id: Any, kinds: Iterable[str], before: TraffickingEvent
) -> Any | None:
    """The organisation owning a case with an event of ``kinds`` about the person (or the whole
    case they take part in) on or before ``before``, in another case; None if there is none."""
    when = before.occurred_on or before.created_at.date()
    history = (
        TraffickingEvent.objects.filter(kind__in=list(kinds))
        .filter(
            Q(person_id=person_id) | Q(person__isnull=True, case__participants__person_id=person_id)
        )
        .exclude(case_id=before.case_id)
        .exclude(pk=before.pk)
        .filter(Q(occurred_on__lte=when) | Q(occurred_on__isnull=True))
    )
    return history.values_list("case__owner_org_id", flat=True).first()


@dataclasses.dataclass(frozen=True)
class HistoryRow:
    """One earlier event or service of a person, in words (no case, no organisation)."""

    kind: str  # "event" or "service"
    label: str
    on: datetime.date | None
    district: str = ""
    state: str = ""
    open: bool = False


@policy.system_read
def person_minimal_history(*, person_id: Any, event_kinds: Iterable[str]) -> list[HistoryRow]:
    """A person's events of ``event_kinds`` (a missing report: open while its case is) and
    services, about them or their whole cases; the caller checks and audits the view."""
    case_ids = CasePerson.objects.filter(person_id=person_id).values("case_id")
    about = Q(person_id=person_id) | Q(person__isnull=True, case_id__in=case_ids)
    events = (
        TraffickingEvent.objects.filter(about)
        .filter(kind__in=list(event_kinds))
        .select_related("district", "state", "case")
        .order_by("occurred_on", "created_at")
    )
    closed = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)
    out = [
        HistoryRow(
            "event",
            e.get_kind_display(),
            e.occurred_on,
            e.district.name if e.district else "",
            e.state.name if e.state else "",
            open=e.kind == EventKind.MISSING_REPORTED and e.case.status not in closed,
        )
        for e in events
    ]
    for s in ServiceRecord.objects.filter(about).order_by("started_on"):
        out.append(HistoryRow("service", s.get_service_type_display(), s.started_on))
    return out


# Actor reads for the matching app's pages.


def person_visible_list(
    *, actor: Actor, ids: Iterable[Any], active_only: bool = False
) -> QuerySet[Person]:
    """Those persons whose records the actor may see (not archived ones, if ``active_only``)."""
    qs = Person.objects.filter(pk__in=list(ids))
    if active_only:
        qs = qs.filter(archived_at__isnull=True)
    return policy.scope(actor, qs, Action.VIEW)


def person_in_scope(*, actor: Actor, person_id: Any, action: Action) -> Person | None:
    """The person if within the actor's scope for ``action``; None otherwise (not audited)."""
    return policy.scope(actor, Person.objects.filter(pk=person_id), action).first()


def person_case_references(
    *, actor: Actor, person_ids: Iterable[Any]
) -> list[tuple[Any, Any, str]]:
    """(person id, case id, case reference) of the cases the actor may see that these persons
    take part in, by reference."""
    links = (
        CasePerson.objects.filter(person_id__in=list(person_ids), case__in=case_list(actor=actor))
        .select_related("case")
        .order_by("case__reference")
    )
    return [(link.person_id, link.case_id, link.case.reference) for link in links]


def case_person_ids(*, cases: QuerySet[Case]) -> list[Any]:
    """Ids of the persons taking part in these cases."""
    return list(CasePerson.objects.filter(case__in=cases).values_list("person_id", flat=True))


# --- attachments (photos and documents) ---------------------------------------------------------


def attachment_list(
    *, actor: Actor, person: Person | None = None, case: Case | None = None
) -> QuerySet[Attachment]:
    """Photos and documents of one person or case that the actor may see (for a partner: the
    person's where her identity is shared, the case's where its history is), newest first."""
    qs = policy.scope(actor, Attachment.objects.all(), Action.VIEW)
    if person is not None:
        qs = qs.filter(person=person)
    elif case is not None:
        qs = qs.filter(case=case)
    else:
        return qs.none()
    return qs.select_related("uploaded_by").order_by("-created_at", "id")


def attachment_get(
    *, actor: Actor, attachment_id: Any, for_action: Action = Action.VIEW
) -> Attachment:
    """One attachment the actor may see (and ``for_action``, e.g. EDIT, else Forbidden).
    Raises NotFound when it is not visible."""
    pk = _uuid(attachment_id)
    qs = policy.scope(actor, Attachment.objects.select_related("person", "case"), Action.VIEW)
    attachment = qs.filter(pk=pk).first() if pk else None
    if attachment is None:
        raise _not_found(Attachment, attachment_id)
    if for_action != Action.VIEW:
        policy.require(actor, for_action, attachment)
    return attachment


def attachment_open(*, actor: Actor, attachment_id: Any) -> tuple[Attachment, IO[bytes]]:
    """An attachment and its file, opened for reading; the download is audited. A file that is
    gone (removed outside Setu) is NotFound, and audited as such."""
    attachment = attachment_get(actor=actor, attachment_id=attachment_id)
    try:
        handle = uploads.open_stored(attachment.stored_name)
    except FileNotFoundError:
        audit.record(
            actor=actor,
            action=AuditAction.VIEW,
            target=attachment,
            outcome=Outcome.FAILED,
            details={"what": "attachment_file", "missing": True},
        )
        raise _not_found(Attachment, attachment_id) from None
    audit.record(
        actor=actor, action=AuditAction.VIEW, target=attachment, details={"what": "attachment_file"}
    )
    return attachment, handle


def attachments_for_backup() -> QuerySet[Attachment]:
    """System read for ``setu backup``: every attachment's stored name, size and checksum."""
    return Attachment.objects.order_by("stored_name")
