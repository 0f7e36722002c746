"""Build the demo network in memory, then write it in one transaction with bulk inserts.

``plan_network`` is deterministic for a seed and uses no database: it turns the synthetic
population of ``setu.synth`` into organisations, accounts, persons, cases, events, consent and
shares. ``load_network`` saves a plan. Every UUID comes from a seeded stream, so the ground
truth (which records are the same human being) can be regenerated at any time with
``setu demo truth`` and is never stored in the database.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import random
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from setu.accounts.models import User
from setu.audit import services as audit
from setu.audit.models import AuditAction
from setu.consent.models import CaseShare, Consent, ConsentGiver, ConsentScope
from setu.demo import network
from setu.demo.network import ORGANISATIONS, OrgSpec
from setu.orgs.models import Membership, Organisation, OrganisationType, Role
from setu.registry.models import (
    Address,
    AddressKind,
    AliasKind,
    Case,
    CaseControlMeans,
    CaseExploitation,
    CaseNote,
    CasePerson,
    CaseRole,
    CaseStatus,
    DatePrecision,
    DocumentType,
    EventKind,
    ExploitationForm,
    Gender,
    IdentityDocument,
    MeansOfControl,
    NoteTopic,
    PerpetratorRole,
    Person,
    PersonAlias,
    PersonNameToken,
    Phone,
    PhoneKind,
    RelationshipToTrafficker,
    ServiceRecord,
    ServiceStatus,
    ServiceType,
    TraffickingEvent,
    TraffickingStatus,
)
from setu.registry.text import name_tokens
from setu.synth import Person as TruePerson
from setu.synth import generate_population
from setu.synth.geo import DESTINATIONS, load_geography
from setu.synth.names import COMMUNITIES

DEFAULT_PERSONS = 2000
DEFAULT_SEED = 2026

_SCRIPTS = {
    "Deva": "devanagari",
    "Beng": "bengali",
    "Orya": "odia",
    "Telu": "telugu",
    "Taml": "tamil",
    "Knda": "kannada",
    "Gujr": "gujarati",
    "Guru": "gurmukhi",
}
_LANGUAGES = {
    19: ["bn"],
    18: ["as"],
    20: ["hi"],
    10: ["hi"],
    21: ["or"],
    9: ["hi"],
    22: ["hi"],
    27: ["mr"],
    36: ["te"],
    28: ["te"],
    29: ["kn"],
    7: ["hi"],
    6: ["hi"],
    24: ["gu"],
    33: ["ta"],
}
# Where people from each source state board the train out: (station, LGD district code).
_STATIONS = {
    19: ("Howrah Junction", 313),
    18: ("Guwahati railway station", 618),
    20: ("Ranchi Junction", 339),
    10: ("Patna Junction", 212),
    21: ("Berhampur railway station", 354),
    9: ("Lucknow Charbagh", 162),
    22: ("Raipur Junction", 387),
    27: ("Pune Junction", 490),
    36: ("Secunderabad Junction", 507),
    28: ("Vijayawada Junction", 749),
    29: ("KSR Bengaluru City", 525),
    7: ("New Delhi railway station", 79),
    6: ("Gurugram railway station", 62),
    24: ("Surat railway station", 459),
    33: ("Chennai Central", 568),
}
_ARRIVAL = {
    "Mumbai": "Lokmanya Tilak Terminus",
    "Pune": "Pune Junction",
    "Thane": "Kalyan Junction",
    "Delhi": "Hazrat Nizamuddin",
    "Gurugram": "Gurugram railway station",
    "Kolkata": "Sealdah",
    "Hyderabad": "Secunderabad Junction",
    "Bengaluru": "KSR Bengaluru City",
    "Surat": "Surat railway station",
    "Chennai": "Chennai Central",
}
# Localities where each form of exploitation is found in each destination city.
_SEX_WORK = {
    "Mumbai": "Kamathipura",
    "Pune": "Budhwar Peth",
    "Thane": "Bhiwandi",
    "Delhi": "GB Road",
    "Gurugram": "Sector 29",
    "Kolkata": "Sonagachi",
    "Hyderabad": "Old City",
    "Bengaluru": "Majestic",
    "Surat": "Varachha",
    "Chennai": "Koyambedu",
}
_LABOUR = {
    "Mumbai": "Dharavi (zari units)",
    "Pune": "Hadapsar (construction)",
    "Thane": "Bhiwandi (power looms)",
    "Delhi": "Shahpur Jat (embroidery units)",
    "Gurugram": "Manesar (factories)",
    "Kolkata": "Metiabruz (tailoring units)",
    "Hyderabad": "Old City (bangle units)",
    "Bengaluru": "Peenya (garment units)",
    "Surat": "Pandesara (textile units)",
    "Chennai": "Ambattur (factories)",
}
_DOMESTIC = {
    "Mumbai": "Andheri West",
    "Pune": "Koregaon Park",
    "Thane": "Ghodbunder Road",
    "Delhi": "Shakurpur (placement agency)",
    "Gurugram": "DLF Phase 3",
    "Kolkata": "Salt Lake",
    "Hyderabad": "Banjara Hills",
    "Bengaluru": "Whitefield",
    "Surat": "Adajan",
    "Chennai": "Anna Nagar",
}
_CONTROL = {
    ExploitationForm.SEXUAL_EXPLOITATION: [
        MeansOfControl.FALSE_PROMISES,
        MeansOfControl.DEBT_BONDAGE,
        MeansOfControl.PHYSICAL_ABUSE,
        MeansOfControl.RESTRICTS_MOVEMENT,
        MeansOfControl.TAKES_EARNINGS,
        MeansOfControl.PSYCHOACTIVE_SUBSTANCE,
        MeansOfControl.THREATENS_FAMILY,
    ],
    ExploitationForm.DOMESTIC_SERVITUDE: [
        MeansOfControl.FALSE_PROMISES,
        MeansOfControl.WITHHOLDS_DOCUMENTS,
        MeansOfControl.RESTRICTS_MOVEMENT,
        MeansOfControl.EXCESSIVE_HOURS,
        MeansOfControl.TAKES_EARNINGS,
        MeansOfControl.PSYCHOLOGICAL_ABUSE,
    ],
    ExploitationForm.CHILD_LABOUR: [
        MeansOfControl.EXCESSIVE_HOURS,
        MeansOfControl.WITHHOLDS_NECESSITIES,
        MeansOfControl.RESTRICTS_MOVEMENT,
        MeansOfControl.PHYSICAL_ABUSE,
        MeansOfControl.TAKES_EARNINGS,
    ],
    ExploitationForm.BONDED_LABOUR: [
        MeansOfControl.DEBT_BONDAGE,
        MeansOfControl.EXCESSIVE_HOURS,
        MeansOfControl.WITHHOLDS_DOCUMENTS,
        MeansOfControl.PHYSICAL_THREATS,
        MeansOfControl.RESTRICTS_FINANCIAL_ACCESS,
    ],
    ExploitationForm.FORCED_LABOUR: [
        MeansOfControl.FALSE_PROMISES,
        MeansOfControl.TAKES_EARNINGS,
        MeansOfControl.EXCESSIVE_HOURS,
        MeansOfControl.WITHHOLDS_DOCUMENTS,
    ],
    ExploitationForm.FORCED_MARRIAGE: [
        MeansOfControl.FALSE_PROMISES,
        MeansOfControl.RESTRICTS_MOVEMENT,
        MeansOfControl.SEXUAL_ABUSE,
        MeansOfControl.PHYSICAL_ABUSE,
    ],
    ExploitationForm.FORCED_BEGGING: [
        MeansOfControl.PHYSICAL_ABUSE,
        MeansOfControl.TAKES_EARNINGS,
        MeansOfControl.WITHHOLDS_NECESSITIES,
    ],
    ExploitationForm.FORCED_CRIMINALITY: [
        MeansOfControl.PHYSICAL_THREATS,
        MeansOfControl.PSYCHOACTIVE_SUBSTANCE,
        MeansOfControl.THREATS_LAW_ENFORCEMENT,
    ],
}
_ISIC = {
    ExploitationForm.SEXUAL_EXPLOITATION: "",
    ExploitationForm.DOMESTIC_SERVITUDE: "T",
    ExploitationForm.CHILD_LABOUR: "C",
    ExploitationForm.BONDED_LABOUR: "F",
    ExploitationForm.FORCED_LABOUR: "C",
    ExploitationForm.FORCED_MARRIAGE: "",
    ExploitationForm.FORCED_BEGGING: "",
    ExploitationForm.FORCED_CRIMINALITY: "",
}
_RECRUITMENT_STORY = {
    ExploitationForm.SEXUAL_EXPLOITATION: "Promised a job in a beauty parlour by a woman known in the village.",
    ExploitationForm.DOMESTIC_SERVITUDE: "Placement agent promised housework with good pay and an advance to the family.",
    ExploitationForm.CHILD_LABOUR: "Agent paid the parents an advance and promised schooling with work.",
    ExploitationForm.BONDED_LABOUR: "Contractor (sardar) paid an advance against work; the debt kept growing.",
    ExploitationForm.FORCED_LABOUR: "Offered factory work in the city by a labour contractor.",
    ExploitationForm.FORCED_MARRIAGE: "Marriage arranged through a broker; the groom's family paid the broker.",
    ExploitationForm.FORCED_BEGGING: "Taken to the city by a relative who promised work.",
    ExploitationForm.FORCED_CRIMINALITY: "Recruited by a friend for delivery work in the city.",
}
_NOTES = {
    "missing_report": [
        "Family came to the office with a photograph; GD entry made at the local police station.",
        "Home visit done. Mother says a neighbour's relative took her for work in the city.",
        "Shared the photograph with the partner network's destination organisations.",
        "Father received one call from an unknown number; number passed to the police.",
        "Follow-up with the police: no progress on tracing yet.",
    ],
    "rescued": [
        "Produced before the CWC; interim order for shelter placement.",
        "Statement recorded before the magistrate (s. 183 BNSS).",
        "Medical examination done at the government hospital.",
        "Home investigation report requested from the source-area partner.",
        "Age verification pending; school certificate requested from the family.",
        "Counselling started; sleeping poorly, asks about her mother.",
        "Family contacted by phone; identity confirmed by video call.",
    ],
    "survivor": [
        "Follow-up visit at home; enrolled in a tailoring course.",
        "Victim compensation application filed with the DLSA.",
        "Re-admitted to school; fees paid from the sponsorship fund.",
        "Recruiter seen in the village again; survivor advised and police informed.",
        "Attends the survivors' group meeting every month.",
        "Bank account opened for the compensation payment.",
        "Linked to the state widow/old-age pension scheme for the mother.",
    ],
}
_PERP_NICKNAMES = ("Dada", "Bhaiya", "Mausi", "Aunty", "Sardar", "Seth", "Babu", "Chacha")


_HEALTH_WORDS = ("medical", "hospital", "sleeping", "counselling")
_LEGAL_WORDS = ("magistrate", "dlsa", "compensation", "bnss", "witness", "prosecution")


def _note_topic(body: str) -> str:
    """Health and legal notes need the matching consent scope before a partner may read them."""
    lowered = body.lower()
    if any(w in lowered for w in _HEALTH_WORDS):
        return NoteTopic.HEALTH
    if any(w in lowered for w in _LEGAL_WORDS):
        return NoteTopic.LEGAL
    return NoteTopic.GENERAL


def _fill_name_tokens(plan: Plan) -> None:
    """The persons' name tokens, as the registry services keep them (bulk inserts bypass the
    services); saved after the persons."""
    aliases: dict[uuid.UUID, list[str]] = defaultdict(list)
    for alias in plan.rows.get(PersonAlias, []):
        aliases[alias.person_id].append(alias.name)
    tokens = plan.rows[PersonNameToken]
    for person in plan.rows.get(Person, []):
        names = [person.given_name, person.family_name, person.name_native]
        for digest, whole in sorted(name_tokens(names + aliases.get(person.id, [])).items()):
            tokens.append(PersonNameToken(person_id=person.id, digest=digest, whole=whole))


def _sections(form: str, on: date, minor: bool) -> str:
    """Sections a charge sheet would cite; the BNS replaced the IPC on 1 July 2024."""
    trafficking = "BNS 143, 144" if on >= date(2024, 7, 1) else "IPC 370, 370A"
    extra = {
        ExploitationForm.SEXUAL_EXPLOITATION: "ITPA 3, 4, 5",
        ExploitationForm.BONDED_LABOUR: "Bonded Labour System (Abolition) Act 16, 17",
        ExploitationForm.CHILD_LABOUR: "JJ Act 79; Child and Adolescent Labour Act 14",
        ExploitationForm.FORCED_MARRIAGE: "PCMA 9, 10" if minor else "",
        ExploitationForm.DOMESTIC_SERVITUDE: "JJ Act 79" if minor else "",
    }.get(form, "")
    pocso = "; POCSO 4, 6" if minor and form == ExploitationForm.SEXUAL_EXPLOITATION else ""
    return "; ".join(p for p in (trafficking, extra) if p) + pocso


def _years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _normalise_phone(raw: str) -> str:
    """``+91`` and ten digits, the registry's stored form (typos in the digits are kept)."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) == 12 and digits.startswith("91"):
        digits = digits[2:]
    elif len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    return "+91" + digits[-10:] if len(digits) >= 10 else ""


