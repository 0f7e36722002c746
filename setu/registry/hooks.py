"""What the registry tells other apps after it writes a person, an event or a case's restriction:
explicit subscribers.

Matching registers here in its ``AppConfig.ready`` (re-index and re-check after the commit),
intelligence for a case's restriction (its index carries the flag); the registry calls ``person_saved`` / ``event_recorded`` / ``case_restriction_changed`` once per write service and knows
nothing of who listens. Not Django signals: the list is explicit and typed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from setu.access.actor import Actor

PersonSavedHandler = Callable[[uuid.UUID], None]
EventRecordedHandler = Callable[[uuid.UUID], None]
# (case id, restricted now)
CaseRestrictionHandler = Callable[[uuid.UUID, bool], None]
# (actor, draft person fields with home state/district) -> [(person id, name)] of records of
# the actor's own organisation that are strong candidates for being the same person.
DuplicateFinder = Callable[["Actor", Mapping[str, Any]], list[tuple[Any, str]]]

_person_saved: list[PersonSavedHandler] = []
_event_recorded: list[EventRecordedHandler] = []
_person_anonymised: list[PersonSavedHandler] = []
_case_restriction_changed: list[CaseRestrictionHandler] = []
_duplicate_finders: list[DuplicateFinder] = []


def on_person_saved(handler: PersonSavedHandler) -> PersonSavedHandler:
    """Call ``handler(person_id)`` when a person, or anything of theirs, was written."""
    if handler not in _person_saved:
        _person_saved.append(handler)
    return handler


def on_event_recorded(handler: EventRecordedHandler) -> EventRecordedHandler:
    """Call ``handler(event_id)`` when a trafficking event was recorded or corrected."""
    if handler not in _event_recorded:
        _event_recorded.append(handler)
    return handler


def on_person_anonymised(handler: PersonSavedHandler) -> PersonSavedHandler:
    """Call ``handler(person_id)`` when retention anonymised a person: forget what identifies her."""
    if handler not in _person_anonymised:
        _person_anonymised.append(handler)
    return handler


def person_anonymised(person_id: Any) -> None:
    """Retention removed this person's identifying data in this transaction."""
    for handler in _person_anonymised:
        handler(person_id)


def on_case_restriction_changed(handler: CaseRestrictionHandler) -> CaseRestrictionHandler:
    """Call ``handler(case_id, restricted)`` when a case became restricted, or stopped being so."""
    if handler not in _case_restriction_changed:
        _case_restriction_changed.append(handler)
    return handler


def case_restriction_changed(case_id: Any, restricted: bool) -> None:
    """A case's restriction to its team changed in this transaction."""
    for handler in _case_restriction_changed:
        handler(case_id, restricted)


def on_find_duplicates(handler: DuplicateFinder) -> DuplicateFinder:
    """Ask ``handler(actor, draft)`` for strong candidates before a new person is created."""
    if handler not in _duplicate_finders:
        _duplicate_finders.append(handler)
    return handler


def likely_duplicates(actor: Actor, draft: Mapping[str, Any]) -> list[tuple[Any, str]]:
    """Records of the actor's organisation that are probably the person about to be created."""
    found: dict[Any, str] = {}
    for handler in _duplicate_finders:
        found.update(handler(actor, draft))
    return list(found.items())


def person_saved(person_id: Any) -> None:
    """A person (names, places, phones, case links, consent) changed in this transaction."""
    for handler in _person_saved:
        handler(person_id)


def event_recorded(event_id: Any) -> None:
    """A trafficking event was recorded or corrected in this transaction."""
    for handler in _event_recorded:
        handler(event_id)


# --- Parts of the registry's pages that other apps own -----------------------------------------
#
# A person's page lists their consents, a case's page its shares, and the case timeline has a
# line for each consent given or withdrawn and each share started or stopped. The consent app
# owns those rows and builds on the registry, so it provides them here in its
# ``AppConfig.ready``; the registry asks without importing it. With nobody registered the
# lists are empty. Each provider takes the acting user and applies the policy itself.

# (actor, person ids or a subquery of them) -> consents, newest first.
PersonConsents = Callable[[Any, Any], list[Any]]
# (actor, case) -> shares of the case, newest first.
CaseShares = Callable[[Any, Any], list[Any]]
# (actor, case, person ids subquery, show names) -> timeline items (``selectors.TimelineItem``).
CaseTimelineItems = Callable[[Any, Any, Any, bool], list[Any]]

_person_consents: list[PersonConsents] = []
_case_shares: list[CaseShares] = []
_timeline_items: list[CaseTimelineItems] = []
# Extra fields of the API's person detail (name -> serializer field factory).
_person_api_fields: dict[str, Callable[[], Any]] = {}


def provide_person_consents(provider: PersonConsents) -> PersonConsents:
    if provider not in _person_consents:
        _person_consents.append(provider)
    return provider


def provide_case_shares(provider: CaseShares) -> CaseShares:
    if provider not in _case_shares:
        _case_shares.append(provider)
    return provider


def provide_case_timeline_items(provider: CaseTimelineItems) -> CaseTimelineItems:
    if provider not in _timeline_items:
        _timeline_items.append(provider)
    return provider


def provide_person_api_field(name: str, field: Callable[[], Any]) -> None:
    """Add ``name`` to the API's person detail, as ``field()`` (a serializer field) renders it
    from the person detail's attribute of that name."""
    _person_api_fields[name] = field


def person_consents(actor: Any, person_ids: Any) -> list[Any]:
    return [c for provider in _person_consents for c in provider(actor, person_ids)]


def case_shares(actor: Any, case: Any) -> list[Any]:
    return [s for provider in _case_shares for s in provider(actor, case)]


def case_timeline_items(actor: Any, case: Any, person_ids: Any, show_names: bool) -> list[Any]:
    return [i for p in _timeline_items for i in p(actor, case, person_ids, show_names)]


def person_api_fields() -> dict[str, Any]:
    return {name: factory() for name, factory in _person_api_fields.items()}
