"""Background work of field operations (Django tasks; the database backend survives restarts)."""

from __future__ import annotations

from django.tasks import task


@task
def sweep() -> int:
    """Raise alerts for missed check-ins and take due escalation steps; returns steps taken."""
    from setu.fieldops import services

    return services.checkin_sweep().steps


@task
def advance_alert(alert_id: str) -> int:
    """Take the due escalation steps of one alert."""
    from setu.fieldops import services

    return services.alert_advance(alert_id=alert_id)