@dataclass
class Plan:
    """Unsaved rows of the demo network, in save order, plus the ground truth kept aside."""

    rows: dict[type[models.Model], list[models.Model]] = field(
        default_factory=lambda: defaultdict(list)
    )
    # (person uuid, record id, true person id, organisation slug); never written to the database.
    truth: list[tuple[str, str, str, str]] = field(default_factory=list)
    seed: int = DEFAULT_SEED
    persons: int = DEFAULT_PERSONS

    def counts(self) -> dict[str, int]:
        """Rows per model (by model name), for the summary and the audit entry."""
        out: dict[str, int] = {}
        for model, rows in self.rows.items():
            if model._meta.auto_created:
                continue
            out[model._meta.model_name] = len(rows)
        return out

    def story_line_person_ids(self) -> list[str]:
        """The persons of the hand-written story-lines (``scenarios``) that the ground truth
        follows: the records their matching stories are about."""
        return [pid for pid, record_id, _t, _o in self.truth if record_id.startswith("scenario:")]


class Builder:
    """Adds rows to a plan with deterministic ids; the scenarios and the synthetic data share it."""

    def __init__(self, *, seed: int, persons: int, password_hash: str, today: date) -> None:
        self.plan = Plan(seed=seed, persons=persons)
        self.rng = random.Random(f"demo:{seed}")
        self._ids = random.Random(f"demo-ids:{seed}")
        self.today = today
        self.password_hash = password_hash
        self.orgs: dict[str, Organisation] = {}
        self.specs: dict[str, OrgSpec] = {}
        self.users: dict[str, User] = {}
        self._refs: dict[str, set[str]] = defaultdict(set)
        self._next_ref: Counter[tuple[str, int]] = Counter()

    # -- generic ---------------------------------------------------------------------------
    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self._ids.getrandbits(128), version=4)

    def new(self, model: type[models.Model], **fields: Any) -> Any:
        obj = model(id=self.new_id(), **fields)
        self.plan.rows[model].append(obj)
        return obj

    def staff(self, slug: str, *roles: str) -> User:
        """The first of ``roles`` the organisation has an account for (else its caseworker)."""
        spec = self.specs[slug]
        for role in (*roles, Role.CASEWORKER):
            if role in spec.account_roles:
                return self.users[spec.username(role)]
        raise KeyError(slug)

    # -- organisations and accounts ---------------------------------------------------------
    def add_organisations(self) -> None:
        states_through = Organisation.states.through
        districts_through = Organisation.districts.through
        for index, spec in enumerate(ORGANISATIONS, 1):
            org = self.new(
                Organisation,
                name=spec.name,
                short_name=spec.code,
                org_type=spec.org_type,
                base_district_id=spec.base_district,
                phone=network.org_phone(index),
                email=network.org_email(spec),
                address=spec.address,
                address_is_confidential=spec.address_is_confidential,
            )
            self.orgs[spec.slug] = org
            self.specs[spec.slug] = spec
            for code in spec.states:
                self.plan.rows[states_through].append(
                    states_through(organisation_id=org.id, state_id=code)
                )
            for code in spec.districts:
                self.plan.rows[districts_through].append(
                    districts_through(organisation_id=org.id, district_id=code)
                )
        self._add_user(network.PLATFORM_ADMIN_USERNAME, None, "", platform_admin=True)
        for spec in ORGANISATIONS:
            for role in spec.account_roles:
                user = self._add_user(spec.username(role), spec, role)
                self.new(
                    Membership,
                    user_id=user.id,
                    organisation_id=self.orgs[spec.slug].id,
                    role=role,
                    is_designated_contact=role == Role.CASEWORKER,
                )

    def _add_user(
        self, username: str, spec: OrgSpec | None, role: str, *, platform_admin: bool = False
    ) -> User:
        rng = random.Random(f"staff:{username}")
        pool = COMMUNITIES[rng.choice(["bengali_hindu", "hindi", "marathi", "odia", "assamese"])]
        sex = "female" if rng.random() < 0.6 else "male"
        user = User(
            id=self.new_id(),
            username=username,
            email=f"{username}@demo.example.org",
            first_name=rng.choice(pool[sex]),
            last_name=rng.choice(pool["family"]),
            password=self.password_hash,
            is_platform_admin=platform_admin,
            created_by_org_id=self.orgs[spec.slug].id if spec else None,
        )
        self.plan.rows[User].append(user)
        self.users[username] = user
        return user

    # -- registry rows ----------------------------------------------------------------------
    def reference(self, slug: str, year: int, wanted: str = "") -> str:
        """``<CODE>/<year>/<nnnn>``, unique within the organisation."""
        refs = self._refs[slug]
        if wanted:
            if wanted in refs:
                raise ValueError(f"duplicate demo case reference {wanted}")
            refs.add(wanted)
            return wanted
        while True:
            self._next_ref[(slug, year)] += 1
            ref = f"{self.specs[slug].code}/{year}/{self._next_ref[(slug, year)]:04d}"
            if ref not in refs:
                refs.add(ref)
                return ref

    def person(self, slug: str, **fields: Any) -> Person:
        fields.setdefault("created_by_id", self.staff(slug).id)
        return self.new(Person, owner_org_id=self.orgs[slug].id, **fields)

    def case(self, slug: str, opened_on: date, reference: str = "", **fields: Any) -> Case:
        owner = fields.pop("case_owner", None) or self.staff(slug, Role.CASEWORKER)
        team = fields.pop("team", ())
        case = self.new(
            Case,
            owner_org_id=self.orgs[slug].id,
            reference=self.reference(slug, opened_on.year, reference),
            opened_on=opened_on,
            case_owner_id=owner.id,
            **fields,
        )
        through = Case.team.through
        for member in {m.id: m for m in team}.values():
            self.plan.rows[through].append(through(case_id=case.id, user_id=member.id))
        return case

    def link(self, case: Case, person: Person, role: str, **fields: Any) -> CasePerson:
        return self.new(CasePerson, case_id=case.id, person_id=person.id, role=role, **fields)

    def event(
        self,
        case: Case,
        person: Person | None,
        kind: str,
        on: date,
        district: int | None,
        place: str = "",
        precision: str = DatePrecision.DAY,
        description: str = "",
    ) -> TraffickingEvent:
        geo = load_geography()
        state = geo.districts[district].state_code if district else None
        return self.new(
            TraffickingEvent,
            case_id=case.id,
            person_id=person.id if person else None,
            kind=kind,
            occurred_on=min(on, self.today),
            date_precision=precision,
            place=place,
            district_id=district,
            state_id=state,
            description=description,
            recorded_by_id=case.case_owner_id,
        )

    def consent(
        self,
        person: Person,
        scopes: Iterable[str],
        given_on: date,
        *,
        recipient: str | None = None,
        purpose: str = "",
        given_by: str = ConsentGiver.SELF,
        given_by_name: str = "",
        withdrawn_on: date | None = None,
    ) -> Consent:
        recorder = person.created_by_id
        return self.new(
            Consent,
            person_id=person.id,
            scopes=list(scopes),
            recipient_org_id=self.orgs[recipient].id if recipient else None,
            purpose=purpose,
            given_by=given_by,
            given_by_name=given_by_name,
            given_on=min(given_on, self.today),
            recorded_by_id=recorder,
            withdrawn_on=min(withdrawn_on, self.today) if withdrawn_on else None,
            withdrawn_recorded_by_id=recorder if withdrawn_on else None,
        )

    def share(
        self,
        case: Case,
        slug: str,
        consent: Consent,
        scopes: Iterable[str],
        reason: str,
        *,
        revoked_on: date | None = None,
    ) -> CaseShare:
        scopes = list(scopes)
        # Invariant: a share never exceeds the consent behind it.
        assert set(scopes) <= set(consent.scopes), (scopes, consent.scopes)
        assert consent.recipient_org_id in (None, self.orgs[slug].id)
        revoked_at = (
            timezone.make_aware(datetime.combine(revoked_on, time(11, 0))) if revoked_on else None
        )
        return self.new(
            CaseShare,
            case_id=case.id,
            organisation_id=self.orgs[slug].id,
            consent_id=consent.id,
            scopes=scopes,
            reason=reason,
            shared_by_id=case.case_owner_id,
            revoked_at=revoked_at,
        )

    def note(self, case: Case, author: User, body: str) -> CaseNote:
        return self.new(
            CaseNote, case_id=case.id, author_id=author.id, body=body, topic=_note_topic(body)
        )

    def service(
        self,
        case: Case,
        person: Person,
        kind: str,
        started: date,
        *,
        provider: str | None = None,
        provider_name: str = "",
        days: int | None = None,
    ) -> ServiceRecord:
        started = min(started, self.today)
        ended = started + timedelta(days=days) if days is not None else None
        if ended and ended > self.today:
            ended = None
        if ended:
            status = ServiceStatus.COMPLETED
        elif started < self.today - timedelta(days=700):
            status = ServiceStatus.STOPPED
        else:
            status = ServiceStatus.IN_PROGRESS
        return self.new(
            ServiceRecord,
            case_id=case.id,
            person_id=person.id,
            service_type=kind,
            status=status,
            provider_org_id=self.orgs[provider].id if provider else None,
            provider_name=provider_name,
            started_on=started,
            ended_on=ended,
        )


