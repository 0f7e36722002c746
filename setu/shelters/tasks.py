"""Background jobs on the task queue (``django.tasks``; the database backend survives restarts)."""

from __future__ import annotations

from django.tasks import task

from setu.shelters import services


@task
def expire_bed_hold(hold_id: str) -> bool:
    """End one bed hold when its time has run out (enqueued with ``run_after`` = expiry)."""
    return services.bed_hold_expire(hold_id=hold_id)


@task
def release_expired_holds() -> int:
    """Sweep every hold past its time, in case an expiry task was lost."""
    return services.bed_holds_release_expired()


@task
def nudge_stale_capacity() -> int:
    """Ask shelters whose bed counts are stale to confirm them."""
    return services.capacity_nudge_stale()
