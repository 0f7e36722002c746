"""Fixtures of the channels tests: a private copy of the hook tables, and handlers in it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from setu.channels import hooks
from setu.channels.adapters import ConsoleFlowStarter

SECRET = "test-only-channels-secret"  # setu/test_settings.py
AUTH = {"HTTP_X_SETU_SECRET": SECRET}
RAPIDPRO_FLOW_UUID = "f2b0c3d4-5e6f-4a1b-9c2d-3e4f5a6b7c8d"
FEEDBACK_LINE = "+911234500001"


@dataclass
class Calls:
    """What the test handlers were given."""

    messages: list[hooks.InboundMessage] = field(default_factory=list)
    results: list[hooks.FlowResult] = field(default_factory=list)


@pytest.fixture
def tables(monkeypatch):
    """The hook tables as the apps left them, restored after the test."""
    for name in ("_keywords", "_missed_calls", "_flows"):
        monkeypatch.setattr(hooks, name, dict(getattr(hooks, name)))


@pytest.fixture
def calls(tables, settings) -> Calls:
    """A keyword ZZCHECK, a missed-call line zzline and a flow zzflow, each recording its calls."""
    seen = Calls()

    def on_sms(message: hooks.InboundMessage) -> str:
        seen.messages.append(message)
        return f"Checked in: {message.text}"

    def on_call(message: hooks.InboundMessage) -> None:
        seen.messages.append(message)
        return None

    hooks.register_keyword("zzcheck", on_sms)
    hooks.register_missed_call("zzline", on_call)
    hooks.register_flow("zzflow", seen.results.append)
    settings.SETU_CHANNELS_LINES = {"zzline": FEEDBACK_LINE, "unhandled": "+911234500009"}
    settings.SETU_CHANNELS_FLOWS = {"zzflow": RAPIDPRO_FLOW_UUID, "zzivr": "ivr-flow-uuid"}
    return seen


@pytest.fixture
def outbox():
    """The console flow starter's starts during the test."""
    ConsoleFlowStarter.outbox.clear()
    yield ConsoleFlowStarter.outbox
    ConsoleFlowStarter.outbox.clear()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
