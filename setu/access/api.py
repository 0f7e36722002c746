"""The API's hooks into access: refusals audited, lists that start from a policy-scoped selector."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from rest_framework import exceptions, generics
from rest_framework.response import Response

from setu.access.actor import Actor, actor_of, client_ip
from setu.access.denials import record_denial
from setu.core import api as core_api
from setu.core.errors import Denied


def _audit_refusal(exc: Exception, context: dict[str, Any]) -> None:
    """Record a refusal, as the UI middleware does; the API bypasses that middleware."""
    request = context.get("request")
    if request is None:
        return
    if isinstance(exc, Denied):
        record_denial(request, exc)
    elif isinstance(exc, exceptions.AuthenticationFailed):
        # A wrong or revoked token is a failed sign-in; the token itself is never stored.
        from setu.audit import services as audit
        from setu.audit.models import AuditAction, Outcome

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


class ScopedListApi(generics.ListAPIView):
    """A list endpoint whose rows always come from a policy-scoped selector.

    Subclasses set ``model`` and implement ``scoped(actor)``; nothing else feeds the list.
    """

    model: type[Model]

    def scoped(self, actor: Actor) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            # Schema generation only needs the model; no request, no actor, no rows.
            return self.model._default_manager.none()
        return self.scoped(actor_of(self.request))
