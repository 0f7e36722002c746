"""Outbound: who starts an IVR or SMS flow for a number (the free call-back after a missed call).

``SETU_FLOW_STARTER`` names the class (a dotted path, like ``SETU_SMS_CHANNEL``):
``ConsoleFlowStarter`` keeps starts in memory for development and tests; ``RapidProFlowStarter``
asks RapidPro's ``flow_starts.json`` API. Setu does not run flows itself.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from setu.channels._phone import masked

log = logging.getLogger("setu.channels")


class FlowStartError(Exception):
    """The flow engine did not accept the start; the message never holds the number."""


class FlowStarter(Protocol):
    """Starts a flow (by its Setu purpose, e.g. ``feedback_ivr``) for one phone number."""

    def start(self, flow: str, number: str, params: Mapping[str, str]) -> None:
        """Start ``flow`` for ``number`` (+91…) with ``params``; raise ``FlowStartError``."""


@dataclass(frozen=True)
class ConsoleStart:
    """One start the console starter was asked for."""

    flow: str
    number: str
    params: Mapping[str, str] = field(default_factory=dict)


class ConsoleFlowStarter:
    """Development and tests: remembers starts in memory and logs them without the number."""

    outbox: list[ConsoleStart] = []

    def start(self, flow: str, number: str, params: Mapping[str, str]) -> None:
        """Remember the start; log the flow and the last two digits only."""
        log.info("flow start (console): %s for %s", flow, masked(number))
        ConsoleFlowStarter.outbox.append(ConsoleStart(flow, number, dict(params)))


def flow_uuids() -> dict[str, str]:
    """Purpose → RapidPro flow UUID (or name), from ``SETU_CHANNELS_FLOWS``."""
    return dict(getattr(settings, "SETU_CHANNELS_FLOWS", {}) or {})


class RapidProFlowStarter:
    """Production: ``POST {SETU_RAPIDPRO_URL}/api/v2/flow_starts.json`` with the API token."""

    def __init__(self) -> None:
        self.base_url = (getattr(settings, "SETU_RAPIDPRO_URL", "") or "").rstrip("/")
        self.token = getattr(settings, "SETU_RAPIDPRO_TOKEN", "") or ""
        self.timeout = getattr(settings, "SETU_RAPIDPRO_TIMEOUT", 10)
        if not self.base_url or not self.token:
            raise ImproperlyConfigured(
                "RapidProFlowStarter needs SETU_RAPIDPRO_URL and SETU_RAPIDPRO_TOKEN"
            )

    def start(self, flow: str, number: str, params: Mapping[str, str]) -> None:
        """Ask RapidPro to start the flow mapped to ``flow`` for the contact ``tel:number``."""
        uuid = flow_uuids().get(flow)
        if not uuid:
            raise FlowStartError(f"no RapidPro flow is mapped to {flow!r} in SETU_CHANNELS_FLOWS")
        body = json.dumps({"flow": uuid, "urns": [f"tel:{number}"], "params": dict(params)})
        request = urllib.request.Request(  # noqa: S310 (the scheme is the operator's setting)
            f"{self.base_url}/api/v2/flow_starts.json",
            data=body.encode("utf-8"),
            method="POST",
            headers={
                "Authorization": f"Token {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            # RapidPro's error body may repeat the URN: only the status is kept.
            raise FlowStartError(
                f"RapidPro refused the start of {flow!r}: HTTP {exc.code}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = type(getattr(exc, "reason", exc)).__name__
            raise FlowStartError(f"RapidPro could not be reached ({reason})") from None
        if status not in (200, 201):
            raise FlowStartError(f"RapidPro answered the start of {flow!r} with HTTP {status}")
        log.info("flow start (rapidpro): %s for %s", flow, masked(number))


def flow_starter() -> FlowStarter:
    """The configured starter (``SETU_FLOW_STARTER``, a dotted class path)."""
    path = getattr(settings, "SETU_FLOW_STARTER", "setu.channels.adapters.ConsoleFlowStarter")
    return import_string(path)()