# -- turning synthetic records into cases -------------------------------------------------------

_ROLE_TYPES: dict[str, dict[str, float]] = {
    "missing_report": {
        OrganisationType.SOURCE_NGO: 6,
        OrganisationType.POLICE_AHTU: 3,
        OrganisationType.CHILD_WELFARE_COMMITTEE: 1,
    },
    "rescued": {
        OrganisationType.DESTINATION_NGO: 5,
        OrganisationType.POLICE_AHTU: 4,
        OrganisationType.SHELTER_HOME: 2,
    },
    "survivor_home": {
        OrganisationType.SOURCE_NGO: 6,
        OrganisationType.SURVIVOR_COLLECTIVE: 2,
        OrganisationType.GOVERNMENT_DEPARTMENT: 1,
        OrganisationType.CHILD_WELFARE_COMMITTEE: 1,
    },
    "survivor_away": {
        OrganisationType.DESTINATION_NGO: 4,
        OrganisationType.SHELTER_HOME: 3,
        OrganisationType.LEGAL_AID: 2,
    },
}


_LOCAL_TYPES = frozenset(
    {OrganisationType.SOURCE_NGO, OrganisationType.DESTINATION_NGO, OrganisationType.POLICE_AHTU}
)


def _choose_org(rng: random.Random, kind: str, district: int, state: int) -> str:
    """An organisation of a fitting type that works in the district, else in the state."""
    weights = _ROLE_TYPES[kind]
    for match in (
        lambda s: district in s.districts,
        lambda s: state in s.states and s.org_type != OrganisationType.NETWORK_BODY,
    ):
        found = [s for s in ORGANISATIONS if s.org_type in weights and match(s)]
        if found:
            return rng.choices(found, [weights[s.org_type] for s in found])[0].slug
    # No organisation of that kind works there: another member in the state takes the record.
    found = [s for s in ORGANISATIONS if state in s.states and s.org_type in _LOCAL_TYPES]
    return rng.choice(found).slug if found else "network"


