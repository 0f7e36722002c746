"""What the registry tells other apps after it writes a person or an event: explicit subscribers.

Matching registers here in its ``AppConfig.ready`` (re-index and re-check after the commit);
the registry calls ``person_saved`` / ``event_recorded`` once per write service and knows
nothing of who listens. Not Django signals: the list is explicit and typed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

PersonSavedHandler = Callable[[uuid.UUID], None]
EventRecordedHandler = Callable[[uuid.UUID], None]

_person_saved: list[PersonSavedHandler] = []
_event_recorded: list[EventRecordedHandler] = []


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


def person_saved(person_id: Any) -> None:
    """A person (names, places, phones, case links, consent) changed in this transaction."""
    for handler in _person_saved:
        handler(person_id)


def event_recorded(event_id: Any) -> None:
    """A trafficking event was recorded or corrected in this transaction."""
    for handler in _event_recorded:
        handler(event_id)
