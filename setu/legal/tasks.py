"""Background tasks of the legal context (Django tasks; the database backend in production)."""

from __future__ import annotations

from django.tasks import task


@task
def send_hearing_reminders() -> int:
    """Remind legal officers (and consenting survivors) of coming hearings; returns how many."""
    from setu.legal import services

    return services.hearing_reminders_send()
