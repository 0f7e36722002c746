"""Check-ins from a feature phone, answered through ``channels.hooks`` (registered in
``FieldopsConfig.ready``): ``CHECKIN <pin>``, ``SAFE`` and ``HELP`` by SMS, a missed call on
the ``checkin`` line, and a voice check-in: a missed call on the ``checkin_call`` line is called
back, free, by the flow engine's ``checkin_ivr`` flow ("press 1 if you are safe, 2 if you need
help"), whose keypad answer comes back as a flow result. The duress key (5, the key with the
raised dot, found by touch) is never spoken: it answers like 1 and raises a silent alert. The
sender is matched to a team member by normalised number, never logged.

Replies are the same whether the PIN was the member's own or the duress PIN, and say nothing of
the operation; a number with no seat gets the same short answer as a wrong PIN, so the reply
tells a stranger nothing.
"""

from __future__ import annotations

import logging

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from setu.channels import services as channels_services
from setu.channels.hooks import FlowResult, InboundMessage
from setu.core import ratelimit
from setu.core.errors import InvalidInput
from setu.fieldops import services
from setu.fieldops.models import Channel

logger = logging.getLogger(__name__)

CALLBACK_LINE = "checkin_call"
IVR_FLOW = "checkin_ivr"
# The voice flow's result named ``checkin``: its keypad digit, or the category the flow gives.
SAFE_KEYS = frozenset({"1", "SAFE"})
HELP_KEYS = frozenset({"2", "HELP"})
# Never read out by the flow; taught at the briefing.
DURESS_KEYS = frozenset({"5"})
# A call-back rings a phone and costs the network: a few an hour per number is plenty.
CALLBACKS_PER_HOUR = 6


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


def _number_key(sender: str) -> str:
    # The rate-limit key is a keyed digest: the number itself never reaches the cache.
    return salted_hmac(
        "fieldops.callback", services.normalise_phone(sender), algorithm="sha256"
    ).hexdigest()[:32]


def on_callback_call(message: InboundMessage) -> str | None:
    """A missed call on the voice check-in line: if the number is a seat on an operation under
    way, the flow engine calls it back with the check-in questions. A stranger's number is not
    called (and, like every missed call, gets no answer)."""
    if not services.members_by_phone(message.sender):
        return None
    if not ratelimit.allow(
        f"fieldops:callback:{_number_key(message.sender)}",
        limit=CALLBACKS_PER_HOUR,
        window_seconds=3600,
    ):
        return None
    try:
        channels_services.flow_start(
            flow=IVR_FLOW, number=message.sender, params={"purpose": "checkin"}
        )
    except InvalidInput:
        # The voice flow is not configured (SETU_CHANNELS_FLOWS): SMS and the page still work.
        logger.warning("fieldops: the %s flow is not configured", IVR_FLOW)
    return None


def on_ivr_result(result: FlowResult) -> None:
    """The keypad answer of the voice check-in: 1 safe, 2 help, the duress key a safe-looking
    check-in that escalates silently. A ``pin`` result, where the flow asks for one, is checked
    like ``CHECKIN <pin>`` (the duress PIN works the same). A run delivered twice checks in
    once (the run id is the check-in's client id)."""
    choice = str(result.results.get("checkin") or "").strip().upper()
    pin = str(result.results.get("pin") or "").strip()
    ref = result.run_id or result.received_at.isoformat()
    if choice in HELP_KEYS:
        done = services.checkin_from_phone(
            sender=result.sender, channel=Channel.IVR, distress=True, ref=ref
        )
    elif choice in DURESS_KEYS:
        done = services.checkin_from_phone(
            sender=result.sender, channel=Channel.IVR, duress=True, ref=ref
        )
    elif choice in SAFE_KEYS:
        done = services.checkin_from_phone(
            sender=result.sender, channel=Channel.IVR, pin=pin or None, ref=ref
        )
    else:
        logger.warning("fieldops: voice check-in run %s has no usable answer", ref)
        return
    if not done:
        logger.info("fieldops: voice check-in run %s matched no seat", ref)
