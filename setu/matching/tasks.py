"""Background tasks of matching (Django tasks; the database backend in production).

Matching never runs in a web request: registry services enqueue these after their transaction
commits (see ``hooks``), and a worker (``setu db_worker``) runs them.
"""

from __future__ import annotations

from django.tasks import task


@task
def person_changed(person_id: str) -> dict[str, int]:
    """Re-index one person and check them against their organisation and the network."""
    from setu.matching import services

    outcome = services.person_check(person_id=person_id)
    return {"duplicates": outcome.duplicates, "cross_org": outcome.cross_org}


@task
def event_recorded(event_id: str) -> int:
    """Re-index the persons of a new event, match them and raise re-trafficking alerts."""
    from setu.matching import services

    return services.event_check(event_id=event_id)
