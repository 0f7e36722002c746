"""One error shape for the API: ``{"error": {"code", "message", "fields"}}``; strict paging.

Nothing here knows Setu's apps: auditing refusals is added by ``setu.audit.api``, which is the
exception handler the settings name. This module depends on Django, DRF and drf-spectacular only.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from setu.core.errors import Forbidden, InvalidInput, NotFound

API_PREFIX = "/api/"
# Larger numbers overflow the database's integer parameters (a 500 before this check).
MAX_OFFSET = 2**31 - 1


def flat_fields(fields: Any, prefix: str = "") -> dict[str, list[str]]:
    """Field errors as the schema promises them: ``{"name": ["message", …]}``.

    DRF nests the errors of list items and nested objects (``{"languages": {"0": [...]}}``).
    A list item's messages go to the list's own name (``languages``: the field a client knows);
    a nested object's fields get dotted names (``address.village``). Every value is then a list
    of strings, as the schema says.
    """
    out: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        messages = out.setdefault(name or "__all__", [])
        if message not in messages:
            messages.append(message)

    def walk(value: Any, name: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                key = str(key)
                walk(inner, name if key.isdigit() else (f"{name}.{key}" if name else key))
        elif isinstance(value, list | tuple):
            for inner in value:
                walk(inner, name)
        else:
            add(name, str(value))

    walk(fields, prefix)
    return out


def error_body(code: str, message: str, fields: Any = None) -> dict[str, Any]:
    """The body of every API error."""
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = flat_fields(fields)
    return body


def _error(
    code: str, message: str, http_status: int, fields: Any = None, headers: Any = None
) -> Response:
    return Response(error_body(code, message, fields), status=http_status, headers=headers)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map Setu and Django errors to the API error shape; never echo internals."""
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


# --- Paging ----------------------------------------------------------------------------------


def max_page_size() -> int:
    """The largest page any list answers (``SETU_API_MAX_PAGE_SIZE``)."""
    return int(getattr(settings, "SETU_API_MAX_PAGE_SIZE", 200))


def _whole_number(name: str, raw: str, *, minimum: int, maximum: int | None) -> int:
    # Digits only (no sign, spaces or exponent), and few enough that int() stays cheap.
    if not re.fullmatch(r"\d{1,19}", raw) or int(raw) < minimum:
        raise exceptions.ValidationError(
            {name: [_("Must be a whole number of at least %(n)d.") % {"n": minimum}]}
        )
    value = int(raw)
    if maximum is not None and value > maximum:
        raise exceptions.ValidationError({name: [_("Must be at most %(n)d.") % {"n": maximum}]})
    return value


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=``; a limit above the maximum is capped, a malformed one is a 400."""

    @property
    def max_limit(self) -> int:  # type: ignore[override]
        return max_page_size()

    def get_limit(self, request: Any) -> int:
        raw = request.query_params.get(self.limit_query_param)
        if raw is None:
            return min(self.default_limit or max_page_size(), max_page_size())
        return min(_whole_number("limit", raw, minimum=1, maximum=None), max_page_size())

    def get_offset(self, request: Any) -> int:
        raw = request.query_params.get(self.offset_query_param)
        if raw is None:
            return 0
        return _whole_number("offset", raw, minimum=0, maximum=MAX_OFFSET)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == "limit":
                param["schema"].update({"minimum": 1, "maximum": max_page_size()})
                param["description"] = (
                    f"Number of results to return per page (default {self.default_limit}, "
                    f"at most {max_page_size()}; a larger limit is capped)."
                )
            else:
                param["schema"].update({"minimum": 0, "maximum": MAX_OFFSET})
        return params


def valid_input(serializer_class: type[Any], data: Any, **kwargs: Any) -> dict[str, Any]:
    """Validated input as a plain dict; bad input is a 400 naming the fields."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def paginated(view: Any, request: Any, items: Any, serializer: type[Any]) -> Response:
    """A LimitOffset page of ``items`` (a scoped queryset or list) in ``serializer``'s shape."""
    paginator = Pagination()
    page = paginator.paginate_queryset(items, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


# --- The schema lists every status an operation may answer ----------------------------------------

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}

_ERROR_DESCRIPTIONS = {
    "400": "Bad input or query parameters (nothing was saved).",
    "401": "No token, or a wrong, expired or revoked one.",
    "403": "Visible, but this role or organisation may not do this.",
    "404": "Not found, or not visible to you.",
    "429": "Too many requests; see Retry-After.",
}


def declare_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add 400/401/403/404/429 in the error shape to each
    operation under /api/v1/ (every one of them can answer these)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        if not path.startswith(API_PREFIX + "v1/"):
            continue
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in _ERROR_DESCRIPTIONS.items():
                responses.setdefault(code, {"description": description, "content": ref})
    return result