def _exploitation(t: TruePerson) -> str:
    """One form of exploitation per true person, so every record of them agrees."""
    rng = random.Random(f"form:{t.person_id}")
    minor = _years(t.birth_date, t.trafficked_on) < 18
    F = ExploitationForm
    table: list[tuple[str, int]]
    if t.sex == "F" and minor:
        table = [
            (F.DOMESTIC_SERVITUDE, 35),
            (F.SEXUAL_EXPLOITATION, 35),
            (F.CHILD_LABOUR, 15),
            (F.FORCED_MARRIAGE, 10),
            (F.FORCED_BEGGING, 5),
        ]
    elif t.sex == "F":
        table = [
            (F.SEXUAL_EXPLOITATION, 50),
            (F.DOMESTIC_SERVITUDE, 25),
            (F.FORCED_MARRIAGE, 10),
            (F.FORCED_LABOUR, 15),
        ]
    elif minor:
        table = [
            (F.CHILD_LABOUR, 60),
            (F.BONDED_LABOUR, 20),
            (F.FORCED_BEGGING, 10),
            (F.FORCED_CRIMINALITY, 10),
        ]
    else:
        table = [(F.BONDED_LABOUR, 45), (F.FORCED_LABOUR, 55)]
    forms, weights = zip(*table, strict=True)
    return rng.choices(forms, weights)[0]


