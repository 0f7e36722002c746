"""Turning registry persons into the engine's PersonRecord, and reading their matching flags.

System reads (no actor): they feed the match index that a task keeps, never a user's screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone

from setu.consent import selectors as consent_selectors
from setu.linkage import PersonRecord
from setu.registry import selectors as registry
from setu.registry.selectors import (
    AddressKind,
    CaseStatus,
    DatePrecision,
    EventKind,
    Gender,
)

if TYPE_CHECKING:
    from setu.registry.models import Person, TraffickingEvent

SEX = {
    Gender.FEMININE: "F",
    Gender.MASCULINE: "M",
    Gender.TRANSGENDER_FEMININE: "X",
    Gender.TRANSGENDER_MASCULINE: "X",
    Gender.NON_CONFORMING: "X",
}
# Events after which a person counts as found (and, later, as seen before: re-trafficking).
FOUND_KINDS = frozenset(
    {
        EventKind.RESCUE,
        EventKind.INTERCEPTION,
        EventKind.SHELTER_ADMISSION,
        EventKind.REPATRIATION,
        EventKind.REINTEGRATION,
    }
)
# Earlier events that make a new appearance a re-trafficking signal.
HISTORY_KINDS = frozenset(
    {EventKind.RESCUE, EventKind.SHELTER_ADMISSION, EventKind.REINTEGRATION, EventKind.INTERCEPTION}
)
# New events that trigger a re-trafficking check.
TRIGGER_KINDS = frozenset({EventKind.MISSING_REPORTED, EventKind.RESCUE, EventKind.INTERCEPTION})
CLOSED = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)


def persons_for_records() -> QuerySet[Person]:
    """Persons with everything a PersonRecord needs, in a fixed number of queries."""
    return registry.persons_for_matching()


def _birth(person: Person) -> str:
    if not person.birth_date:
        return ""
    if person.birth_date_precision == DatePrecision.YEAR:
        return f"{person.birth_date.year:04d}"
    if person.birth_date_precision == DatePrecision.MONTH:
        return person.birth_date.strftime("%Y-%m")
    return person.birth_date.isoformat()


def _home(person: Person) -> Any:
    addresses = list(person.addresses.all())
    homes = [a for a in addresses if a.kind == AddressKind.HOME] or addresses
    return homes[0] if homes else None


def person_record(person: Person) -> PersonRecord:
    """The engine's record of a person: names (Latin, native script, aliases), sex, birth or
    estimated age with its date, parents, home village/district/state and first phone."""
    given, family = person.given_name.strip(), person.family_name.strip()
    aliases = [a.name for a in person.aliases.all()]
    if not (given or family) and person.name_native:
        given = person.name_native
    elif person.name_native:
        aliases.append(person.name_native)
    home = _home(person)
    phones = [p.number for p in person.phones.all()]
    return PersonRecord(
        record_id=str(person.pk),
        org=str(person.owner_org_id),
        given_name=given,
        family_name=family,
        alias="|".join(aliases),
        sex=SEX.get(person.gender, ""),
        father_name=person.father_name,
        mother_name=person.mother_name,
        village=home.village if home else "",
        district=home.district.name if home and home.district else "",
        state=home.state.name if home and home.state else "",
        phone=phones[0] if phones else "",
        age=None if person.birth_date else person.estimated_age,
        birth_date=_birth(person),
        recorded_on=person.age_estimated_on.isoformat()
        if person.age_estimated_on and not person.birth_date
        else "",
    )


@dataclass(frozen=True)
class MatchingConsent:
    """With whom a person's MATCHING consents in force allow matching: the whole network, or
    only the organisations they name (ids as text). Several consents add up; network-wide wins."""

    network: bool = False
    organisations: frozenset[str] = frozenset()

    def allows(self, organisation_id: Any) -> bool:
        """Whether a record of this person may be matched with a record of that organisation."""
        return self.network or str(organisation_id) in self.organisations

    @property
    def named(self) -> list[str]:
        """The named organisations, sorted (empty when network-wide: the network covers them)."""
        return [] if self.network else sorted(self.organisations)


NO_MATCHING = MatchingConsent()


def matching_consents(person_ids: Iterable[Any]) -> dict[Any, MatchingConsent]:
    """Per person (every one asked for): whom their MATCHING consents in force today allow."""
    ids = list(person_ids)
    network: set[str] = set()
    named: dict[str, set[str]] = {}
    for pid, org_id in consent_selectors.matching_consent_rows(ids):
        if org_id is None:
            network.add(str(pid))
        else:
            named.setdefault(str(pid), set()).add(str(org_id))
    out: dict[Any, MatchingConsent] = {}
    for pid in ids:
        key = str(pid)
        if key in network or key in named:
            out[pid] = MatchingConsent(key in network, frozenset(named.get(key, ())))
        else:
            out[pid] = NO_MATCHING
    return out


def pair_consented(person_a: Any, org_a: Any, person_b: Any, org_b: Any) -> bool:
    """Whether both persons' MATCHING consents in force today allow matching these two records:
    A's must cover B's organisation and B's must cover A's."""
    consents = matching_consents([person_a, person_b])
    return consents[person_a].allows(org_b) and consents[person_b].allows(org_a)


def flags_for(person_ids: Iterable[Any]) -> dict[Any, tuple[bool, bool]]:
    """Per person: (missing report open, found) from the events of their cases."""
    ids = list(person_ids)
    out: dict[Any, tuple[bool, bool]] = {pid: (False, False) for pid in ids}
    links = registry.person_case_links(person_ids=ids)
    cases_of: dict[Any, set[Any]] = {}
    for pid, cid in links:
        cases_of.setdefault(pid, set()).add(cid)
    all_cases = {c for cs in cases_of.values() for c in cs}
    events = registry.person_event_rows(person_ids=ids, case_ids=all_cases)
    per_person: dict[Any, list[tuple[Any, str, Any, bool]]] = {}
    for pid, cid, kind, on, created, status in events:
        when = on or created.date()
        targets = [pid] if pid else [p for p, cs in cases_of.items() if cid in cs]
        for t in targets:
            per_person.setdefault(t, []).append((cid, kind, when, status in CLOSED))
    for pid, evs in per_person.items():
        found_dates = [w for _c, k, w, _x in evs if k in FOUND_KINDS]
        open_reports = [
            w for _c, k, w, closed in evs if k == EventKind.MISSING_REPORTED and not closed
        ]
        # A report stays open until the person is found on or after the day it was filed.
        missing_open = any(not any(f >= r for f in found_dates) for r in open_reports)
        out[pid] = (missing_open, bool(found_dates))
    return out


def affected_person_ids(event: TraffickingEvent) -> list[Any]:
    """The person an event is about, or (case-level event) the case's survivors and missing."""
    return registry.event_person_ids(event=event)


