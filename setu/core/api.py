"""One error shape for the API: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, generics, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from setu.access.actor import Actor, actor_of
from setu.core.errors import Denied, Forbidden, InvalidInput, NotFound


def _error(
    code: str, message: str, http_status: int, fields: Any = None, headers: Any = None
) -> Response:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return Response(body, status=http_status, headers=headers)


def _audit_refusal(exc: Exception, context: dict[str, Any]) -> None:
    """Record a refusal, as the UI middleware does; the API bypasses that middleware."""
    request = context.get("request")
    if request is None:
        return
    if isinstance(exc, Denied):
        from setu.audit import services as audit

        audit.denial_record(request=request, exc=exc)
    elif isinstance(exc, exceptions.AuthenticationFailed):
        # A wrong or revoked token is a failed sign-in; the token itself is never stored.
        from setu.access.actor import client_ip
        from setu.audit import services as audit
        from setu.audit.services import AuditAction, Outcome

        audit.record(
            actor=None,
            action=AuditAction.LOGIN_FAILED,
            outcome=Outcome.FAILED,
            details={"via": "api_token", "path": request.path, "method": request.method},
            ip_address=client_ip(request),
        )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map Setu and Django errors to the API error shape; never echo internals.

    Refusals by the access policy (NotFound, Forbidden) and bad tokens are audited here.
    """
    _audit_refusal(exc, context)
    if isinstance(exc, NotFound | Http404):
        return _error("not_found", "Not found.", status.HTTP_404_NOT_FOUND)
    if isinstance(exc, Forbidden):
        return _error("forbidden", str(exc) or "Not allowed.", status.HTTP_403_FORBIDDEN)
    if isinstance(exc, InvalidInput):
        return _error("invalid", "Some fields are not valid.", 400, exc.errors)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return _error("invalid", "Some fields are not valid.", 400, fields)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return _error("invalid", "Some fields are not valid.", response.status_code, response.data)
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    code = getattr(exc, "default_code", "error")
    # Keep WWW-Authenticate (401) and Retry-After (429) from DRF's own response.
    kept = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After")}
    return _error(str(code), str(detail), response.status_code, headers=kept)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes Setu's bearer tokens in the OpenAPI schema."""

    target_class = "setu.accounts.api_auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "bearerFormat": "setu_…"}


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


def paginated(view: Any, request: Any, items: Any, serializer: type[Any]) -> Response:
    """A LimitOffset page of ``items`` (a scoped queryset or list) in ``serializer``'s shape."""
    paginator = LimitOffsetPagination()
    page = paginator.paginate_queryset(items, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)