def _locality(form: str, city: str) -> str:
    if form == ExploitationForm.SEXUAL_EXPLOITATION:
        return _SEX_WORK[city]
    if form == ExploitationForm.DOMESTIC_SERVITUDE:
        return _DOMESTIC[city]
    return _LABOUR[city]


class SynthWriter:
    """Writes one synthetic record as a person and a case in the organisation that holds it."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        self.rng = b.rng
        self.geo = load_geography()
        self.dest = {d.city: d for d in DESTINATIONS}
        self._agents: dict[tuple[str, str], Person] = {}

    def place_of(self, rec: dict[str, Any], t: TruePerson) -> tuple[str, int, int]:
        """(kind of holder, district, state) where the record was made."""
        role = str(rec["role"])
        if role == "missing_report":
            return "missing_report", t.district_code, t.state_code
        dest = self.dest[t.destination_city]
        dest_district = dest.district_codes[int(t.person_id[1:]) % len(dest.district_codes)]
        if role == "rescued":
            return "rescued", dest_district, dest.state_code
        if rec["recorded_state"] == t.state_code:
            return "survivor_home", t.district_code, t.state_code
        return "survivor_away", dest_district, dest.state_code

    def write(self, rec: dict[str, Any], t: TruePerson, slug: str) -> tuple[Case, Person]:
        b, rng = self.b, self.rng
        role = str(rec["role"])
        recorded_on = date.fromisoformat(str(rec["recorded_on"]))
        minor = _years(t.birth_date, recorded_on) < 18
        person = self._person(rec, t, slug, recorded_on)
        form = _exploitation(t)
        form_label = ExploitationForm(form).label
        dest = self.dest[t.destination_city]
        kind, district, _state = self.place_of(rec, t)
        spec = b.specs[slug]
        old = recorded_on < b.today - timedelta(days=730)
        if role == "missing_report":
            status = CaseStatus.CLOSED if old and rng.random() < 0.5 else CaseStatus.ACTIVE
            tstatus = TraffickingStatus.POSSIBLE
            summary = f"Reported missing from {t.district_name}; believed taken for work."
        elif role == "rescued":
            status = (
                rng.choice([CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED])
                if old
                else CaseStatus.ACTIVE
            )
            tstatus = (
                TraffickingStatus.ACTUAL if rng.random() < 0.85 else TraffickingStatus.POSSIBLE
            )
            summary = (
                f"Rescued in {dest.city} ({form_label.lower()}); home district {t.district_name}."
            )
        else:
            status = CaseStatus.FOLLOW_UP if rng.random() < 0.7 else CaseStatus.ACTIVE
            tstatus = TraffickingStatus.ACTUAL
            summary = f"Survivor follow-up after {form_label.lower()} in {dest.city}."
        fir = {}
        if role == "rescued" and (
            spec.org_type == OrganisationType.POLICE_AHTU or rng.random() < 0.5
        ):
            fir = {
                "fir_number": f"{rng.randint(12, 980)}/{recorded_on.year}",
                "police_station": f"{_locality(form, dest.city).split(' (')[0]} Police Station",
                "sections_charged": _sections(form, recorded_on, minor),
            }
        elif role == "missing_report" and rng.random() < 0.3:
            fir = {
                "fir_number": f"{rng.randint(12, 980)}/{recorded_on.year}",
                "police_station": f"{t.district_name} Sadar Police Station",
            }
        restricted = rng.random() < 0.03
        team = []
        if restricted:
            team = [b.staff(slug, Role.COUNSELLOR), b.staff(slug, Role.CASEWORKER)]
        identified_by = ""
        if tstatus == TraffickingStatus.ACTUAL:
            identified_by = "CWC order" if minor else "Police (FIR registered)"
        case = b.case(
            slug,
            recorded_on,
            status=status,
            trafficking_status=tstatus,
            identified_by=identified_by,
            closed_on=min(recorded_on + timedelta(days=rng.randint(60, 400)), b.today)
            if status in (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)
            else None,
            summary=summary,
            is_restricted=restricted,
            team=team,
            **fir,
        )
        victim_role = CaseRole.MISSING if role == "missing_report" else CaseRole.VICTIM
        relationship = rng.choices(
            [
                RelationshipToTrafficker.ACQUAINTED,
                RelationshipToTrafficker.FAMILIAL,
                RelationshipToTrafficker.UNACQUAINTED,
            ],
            [55, 15, 30],
        )[0]
        b.link(
            case,
            person,
            victim_role,
            age_when_trafficked=_years(t.birth_date, t.trafficked_on),
            relationship_to_trafficker=relationship if role != "missing_report" else "",
        )
        if role != "missing_report":
            b.new(
                CaseExploitation,
                case_id=case.id,
                form=form,
                industry=_ISIC[form],
                details=_locality(form, dest.city),
            )
            for means in rng.sample(_CONTROL[form], rng.randint(1, min(4, len(_CONTROL[form])))):
                b.new(CaseControlMeans, case_id=case.id, means=means)
        self._events(case, person, rec, t, role, kind, district, form, recorded_on, slug)
        self._services(case, person, role, minor, recorded_on, slug, kind)
        author = b.staff(slug, Role.CASEWORKER)
        for body in rng.sample(_NOTES[role], rng.randint(0, 3)):
            b.note(case, author, body)
        if role == "missing_report" and rng.random() < 0.7:
            self._complainant(case, rec, t, slug, recorded_on)
        if role == "rescued" and rng.random() < 0.35:
            self._agent(case, t, slug)
        return case, person

    def _person(self, rec: dict[str, Any], t: TruePerson, slug: str, on: date) -> Person:
        b, rng = self.b, self.rng
        given, family = str(rec["given_name"]), str(rec["family_name"])
        native = native_script = ""
        if rec["script"] != "Latn":
            native = " ".join(p for p in (given, family) if p)
            native_script = _SCRIPTS.get(str(rec["script"]), "")
            given = family = ""
        birth = None
        precision = ""
        raw_birth = str(rec["birth_date"])
        if len(raw_birth) == 10:
            birth, precision = date.fromisoformat(raw_birth), DatePrecision.DAY
        elif len(raw_birth) == 4:
            birth, precision = date(int(raw_birth), 1, 1), DatePrecision.YEAR
        age = rec["age"]
        person = b.person(
            slug,
            given_name=given[:100],
            family_name=family[:100],
            name_native=native[:200],
            name_native_script=native_script,
            gender={"F": Gender.FEMININE, "M": Gender.MASCULINE}.get(
                str(rec["sex"]), Gender.UNKNOWN
            ),
            birth_date=birth,
            birth_date_precision=precision,
            estimated_age=age,
            age_estimated_on=on if age is not None else None,
            father_name=str(rec["father_name"])[:150],
            mother_name=str(rec["mother_name"])[:150],
            languages=_LANGUAGES.get(t.state_code, ["hi"]),
        )
        b.plan.truth.append((str(person.id), str(rec["record_id"]), t.person_id, slug))
        if rec["alias"]:
            b.new(PersonAlias, person_id=person.id, name=str(rec["alias"]), kind=AliasKind.NICKNAME)
        written = ", ".join(str(rec[k]) for k in ("village", "district", "state") if rec[k])
        b.new(
            Address,
            person_id=person.id,
            kind=AddressKind.HOME,
            village=str(rec["village"])[:150],
            line=written[:300],
            district_id=t.district_code if rec["district"] else None,
            state_id=t.state_code if (rec["state"] or rec["district"]) else None,
        )
        if rec["phone"]:
            number = _normalise_phone(str(rec["phone"]))
            if number:
                family_phone = bool(t.phones) and number == "+91" + t.phones[0]
                b.new(
                    Phone,
                    person_id=person.id,
                    number=number,
                    kind=PhoneKind.FAMILY if family_phone else PhoneKind.OWN,
                    note="Father's phone" if family_phone and rng.random() < 0.5 else "",
                )
        digest = random.Random(f"docs:{t.person_id}")
        if rng.random() < 0.2:
            b.new(
                IdentityDocument,
                person_id=person.id,
                doc_type=DocumentType.AADHAAR,
                number=f"{digest.randrange(10000):04d}",
                is_held_by_person=rng.random() < 0.5,
            )
        if rng.random() < 0.08 and _years(t.birth_date, on) >= 18:
            letters = "".join(digest.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
            b.new(
                IdentityDocument,
                person_id=person.id,
                doc_type=DocumentType.VOTER_ID,
                number=f"{letters}{digest.randrange(10**7):07d}",
                issued_by="Election Commission of India",
            )
        return person

    def _events(
        self,
        case: Case,
        person: Person,
        rec: dict[str, Any],
        t: TruePerson,
        role: str,
        kind: str,
        district: int,
        form: str,
        on: date,
        slug: str,
    ) -> None:
        b, rng = self.b, self.rng
        dest = self.dest[t.destination_city]
        dest_district = district if kind in ("rescued", "survivor_away") else dest.district_codes[0]
        village = str(rec["village"]) or t.village
        story = _RECRUITMENT_STORY[form]
        if role == "missing_report":
            b.event(case, person, EventKind.RECRUITMENT, t.trafficked_on, t.district_code,
                    village, DatePrecision.DAY, "Left home with a person who promised work.")  # fmt: skip
            b.event(case, person, EventKind.MISSING_REPORTED, on, t.district_code,
                    f"{t.district_name} police station")  # fmt: skip
            return
        if role == "rescued":
            b.event(case, person, EventKind.RECRUITMENT, t.trafficked_on, t.district_code,
                    village, DatePrecision.MONTH, story)  # fmt: skip
            station = _STATIONS.get(t.state_code)
            if station:
                b.event(case, person, EventKind.TRANSIT, t.trafficked_on + timedelta(days=1),
                        station[1], station[0], DatePrecision.MONTH)  # fmt: skip
            if (on - t.trafficked_on).days < 45 and rng.random() < 0.6:
                b.event(case, person, EventKind.INTERCEPTION, on, dest_district,
                        _ARRIVAL[dest.city], description="Intercepted on arrival by railway police and NGO outreach.")  # fmt: skip
            else:
                b.event(case, person, EventKind.EXPLOITATION, t.trafficked_on + timedelta(days=4),
                        dest_district, _locality(form, dest.city), DatePrecision.MONTH)  # fmt: skip
                b.event(case, person, EventKind.RESCUE, on, dest_district,
                        _locality(form, dest.city), description="Rescue operation by the AHTU with NGO support.")  # fmt: skip
            if b.specs[slug].org_type == OrganisationType.SHELTER_HOME or rng.random() < 0.6:
                b.event(case, person, EventKind.SHELTER_ADMISSION, on + timedelta(days=rng.randint(0, 2)),
                        dest_district, "Shelter home (location confidential)")  # fmt: skip
            if rng.random() < 0.45:
                b.event(case, person, EventKind.REPATRIATION, on + timedelta(days=rng.randint(30, 240)),
                        t.district_code, village, description="Escorted home after the home investigation report.")  # fmt: skip
            return
        if kind == "survivor_home":
            b.event(case, person, EventKind.REPATRIATION, on - timedelta(days=rng.randint(5, 60)),
                    t.district_code, village)  # fmt: skip
            if rng.random() < 0.5:
                b.event(case, person, EventKind.REINTEGRATION, on + timedelta(days=rng.randint(30, 300)),
                        t.district_code, village, description="Back in school or work; family supportive.")  # fmt: skip
        else:
            b.event(case, person, EventKind.SHELTER_ADMISSION, on - timedelta(days=rng.randint(10, 100)),
                    dest_district, "Shelter home (location confidential)")  # fmt: skip

    def _services(
        self,
        case: Case,
        person: Person,
        role: str,
        minor: bool,
        on: date,
        slug: str,
        kind: str,
    ) -> None:
        b, rng = self.b, self.rng
        S = ServiceType
        if role == "missing_report":
            offer = [(S.FAMILY_TRACING, 0.9, None), (S.COUNSELLING, 0.3, 60), (S.LEGAL, 0.2, None)]
        elif role == "rescued":
            offer = [
                (S.SHELTER, 0.6, 120),
                (S.HEALTH, 0.6, 20),
                (S.COUNSELLING, 0.6, 150),
                (S.LEGAL, 0.4, None),
                (S.REPATRIATION, 0.4, 10),
                (S.COMPENSATION, 0.2, None),
            ]
        else:
            offer = [
                (S.LIVELIHOOD, 0.5, 180),
                (S.EDUCATION if minor else S.RIGHTS_TRAINING, 0.5, 300),
                (S.COUNSELLING, 0.5, 120),
                (S.COMPENSATION, 0.3, None),
                (S.GOVERNMENT_SCHEME, 0.3, 90),
                (S.FINANCIAL, 0.2, 30),
            ]
        state = self.geo.districts[b.specs[slug].base_district].state_code
        for service, chance, days in offer:
            if rng.random() >= chance:
                continue
            provider, provider_name = None, ""
            if service == S.LEGAL and state == 27 and slug != "mumbai-legal":
                provider = "mumbai-legal"
            elif service == S.COMPENSATION:
                provider_name = "District Legal Services Authority"
            elif service == S.HEALTH:
                provider_name = "Government district hospital"
            finished = days if days is not None and rng.random() < 0.7 else None
            b.service(case, person, service, on + timedelta(days=rng.randint(0, 20)),
                      provider=provider, provider_name=provider_name, days=finished)  # fmt: skip

    def _complainant(
        self, case: Case, rec: dict[str, Any], t: TruePerson, slug: str, on: date
    ) -> None:
        b = self.b
        parent = t.father_name if self.rng.random() < 0.6 else t.mother_name
        given, _, family = parent.partition(" ")
        female = parent == t.mother_name
        relative = b.person(
            slug,
            given_name=given,
            family_name=family,
            gender=Gender.FEMININE if female else Gender.MASCULINE,
            estimated_age=_years(t.birth_date, on) + self.rng.randint(20, 30),
            age_estimated_on=on,
            languages=_LANGUAGES.get(t.state_code, ["hi"]),
        )
        b.link(case, relative, CaseRole.FAMILY)
        if t.phones:
            b.new(Phone, person_id=relative.id, number="+91" + t.phones[0], kind=PhoneKind.OWN)

    def _agent(self, case: Case, t: TruePerson, slug: str) -> None:
        """The recruiter: three per source district, so the same agent recurs across cases."""
        b = self.b
        pick = random.Random(f"agent-pick:{t.person_id}").randrange(3)
        key = (slug, f"{t.district_code}:{pick}")
        agent = self._agents.get(key)
        if agent is None:
            arng = random.Random(f"agent:{key[1]}")
            pool = COMMUNITIES[t.community]
            female = arng.random() < 0.25
            agent = b.person(
                slug,
                given_name=arng.choice(pool["female" if female else "male"]),
                family_name=arng.choice(pool["family"]),
                gender=Gender.FEMININE if female else Gender.MASCULINE,
                estimated_age=arng.randint(28, 55),
                age_estimated_on=t.trafficked_on,
            )
            b.new(PersonAlias, person_id=agent.id, name=arng.choice(_PERP_NICKNAMES),
                   kind=AliasKind.ALIAS)  # fmt: skip
            b.new(Address, person_id=agent.id, kind=AddressKind.HOME,
                   district_id=t.district_code, state_id=t.state_code)  # fmt: skip
            self._agents[key] = agent
        b.link(case, agent, CaseRole.PERPETRATOR,
               perpetrator_roles=[PerpetratorRole.RECRUITER, PerpetratorRole.TRANSPORTER])  # fmt: skip


def _consents_and_shares(
    w: SynthWriter, t: TruePerson, held: list[tuple[dict[str, Any], str, Case, Person]]
) -> None:
    """Consent for every record's person, and consented shares between the organisations."""
    b, rng = w.b, w.rng
    held.sort(key=lambda item: str(item[0]["recorded_on"]))
    consents: dict[str, Consent] = {}
    for _rec, _slug, case, person in held:
        on = case.opened_on
        minor = _years(t.birth_date, on) < 18
        giver = (
            rng.choice([ConsentGiver.PARENT_GUARDIAN, ConsentGiver.CWC])
            if minor
            else ConsentGiver.SELF
        )
        giver_name = t.mother_name if giver == ConsentGiver.PARENT_GUARDIAN else ""
        r = rng.random()
        if r < 0.74:
            scopes = [ConsentScope.MATCHING, ConsentScope.STATISTICS]
            if rng.random() < 0.3:
                scopes += [ConsentScope.IDENTITY, ConsentScope.CASE_HISTORY]
            consents[str(person.id)] = b.consent(
                person, scopes, on, purpose="Finding my records in other organisations",
                given_by=giver, given_by_name=giver_name,
            )  # fmt: skip
        elif r < 0.82:
            b.consent(
                person, [ConsentScope.MATCHING, ConsentScope.STATISTICS], on,
                purpose="Finding my records in other organisations", given_by=giver,
                given_by_name=giver_name, withdrawn_on=on + timedelta(days=rng.randint(30, 400)),
            )  # fmt: skip
        # Otherwise no consent was recorded: the record stays inside its organisation.
    # A later holder (the rescuer) shares with the earlier one (the family's organisation).
    for (_r1, slug1, _c1, _p1), (_r2, slug2, case2, person2) in itertools.pairwise(held):
        if slug1 == slug2 or rng.random() >= 0.35:
            continue
        network_consent = consents.get(str(person2.id))
        on = case2.opened_on
        shared = [ConsentScope.IDENTITY, ConsentScope.CASE_HISTORY]
        if network_consent and set(shared) <= set(network_consent.scopes):
            consent = network_consent
        else:
            minor = _years(t.birth_date, on) < 18
            withdrawn = on + timedelta(days=rng.randint(60, 300)) if rng.random() < 0.08 else None
            consent = b.consent(
                person2,
                [ConsentScope.IDENTITY, ConsentScope.CONTACT, ConsentScope.CASE_HISTORY],
                on + timedelta(days=rng.randint(1, 10)),
                recipient=slug1,
                purpose="Home investigation and safe return",
                given_by=ConsentGiver.CWC if minor else ConsentGiver.SELF,
                withdrawn_on=withdrawn,
            )
            shared = list(consent.scopes)
        b.share(
            case2, slug1, consent, shared, "Home investigation and repatriation",
            revoked_on=consent.withdrawn_on,
        )  # fmt: skip
    # Police rescues go to a shelter in the same state, with the CWC's consent.
    for rec, slug, case, person in held:
        spec = b.specs[slug]
        if rec["role"] != "rescued" or spec.org_type != OrganisationType.POLICE_AHTU:
            continue
        if rng.random() >= 0.4:
            continue
        shelters = [
            s.slug
            for s in ORGANISATIONS
            if s.org_type == OrganisationType.SHELTER_HOME and set(s.states) & set(spec.states)
        ]
        if not shelters:
            continue
        shelter = rng.choice(shelters)
        scopes = [ConsentScope.IDENTITY, ConsentScope.CASE_HISTORY, ConsentScope.HEALTH]
        consent = b.consent(
            person, scopes, case.opened_on, recipient=shelter,
            purpose="Shelter placement and care", given_by=ConsentGiver.CWC,
        )  # fmt: skip
        b.share(case, shelter, consent, scopes, "Shelter placement after rescue")


