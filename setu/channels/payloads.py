"""What each webhook's body must hold, read into plain values; ``InvalidInput`` names each
missing or malformed field. No Django request here: the views read the body, this checks it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from setu.core.errors import InvalidInput

MAX_TEXT = 1600  # ten concatenated SMS
MAX_ID = 200
MAX_RESULTS = 100
MAX_VALUE = 640
# RapidPro's names for "anything else": the value the contact gave says more than these.
CATCH_ALL_CATEGORIES = frozenset({"", "all responses", "other", "success", "failure"})


class UnsupportedBody(Exception):
    """A body that is neither JSON nor a URL-encoded form."""


def body_data(body: bytes, content_type: str) -> dict[str, Any]:
    """The body as a dict: a JSON object, or a URL-encoded form (last value of each field)."""
    if content_type == "application/json":
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise InvalidInput({"__all__": ["The body is not valid JSON."]}) from None
        if not isinstance(data, dict):
            raise InvalidInput({"__all__": ["The body must be a JSON object."]})
        return data
    if content_type == "application/x-www-form-urlencoded":
        try:
            form = QueryDict(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise InvalidInput({"__all__": ["The form is not UTF-8."]}) from None
        return {key: form[key] for key in form}
    raise UnsupportedBody


def _text(
    data: Mapping[str, Any],
    names: tuple[str, ...],
    errors: dict[str, list[str]],
    *,
    required: bool = True,
    limit: int = MAX_TEXT,
) -> str:
    for name in names:
        if name in data and data[name] is not None:
            value = data[name]
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, str):
                errors.setdefault(names[0], []).append("Must be text.")
                return ""
            if len(value) > limit:
                errors.setdefault(names[0], []).append(f"At most {limit} characters.")
                return ""
            return value
    if required:
        also = f" (or {', '.join(names[1:])})" if len(names) > 1 else ""
        errors.setdefault(names[0], []).append(f"This field is required{also}.")
    return ""


def _check(errors: dict[str, list[str]]) -> None:
    if errors:
        raise InvalidInput(errors)


@dataclass(frozen=True)
class SmsIn:
    """An inbound SMS as a gateway posts it."""

    sender: str
    text: str
    message_id: str = ""


def sms_in(data: Mapping[str, Any]) -> SmsIn:
    """``sender`` (or ``from``), ``text``, optional ``id``."""
    errors: dict[str, list[str]] = {}
    sender = _text(data, ("sender", "from"), errors, limit=40)
    text = _text(data, ("text",), errors)
    message_id = _text(data, ("id",), errors, required=False, limit=MAX_ID)
    _check(errors)
    return SmsIn(sender, text, message_id)


@dataclass(frozen=True)
class MissedCallIn:
    """A missed call as a gateway posts it."""

    caller: str
    called: str
    call_id: str = ""


def missed_call_in(data: Mapping[str, Any]) -> MissedCallIn:
    """``caller`` (or ``from``), ``called`` (or ``to``: the line rung), optional ``id``."""
    errors: dict[str, list[str]] = {}
    caller = _text(data, ("caller", "from"), errors, limit=40)
    called = _text(data, ("called", "to"), errors, limit=40)
    call_id = _text(data, ("id",), errors, required=False, limit=MAX_ID)
    _check(errors)
    return MissedCallIn(caller, called, call_id)


@dataclass(frozen=True)
class FlowResultIn:
    """The body of RapidPro's "Call Webhook" action (its default body, plus ``run``)."""

    urn: str
    flow_uuid: str
    flow_name: str
    results: Mapping[str, str]
    run_id: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


def _object(data: Mapping[str, Any], name: str, errors: dict[str, list[str]]) -> Mapping[str, Any]:
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.setdefault(name, []).append("Must be an object.")
        return {}
    return value


def _scalar(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def result_value(result: Any) -> str | None:
    """One result's answer: its category, unless that is a catch-all ("All Responses",
    "Other", "Has Text"…), when the value the contact gave says more. None when malformed."""
    if not isinstance(result, dict):
        return _scalar(result)
    value, category = _scalar(result.get("value")), _scalar(result.get("category"))
    if value is None or category is None:
        return None
    if category.strip().lower() in CATCH_ALL_CATEGORIES or category.startswith("Has "):
        return value
    return category


def flow_result_in(data: Mapping[str, Any]) -> FlowResultIn:
    """``contact.urn`` (``tel:+91…``), ``flow.uuid`` or ``flow.name``, ``results`` (name →
    ``{value, category}``), optional ``run.uuid`` and ``params`` (or ``extra``)."""
    errors: dict[str, list[str]] = {}
    contact, flow = _object(data, "contact", errors), _object(data, "flow", errors)
    urn = _text(contact, ("urn",), errors, limit=60)
    if urn and not urn.lower().startswith("tel:"):
        errors.setdefault("contact.urn", []).append("Only tel: contacts are handled.")
    if "urn" in errors:
        errors["contact.urn"] = errors.pop("urn")
    flow_uuid = _text(flow, ("uuid",), errors, required=False, limit=64)
    flow_name = _text(flow, ("name",), errors, required=False, limit=128)
    if not flow_uuid and not flow_name:
        errors.setdefault("flow", []).append("Give flow.uuid or flow.name.")
    run = _object(data, "run", errors)
    run_id = _text(run, ("uuid",), errors, required=False, limit=MAX_ID)
    raw = _object(data, "results", errors)
    if len(raw) > MAX_RESULTS:
        errors.setdefault("results", []).append(f"At most {MAX_RESULTS} results.")
        raw = {}
    results: dict[str, str] = {}
    for name, result in raw.items():
        value = result_value(result)
        if value is None or len(value) > MAX_VALUE or len(str(name)) > 64:
            errors.setdefault(f"results.{name}"[:80], []).append(
                "Must be {value, category} with text values of a reasonable length."
            )
        else:
            results[str(name)] = value
    params = _object(data, "params", errors) or _object(data, "extra", errors)
    extra: dict[str, str] = {}
    for name, value in list(params.items())[:MAX_RESULTS]:
        text = _scalar(value)
        if text is not None and len(text) <= MAX_VALUE:
            extra[str(name)] = text
    _check(errors)
    return FlowResultIn(urn[4:], flow_uuid, flow_name, results, run_id, extra)
