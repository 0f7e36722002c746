"""The OpenAPI schema is generated without a single warning or error and documents every
/api/v1/ endpoint, so that API clients can rely on it."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

API_PREFIX = "/api/v1/"
METHODS = {"get", "post", "put", "patch", "delete"}


def _routes(patterns: list[Any], prefix: str = "/") -> list[str]:
    """Every URL of the project as a route string, e.g. ``/api/v1/services/{service_id}/``."""
    found: list[str] = []
    for entry in patterns:
        here = prefix + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(entry.pattern))
        if isinstance(entry, URLResolver):
            found.extend(_routes(entry.url_patterns, here))
        elif isinstance(entry, URLPattern):
            found.append(here)
    return found


@pytest.fixture(scope="module")
def generated() -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The public schema and every message drf-spectacular emitted while generating it."""
    messages: list[tuple[str, str]] = []
    emit = GENERATOR_STATS.emit

    def record(msg: str, severity: str) -> None:
        messages.append((severity, str(msg)))
        emit(msg, severity)

    GENERATOR_STATS.reset()
    GENERATOR_STATS.emit = record  # type: ignore[method-assign]
    try:
        schema = SchemaGenerator().get_schema(request=None, public=True)
    finally:
        del GENERATOR_STATS.emit
        GENERATOR_STATS.reset()
    return schema, messages


def test_schema_generates_without_warnings_or_errors(generated):
    _schema, messages = generated
    assert messages == []


def test_schema_is_valid_openapi(generated):
    schema, _messages = generated
    validate_schema(schema)  # raises on an invalid document


def test_every_api_v1_path_is_in_the_schema(generated):
    schema, _messages = generated
    expected = {r for r in _routes(get_resolver().url_patterns) if r.startswith(API_PREFIX)}
    assert len(expected) > 20  # the walk found the API, not nothing
    missing = expected - set(schema["paths"])
    assert missing == set()


def test_every_operation_has_a_unique_id_a_tag_and_a_success_response(generated):
    schema, _messages = generated
    ids: Counter[str] = Counter()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            ids[operation["operationId"]] += 1
            assert operation.get("tags"), f"{method.upper()} {path} has no tag"
            assert any(code.startswith("2") for code in operation["responses"]), (
                f"{method.upper()} {path} documents no success response"
            )
    assert [op for op, n in ids.items() if n > 1] == []
