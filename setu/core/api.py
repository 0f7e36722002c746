"""One error shape for the API: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from setu.core.errors import Forbidden, InvalidInput, NotFound


def _error(code: str, message: str, http_status: int, fields: Any = None) -> Response:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return Response(body, status=http_status)


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
    return _error(str(code), str(detail), response.status_code)
