"""Feedback by phone, through ``channels.hooks`` (registered in ``FeedbackConfig.ready``).

* SMS keyword ``FEEDBACK <code> <1-5> <Y/P/N> <Y/N> [anything else]``: the code of her card or
  SMS invitation, how she was treated, whether she got what she was entitled to, whether she
  felt safe. The reply thanks her and gives her follow-up code.
* A missed call on the ``feedback`` line: Setu asks the flow engine to call her back, free,
  with the voice questions (the ``feedback_ivr`` flow).
* Flow results under ``feedback``: the answers of that call (or of an SMS or web survey run in
  the flow engine) become one piece of feedback; a run delivered twice is stored once.

Her number is used as a rate-limit key (as a keyed digest) and to call her back; it is never
stored, logged or audited.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from setu.channels import services as channels_services
from setu.channels.hooks import FlowResult, InboundMessage
from setu.core import ratelimit
from setu.core.errors import InvalidInput, NotFound
from setu.feedback import selectors, services, tokens
from setu.feedback.models import Channel, Entitled, Safe, Serious

logger = logging.getLogger(__name__)

KEYWORD = "FEEDBACK"
LINE = "feedback"
FLOW = "feedback"
IVR_FLOW = "feedback_ivr"
# Call-backs cost the network money and ring a phone: at most this many per number per day.
CALLBACKS_PER_DAY = 3

YES = {"Y", "YES", "HAN", "HAAN", "HA", "1"}
NO = {"N", "NO", "NAHI", "NA", "3"}
PARTLY = {"P", "PARTLY", "KUCHH", "2"}


def _sender_key(sender: str) -> str:
    return "phone:" + tokens.digest("sender", sender)[:32]


def _yes_no(value: str, *, partly: bool = False) -> str:
    word = value.strip().upper()
    if word in YES:
        return Entitled.YES
    if partly and word in PARTLY:
        return Entitled.PARTLY
    # On the keypad: 1 yes, 2 partly, 3 no; where there is no "partly", 2 is no.
    if word in NO or (not partly and word == "2"):
        return Entitled.NO
    return "?"


def parse_sms(text: str) -> tuple[str, dict[str, Any]]:
    """The code and the answers of ``<code> <1-5> <Y/P/N> <Y/N> [text]``; a missing answer is
    skipped, a malformed one reported by ``services.answers_from``."""
    parts = text.split()
    if not parts:
        return "", {}
    code, rest = parts[0], parts[1:]
    # A code typed with its dash as two words ("7KQ4M XH2PD").
    if len(tokens.normalise_code(code)) == 5 and rest:
        code, rest = code + rest[0], rest[1:]
    answers: dict[str, Any] = {}
    if rest:
        answers["treated"] = tokens.normalise_code(rest[0]) or rest[0]
    if len(rest) > 1:
        answers["entitled"] = _yes_no(rest[1], partly=True)
    if len(rest) > 2:
        answers["felt_safe"] = _yes_no(rest[2])
    if len(rest) > 3:
        answers["comment"] = " ".join(rest[3:])
    return code, answers


def on_sms(message: InboundMessage) -> str | None:
    """Answer ``FEEDBACK <code> …``: store the answers against her invitation, reply."""
    code, data = parse_sms(message.text)
    try:
        credential = services.credential_open(address=_sender_key(message.sender), code=code)
    except services.TooManyAttempts:
        return _("Too many tries. Please wait a while and send it again.")
    except NotFound:
        return _(
            "This code does not work: it may be mistyped, used or expired. "
            "Send: FEEDBACK, your code, then 1-5, Y/P/N, Y/N."
        )
    if credential.invitation is None:
        feedback = credential.feedback
        return _("Your feedback is: %(status)s.") % {"status": feedback.get_status_display()}
    with translation.override(credential.invitation.language or None):
        try:
            answers = services.answers_from(data)
            _feedback, followup = services.feedback_give(
                credential=credential,
                subject_id=None,
                answers=answers,
                language=credential.invitation.language,
                channel=Channel.SMS,
            )
        except InvalidInput as exc:
            return " ".join(m for messages in exc.errors.values() for m in messages)
        except NotFound:
            return _("This code was just used. Thank you.")
        return _("Thank you. Your follow-up code is %(code)s: keep it to see what was done.") % {
            "code": followup
        }


def _default_ivr_starter(sender: str) -> None:
    """Ask the flow engine to call her back with the voice questions."""
    try:
        channels_services.flow_start(flow=IVR_FLOW, number=sender, params={"purpose": FLOW})
    except InvalidInput:
        # The flow is not configured (SETU_CHANNELS_FLOWS): nothing to call her back with.
        logger.warning("feedback: the %s flow is not configured", IVR_FLOW)


# Tests replace this with a fake that records the call.
ivr_starter: Callable[[str], None] = _default_ivr_starter


def on_missed_call(message: InboundMessage) -> str | None:
    """A missed call on the feedback line: call her back with the questions, free."""
    if not ratelimit.allow(
        f"feedback:callback:{_sender_key(message.sender)}",
        limit=CALLBACKS_PER_DAY,
        window_seconds=86400,
    ):
        return None
    ivr_starter(message.sender)
    return None


def _pick(results: Mapping[str, str], extra: Mapping[str, str], name: str) -> str:
    return str(results.get(name) or extra.get(name) or "").strip()


def _flow_answers(results: Mapping[str, str]) -> dict[str, Any]:
    serious = str(results.get("serious") or "").strip().lower()
    return {
        "treated": str(results.get("treated") or "").strip(),
        "entitled": _flow_choice(results.get("entitled"), partly=True),
        "felt_safe": _flow_choice(results.get("safe") or results.get("felt_safe")),
        "serious_kind": serious if serious in Serious.values else "",
        "comment": str(results.get("comment") or "").strip(),
    }


def _flow_choice(value: Any, *, partly: bool = False) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    if text.lower() in Entitled.values and (partly or text.lower() in Safe.values):
        return text.lower()
    return _yes_no(text, partly=partly)


def on_flow(result: FlowResult) -> None:
    """A finished flow run: one piece of feedback about the subject the flow was started for
    (``subject`` id), or of the kind she chose by keypad (``kind``). Bad runs are dropped with
    a log line naming the run, never the number."""
    subject_id = _pick(result.results, result.extra, "subject")
    kind = _pick(result.results, result.extra, "kind")
    try:
        subject = selectors.subject_for_channel(
            subject_id=uuid.UUID(subject_id) if subject_id else None, kind=kind
        )
        answers = services.answers_from(_flow_answers(result.results))
    except (ValueError, NotFound, InvalidInput):
        logger.warning("feedback: flow run %s has no usable answers", result.run_id or "?")
        return
    ivr = result.flow == IVR_FLOW or result.extra.get("mode", "ivr") == "ivr"
    channel = Channel.IVR if ivr else Channel.SMS
    services.feedback_from_channel(
        subject=subject,
        answers=answers,
        channel=channel,
        language=_pick(result.results, result.extra, "language"),
        run_id=result.run_id,
    )
