"""Audit of lockouts by django-axes (a signal used only to write the audit trail)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver


@receiver(user_locked_out)
def _locked_out(
    sender: Any, request: Any = None, ip_address: str | None = None, **kwargs: Any
) -> None:
    from setu.accounts.services import lockout_record

    # ``username`` is in kwargs but deliberately dropped: it may be a mistyped password or a name.
    lockout_record(ip_address=ip_address)
