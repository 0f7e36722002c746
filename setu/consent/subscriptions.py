"""How the end of a consent reaches the apps that rely on it: an explicit, typed subscription.

Referrals and matching register a handler in their ``AppConfig.ready``; the consent services
call every handler inside the transaction that withdraws or retires the consent, so a failing
handler rolls the whole end back and nothing is half-written. Not Django signals: the list of
subscribers is explicit and each handler audits its own effect.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from setu.access.actor import Actor


class EndReason(enum.StrEnum):
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


@dataclass(frozen=True)
class ConsentEnded:
    """A consent stopped being in force: withdrawn by ``actor``, or expired (``actor`` is None)."""

    consent_id: uuid.UUID
    person_id: uuid.UUID
    # None: the consent covered the whole network; otherwise only this organisation.
    recipient_org_id: uuid.UUID | None
    scopes: frozenset[str]
    reason: EndReason
    ended_on: datetime.date
    actor: Actor | None = None


ConsentEndedHandler = Callable[[ConsentEnded], None]

_handlers: list[ConsentEndedHandler] = []


def subscribe(handler: ConsentEndedHandler) -> ConsentEndedHandler:
    """Call ``handler`` whenever a consent ends (once per handler, however often registered)."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def subscribers() -> tuple[ConsentEndedHandler, ...]:
    """The registered handlers, in registration order."""
    return tuple(_handlers)


def publish(event: ConsentEnded) -> None:
    """Tell every subscriber; only the consent services call this, inside their transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ConsentEnded must be published inside the ending transaction")
    for handler in _handlers:
        handler(event)