def draft_record(data: dict[str, Any]) -> PersonRecord:
    """A PersonRecord for a person being entered (not saved yet), from the person form's data."""
    birth = data.get("birth_date")
    person = registry.unsaved_person(
        given_name=data.get("given_name") or "",
        family_name=data.get("family_name") or "",
        name_native=data.get("name_native") or "",
        gender=data.get("gender") or Gender.UNKNOWN,
        birth_date=birth,
        birth_date_precision=data.get("birth_date_precision")
        or (DatePrecision.DAY if birth else ""),
        estimated_age=data.get("estimated_age"),
        age_estimated_on=data.get("age_estimated_on") or timezone.localdate(),
        father_name=data.get("father_name") or "",
        mother_name=data.get("mother_name") or "",
    )
    district, state = data.get("district"), data.get("state")
    return PersonRecord(
        record_id="draft",
        given_name=person.given_name or (person.name_native if not person.family_name else ""),
        family_name=person.family_name,
        alias=person.name_native if person.given_name or person.family_name else "",
        sex=SEX.get(person.gender, ""),
        father_name=person.father_name,
        mother_name=person.mother_name,
        village=data.get("village") or "",
        district=district.name if district is not None else "",
        state=state.name
        if state is not None
        else (district.state.name if district is not None else ""),
        age=None if birth else person.estimated_age,
        birth_date=_birth(person),
        recorded_on=person.age_estimated_on.isoformat()
        if not birth and person.estimated_age is not None
        else "",
    )