def plan_network(
    *, persons: int = DEFAULT_PERSONS, seed: int = DEFAULT_SEED, password_hash: str = ""
) -> Plan:
    """The whole demo network as unsaved rows; deterministic for ``persons`` and ``seed``."""
    from setu.demo.scenarios import build_scenarios

    today = timezone.localdate()
    b = Builder(seed=seed, persons=persons, password_hash=password_hash or "!", today=today)
    b.add_organisations()
    build_scenarios(b)
    population = generate_population(persons, seed=seed)
    truths = {p.person_id: p for p in population.people}
    by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in population.records:
        by_person[str(rec["person_id"])].append(rec)
    w = SynthWriter(b)
    for pid in sorted(by_person):
        t = truths[pid]
        held = []
        for rec in sorted(
            by_person[pid], key=lambda r: (str(r["recorded_on"]), str(r["record_id"]))
        ):
            kind, district, state = w.place_of(rec, t)
            slug = _choose_org(b.rng, kind, district, state)
            case, person = w.write(rec, t, slug)
            held.append((rec, slug, case, person))
        _consents_and_shares(w, t, held)
    _add_app_rows(b)
    _fill_name_tokens(b.plan)
    return b.plan


def _add_app_rows(b: Builder) -> None:
    """Let other apps add demo rows: ``setu/<app>/demo.py`` may define ``add_demo_rows(builder)``.

    Hooks add unsaved rows with ``builder.new(Model, ...)`` and must not touch the database
    (``setu demo truth`` plans without one). Rows are saved in the order their models first
    appear, so a hook adds parents before children, as the builder itself does.
    """
    for config in django_apps.get_app_configs():
        if not config.name.startswith("setu.") or config.name == "setu.demo":
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is None:
            continue
        hook = getattr(importlib.import_module(name), "add_demo_rows", None)
        if hook is not None:
            hook(b)


