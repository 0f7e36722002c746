"""Check-ins from a feature phone, answered through ``channels.hooks`` (registered in
``FieldopsConfig.ready``): ``CHECKIN <pin>``, ``SAFE`` and ``HELP`` by SMS, and a missed call on
the ``checkin`` line. The sender is matched to a team member by normalised number, never logged.

Replies are the same whether the PIN was the member's own or the duress PIN, and say nothing of
the operation; a number with no seat gets the same short answer as a wrong PIN, so the reply
tells a stranger nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from setu.channels.hooks import InboundMessage
from setu.fieldops import services
from setu.fieldops.models import Channel


def _ref(message: InboundMessage) -> str:
    # The same SMS delivered twice by the gateway carries the same time: checked in once.
    return message.received_at.isoformat()


def _reply(done: int) -> str:
    return _("Received.") if done else _("Not recognised.")


def on_checkin_sms(message: InboundMessage) -> str | None:
    """CHECKIN <pin>: a safe check-in with the PIN (the duress PIN raises a silent alert)."""
    pin = (message.text or "").strip().split(" ")[0] if message.text else ""
    if not pin:
        return _("Send CHECKIN and your PIN.")
    done = services.checkin_from_phone(
        sender=message.sender, channel=Channel.SMS, pin=pin, ref=_ref(message)
    )
    return _reply(done)


def on_safe_sms(message: InboundMessage) -> str | None:
    """SAFE: a safe check-in from the registered phone."""
    done = services.checkin_from_phone(
        sender=message.sender, channel=Channel.SMS, ref=_ref(message)
    )
    return _reply(done)


def on_help_sms(message: InboundMessage) -> str | None:
    """HELP: a distress signal from the registered phone; every tier is paged at once."""
    done = services.checkin_from_phone(
        sender=message.sender, channel=Channel.SMS, distress=True, ref=_ref(message)
    )
    return _reply(done)


def on_missed_call(message: InboundMessage) -> str | None:
    """A missed call to the check-in line from the registered phone: a safe check-in."""
    services.checkin_from_phone(
        sender=message.sender, channel=Channel.MISSED_CALL, ref=_ref(message)
    )
    return None
