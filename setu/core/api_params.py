"""The API accepts exactly the query parameters its OpenAPI schema declares, with fitting values.

Kept apart from ``setu.core.api``: DRF imports permission classes while ``rest_framework.views``
is still loading, so this module must not import that (nor anything that does).
"""

from __future__ import annotations

import datetime
import logging
import re
import uuid
from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# Accepted on every operation: DRF's format override, and paging (also on POSTed searches).
ALWAYS_ALLOWED_PARAMS = frozenset({"format", "limit", "offset"})


def _openapi_path(route: str) -> str:
    """``api/v1/cases/<uuid:case_id>/`` -> ``/api/v1/cases/{case_id}/`` (drf-spectacular's form)."""
    return "/" + re.sub(r"<(?:[^>:]+:)?([^>]+)>", r"{\1}", route)


@cache
def _declared_parameters() -> dict[tuple[str, str], dict[str, dict[str, Any]]]:
    """(path, method) -> query parameter name -> its resolved schema, from the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            return components.get(ref.rsplit("/", 1)[1], {})
        return node

    declared: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            params = {
                p["name"]: resolve(p.get("schema", {}))
                for p in operation.get("parameters", [])
                if p.get("in") == "query"
            }
            declared[(path, method.upper())] = params
    return declared


def _value_problem(raw: str, schema: dict[str, Any]) -> str:
    """Why ``raw`` does not fit the parameter's schema ('' when it fits)."""
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items", {})
        return next((p for v in raw.split(",") if (p := _value_problem(v, items))), "")
    if "enum" in schema and raw not in [str(v) for v in schema["enum"] if v is not None]:
        if raw == "" and (None in schema["enum"] or "" in schema["enum"]):
            return ""
        return _("Not one of the allowed values.")
    fmt = schema.get("format")
    try:
        if kind == "integer":
            if not re.fullmatch(r"-?\d{1,19}", raw):
                return _("Must be a whole number.")
            value = int(raw)
            low, high = schema.get("minimum"), schema.get("maximum")
            if (low is not None and value < low) or (high is not None and value > high):
                return _("Out of range.")
        elif kind == "boolean":
            if raw.lower() not in {"true", "false", "1", "0", ""}:
                return _("Must be true or false.")
        elif fmt == "date" and raw:
            datetime.date.fromisoformat(raw)
        elif fmt == "uuid" and raw:
            uuid.UUID(raw)
    except ValueError:
        return _("Not valid.")
    return ""


def check_query_params(request: Any, view: Any) -> None:
    """Refuse (400) query parameters the operation does not declare, and values that do not fit."""
    match = getattr(request, "resolver_match", None)
    if match is None or not request.path.startswith(API_PREFIX):
        return
    declared = _declared_parameters().get((_openapi_path(match.route), request.method))
    if declared is None:  # not in the schema (e.g. OPTIONS): nothing to compare with
        return
    problems: dict[str, list[str]] = {}
    for name in request.query_params:
        if name in ALWAYS_ALLOWED_PARAMS:
            # Paging checks its own values (and caps a large limit rather than refusing it).
            continue
        if name not in declared:
            problems[name] = [_("Unknown query parameter.")]
            continue
        for raw in request.query_params.getlist(name):
            if problem := _value_problem(raw, declared[name]):
                problems[name] = [problem]
                break
    if problems:
        raise exceptions.ValidationError(problems)


class QueryParamsAsDeclared(BasePermission):
    """A permission that never denies: it answers 400 for query parameters the schema lacks."""

    def has_permission(self, request: Any, view: Any) -> bool:
        check_query_params(request, view)
        return True


def warm_up() -> None:
    """Build the parameter table now (at server start); a failure is left to the first request."""
    try:
        _declared_parameters()
    except Exception:  # the first API request will build it again, or fail visibly
        logger.exception("could not prepare the API parameter table")