class NotEmpty(Exception):
    """The database already holds organisations; the demo network only loads into an empty one."""


@transaction.atomic
def load_network(*, persons: int = DEFAULT_PERSONS, seed: int = DEFAULT_SEED) -> Plan:
    """Plan and save the demo network in one transaction, with one audit entry for the load."""
    if Organisation.objects.exists():
        raise NotEmpty
    plan = plan_network(
        persons=persons, seed=seed, password_hash=make_password(network.DEMO_PASSWORD)
    )
    # Models appear in the plan after the models they point to (the builder adds parents first).
    for model, rows in plan.rows.items():
        model._default_manager.bulk_create(rows, batch_size=2000)
    # The referral network (directory, referrals, shelters, entitlements) builds on saved rows.
    from setu.referrals.demo import load_network_demo

    network_counts = load_network_demo(seed=seed, record_audit=False)
    admin = User.objects.get(username=network.PLATFORM_ADMIN_USERNAME)
    audit.record(
        actor=None,
        user=admin,
        action=AuditAction.ADMIN,
        target=("demo.network", "", None),
        details={
            "demo_loaded": plan.counts(),
            "network_demo_loaded": network_counts,
            "persons": persons,
            "seed": seed,
        },
    )
    return plan


def match_story_lines(plan: Plan) -> tuple[int, int]:
    """Index and check the story-line persons of a loaded plan only (a few dozen records, a
    second or two), so their pairs, notices and queues are there at once; the rest of the
    network is matched by ``setu matching rematch``. Returns (persons checked, pairs found)."""
    from django.db.models import Q

    from setu.matching import services as matching
    from setu.matching.models import MatchPair

    ids = plan.story_line_person_ids()
    matching.persons_recheck(person_ids=ids)
    pairs = MatchPair.objects.filter(Q(person_a_id__in=ids) | Q(person_b_id__in=ids)).count()
    return len(ids), pairs
