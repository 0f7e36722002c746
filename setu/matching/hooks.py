"""What other contexts call when a person changes: enqueue matching after the commit.

The only matching entry point the registry services use, one line per write service. No
business logic here: it schedules the task and marks the record as being checked.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


def person_changed(person_id: Any) -> None:
    """After this transaction commits, re-index and re-check the person in the background."""

    def enqueue() -> None:
        from setu.matching import services, tasks

        services.mark_queued([person_id])
        tasks.person_changed.enqueue(person_id=str(person_id))

    transaction.on_commit(enqueue)


def event_recorded(event_id: Any) -> None:
    """After this transaction commits, check the event's persons (alerts, missing <-> found)."""

    def enqueue() -> None:
        from setu.matching import tasks

        tasks.event_recorded.enqueue(event_id=str(event_id))

    transaction.on_commit(enqueue)
