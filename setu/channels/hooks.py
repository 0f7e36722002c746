"""What arrives by phone, and which app answers it.

The channels app receives SMS, missed calls and flow-engine results from a pluggable adapter
(console for development and tests, RapidPro in production) and hands each to the app that
registered for it, without importing that app. Apps register in their ``AppConfig.ready``:

* ``register_keyword("CHECKIN", handler)`` — an SMS whose first word is the keyword;
* ``register_missed_call("checkin", handler)`` — a missed call to the line configured for that
  purpose;
* ``register_flow("feedback", handler)`` — the results of a flow run in the flow engine.

The sender's number is personal data: handlers may match it against what they hold, but it
is never logged, audited or put in a URL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class InboundMessage:
    """One SMS or missed call, as the adapter received it."""

    channel: str  # "sms" or "missed_call"
    sender: str  # the caller's number, normalised to +91XXXXXXXXXX where it is Indian
    text: str  # the SMS text after the keyword ("" for a missed call)
    received_at: datetime
    line: str = ""  # for a missed call: the purpose of the number dialled ("feedback", "checkin")


@dataclass(frozen=True)
class FlowResult:
    """The answers of one completed flow run (a survey or check-in by IVR, SMS or web)."""

    flow: str  # the purpose the flow was registered under
    sender: str  # the contact's number, normalised like InboundMessage.sender
    results: Mapping[str, str]  # result name → value (the category where the engine has one)
    received_at: datetime
    run_id: str = ""  # the engine's id for the run: a second delivery of it is ignored
    extra: Mapping[str, str] = field(default_factory=dict)  # parameters the flow was started with


# A handler returns the text of the SMS reply, or None for no reply.
MessageHandler = Callable[[InboundMessage], str | None]
FlowHandler = Callable[[FlowResult], None]

_keywords: dict[str, MessageHandler] = {}
_missed_calls: dict[str, MessageHandler] = {}
_flows: dict[str, FlowHandler] = {}


def _register(table: dict, key: str, handler: Callable) -> None:
    if table.get(key) not in (None, handler):
        raise ValueError(f"{key!r} is already registered")
    table[key] = handler


def register_keyword(keyword: str, handler: MessageHandler) -> None:
    """Answer SMS messages whose first word is ``keyword`` (any case, any script's digits)."""
    _register(_keywords, keyword.strip().upper(), handler)


def register_missed_call(line: str, handler: MessageHandler) -> None:
    """Answer missed calls to the number configured for ``line``."""
    _register(_missed_calls, line, handler)


def register_flow(flow: str, handler: FlowHandler) -> None:
    """Receive the results of flows started or configured under ``flow``."""
    _register(_flows, flow, handler)


def keyword_handler(keyword: str) -> MessageHandler | None:
    """The handler registered for ``keyword``, if any."""
    return _keywords.get(keyword.strip().upper())


def missed_call_handler(line: str) -> MessageHandler | None:
    """The handler registered for missed calls on ``line``, if any."""
    return _missed_calls.get(line)


def flow_handler(flow: str) -> FlowHandler | None:
    """The handler registered for ``flow``, if any."""
    return _flows.get(flow)


def registered_keywords() -> list[str]:
    """Every keyword some app answers, for the help reply to an unknown keyword."""
    return sorted(_keywords)
