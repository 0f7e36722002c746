"""Background tasks of the notifications context (Django tasks; the database backend in production)."""

from __future__ import annotations

from django.tasks import task


@task
def send_notice_digests() -> int:
    """Send the daily email digests that are due; returns how many went out."""
    from setu.notifications import services

    return services.digest_send()
