"""How the audit trail names what it shows, told by the apps that own the records.

Every app writes audit entries, so the audit app sits below them all and may import none of
them. The trail's pages still name a case by its reference, a person by name (where the
reader may see who they are), an organisation and its members by name, and look a case up by
its reference. The owning apps register those lookups here in their ``AppConfig.ready``; each
lookup takes the acting user and applies the access policy itself. Explicit calls, no
signals; a lookup nobody registered gives no names (the trail then shows ids and kinds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from setu.access.actor import Actor

# (actor, ids as text) -> {id as text: label}, only for the ids the actor may see named.
Labeller = Callable[[Actor, set[str]], dict[str, str]]
# actor -> [(user id as text, name)] of the members of the actor's organisation.
MemberLister = Callable[[Actor], list[tuple[str, str]]]
# (actor, reference typed) -> ids of the visible cases it matches (at most a few).
CaseFinder = Callable[[Actor, str], list[Any]]

_labellers: dict[str, Labeller] = {}
_members: list[MemberLister] = []
_organisation_namers: list[Labeller] = []
_case_finders: list[CaseFinder] = []
# (actor, person id) -> {record kind: ids} of every record about that person (breach report).
PersonRecordsFinder = Callable[[Actor, Any], dict[str, set[str]]]
_person_records: list[PersonRecordsFinder] = []


def register_labeller(target_type: str, labeller: Labeller) -> None:
    """Name records of ``target_type`` (``"registry.case"``, ``"orgs.organisation"``, …)."""
    _labellers[target_type] = labeller


def register_member_lister(lister: MemberLister) -> None:
    """List the members of the actor's organisation, to filter the trail by who acted."""
    if lister not in _members:
        _members.append(lister)


def register_organisation_namer(namer: Labeller) -> None:
    """Short names of organisations, for the columns "who acted for" and "whose record"."""
    if namer not in _organisation_namers:
        _organisation_namers.append(namer)


def register_case_finder(finder: CaseFinder) -> None:
    """Find cases by reference, for the trail's "entries about this case" lookup."""
    if finder not in _case_finders:
        _case_finders.append(finder)


def register_person_records_finder(finder: PersonRecordsFinder) -> None:
    """List every record about one person, for the report of who accessed her records."""
    if finder not in _person_records:
        _person_records.append(finder)


def labels(actor: Actor, target_type: str, ids: Iterable[Any]) -> dict[str, str]:
    """Labels of those ``ids`` the owning app names for ``actor`` ({} when none registered)."""
    labeller = _labellers.get(target_type)
    wanted = {str(i) for i in ids if i}
    if labeller is None or not wanted:
        return {}
    return labeller(actor, wanted)


def labelled_types() -> list[str]:
    """The record kinds some app names."""
    return sorted(_labellers)


def members(actor: Actor) -> list[tuple[str, str]]:
    """Members of the actor's organisation as (user id, name)."""
    return [m for lister in _members for m in lister(actor)]


def find_cases(actor: Actor, reference: str) -> list[Any]:
    """Ids of the visible cases matching ``reference``."""
    return [pk for finder in _case_finders for pk in finder(actor, reference)]


def organisation_names(actor: Actor, ids: Iterable[Any]) -> dict[str, str]:
    """Short names of those organisations (ids as text)."""
    wanted = {str(i) for i in ids if i}
    names: dict[str, str] = {}
    for namer in _organisation_namers:
        if wanted:
            names.update(namer(actor, wanted))
    return names


def person_records(actor: Actor, person_id: Any) -> dict[str, set[str]]:
    """Every record about one person, by kind (``{}`` when no app registered a finder)."""
    found: dict[str, set[str]] = {}
    for finder in _person_records:
        for kind, ids in finder(actor, person_id).items():
            found.setdefault(kind, set()).update(ids)
    return found
