"""Auditing of refusals, outside the (rolled-back) transaction of the refused request."""

from __future__ import annotations

from django.http import HttpRequest

from setu.access.actor import actor_of, client_ip
from setu.core.errors import Denied


def record_denial(request: HttpRequest, exc: Denied) -> None:
    """Write a DENIED audit entry for a refused request."""
    from setu.audit import services as audit
    from setu.audit.services import AuditAction, Outcome

    user = getattr(request, "user", None)
    actor = actor_of(request) if user is not None and user.is_authenticated else None
    target = exc.target or ("url", "", None)
    audit.record(
        actor=actor,
        action=AuditAction.DENIED,
        outcome=Outcome.DENIED,
        target=target,
        details={"attempted": exc.action, "path": request.path, "method": request.method},
        ip_address=client_ip(request),
    )
