"""The API's exception handler: refusals and bad tokens audited, then the one error shape.

It lives in the audit app because auditing is what it adds to ``setu.core.api``, which knows
no app; the API bypasses the page middleware that audits refused pages.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.response import Response

from setu.access.actor import client_ip
from setu.audit import services as audit
from setu.audit.models import AuditAction, Outcome
from setu.core import api as core_api
from setu.core.errors import Denied


def _audit_refusal(exc: Exception, context: dict[str, Any]) -> None:
    """Record a refusal, as the UI middleware does; the API bypasses that middleware."""
    request = context.get("request")
    if request is None:
        return
    if isinstance(exc, Denied):
        audit.denial_record(request=request, exc=exc)
    elif isinstance(exc, exceptions.AuthenticationFailed):
        # A wrong or revoked token is a failed sign-in; the token itself is never stored.
        audit.record(
            actor=None,
            action=AuditAction.LOGIN_FAILED,
            outcome=Outcome.FAILED,
            details={"via": "api_token", "path": request.path, "method": request.method},
            ip_address=client_ip(request),
        )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The API's exception handler: audit refusals and bad tokens, then answer in the one shape."""
    _audit_refusal(exc, context)
    return core_api.exception_handler(exc, context)
