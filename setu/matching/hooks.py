"""What matching does when a person changes: enqueue matching after the commit.

Registered with ``setu.registry.hooks`` in ``MatchingConfig.ready`` (the registry does not
import matching). No business logic here: it schedules the task (once per person per
transaction, however many write services touched them) and marks the record as being checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction


def _scheduled(tag: tuple[str, str]) -> bool:
    """Whether this transaction already has a callback for ``tag`` (a person saved, then given
    an address and a consent, is checked once)."""
    connection = transaction.get_connection()
    return any(
        getattr(func, "setu_matching", None) == tag for *_s, func, _r in connection.run_on_commit
    )


def _after_commit(tag: tuple[str, str], enqueue: Callable[[], None]) -> None:
    if _scheduled(tag):
        return
    enqueue.setu_matching = tag  # type: ignore[attr-defined]
    transaction.on_commit(enqueue)


def person_changed(person_id: Any) -> None:
    """After this transaction commits, re-index and re-check the person in the background."""

    def enqueue() -> None:
        from setu.matching import services, tasks

        services.mark_queued([person_id])
        tasks.person_changed.enqueue(person_id=str(person_id))

    _after_commit(("person", str(person_id)), enqueue)


def event_recorded(event_id: Any) -> None:
    """After this transaction commits, check the event's persons (alerts, missing <-> found)."""

    def enqueue() -> None:
        from setu.matching import tasks

        tasks.event_recorded.enqueue(event_id=str(event_id))

    _after_commit(("event", str(event_id)), enqueue)
