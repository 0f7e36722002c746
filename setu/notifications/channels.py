"""Delivery channels besides the inbox: email (Django mail) and a pluggable SMS/WhatsApp channel.

Messages reaching a channel are the same personal-data-free text the inbox shows, plus a link.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

log = logging.getLogger("setu.notifications")


class ShortMessageChannel(Protocol):
    """An SMS or WhatsApp gateway. Implementations must not log the number or the text in full."""

    def send(self, *, number: str, text: str) -> None:
        """Deliver ``text`` (no personal data) to the staff number ``number``."""


class ConsoleChannel:
    """Development channel: logs that a message would go out, without number or body."""

    sent: list[str] = []

    def send(self, *, number: str, text: str) -> None:
        """Log a masked destination and the message length; remember the text for tests."""
        masked = ("…" + number[-2:]) if number else "—"
        log.info("sms/whatsapp to %s: %d characters", masked, len(text))
        ConsoleChannel.sent.append(text)


def short_message_channel() -> ShortMessageChannel:
    """The configured SMS/WhatsApp channel (SETU_SMS_CHANNEL, a dotted class path)."""
    path = getattr(settings, "SETU_SMS_CHANNEL", "setu.notifications.channels.ConsoleChannel")
    return import_string(path)()


def send_email(*, address: str, subject: str, body: str) -> None:
    """Send one plain-text email through Django's configured backend; a mail failure is logged
    (without the address) and never undoes the notice, which is in the inbox anyway."""
    try:
        EmailMessage(subject, body, to=[address]).send()
    except OSError as exc:
        log.warning("notice email not sent: %s", type(exc).__name__)
