"""Background tasks of the referral network (Django tasks; the database backend in production)."""

from __future__ import annotations

from django.tasks import task


@task
def send_referral_reminders() -> int:
    """Sweep for referrals waiting too long and remind the organisations; returns how many."""
    from setu.referrals import services

    return services.referral_reminders_send()
