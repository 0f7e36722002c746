"""Audit of logins, logouts and failed logins (auth signals carry no business logic here)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver


def _ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from setu.audit.models import AuditAction
    from setu.audit.services import record

    record(actor=None, user=user, action=AuditAction.LOGIN, target=user, ip_address=_ip(request))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from setu.audit.models import AuditAction
    from setu.audit.services import record

    if user is not None:
        record(
            actor=None, user=user, action=AuditAction.LOGOUT, target=user, ip_address=_ip(request)
        )


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    from setu.audit.models import AuditAction, Outcome
    from setu.audit.services import record

    # The attempted login name is not stored: it may be a mistyped password or a person's name.
    record(
        actor=None, action=AuditAction.LOGIN_FAILED, outcome=Outcome.FAILED, ip_address=_ip(request)
    )
