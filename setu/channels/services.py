"""Receiving by phone and starting flows: every adapter (webhook, console) goes through here.

``sms_receive``, ``missed_call_receive`` and ``flow_result_receive`` normalise the number, hand
the message to the app registered in ``channels.hooks``, remember the delivery's id (as a keyed
digest) so that a re-delivery is answered without being handled twice, and audit the channel,
keyword, line or flow and the outcome, never the number or the text. ``flow_start`` queues a
start of an IVR/SMS flow in the flow engine (the free call-back after a missed call).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.audit.services import AuditAction, Outcome, record
from setu.channels import hooks
from setu.channels._phone import ascii_digits, normalise_number
from setu.channels._seal import digest, seal, unseal
from setu.channels.adapters import flow_uuids
from setu.channels.models import Channel, Delivery
from setu.core.errors import InvalidInput

if TYPE_CHECKING:
    from setu.access.actor import Actor

log = logging.getLogger("setu.channels")

MAX_PARAMS = 20
_AUDIT_TARGET = "channels.delivery"


class Status:
    """What became of a delivery (the webhook answers it as ``status``)."""

    HANDLED = "handled"  # the registered app handled it
    HELP = "help"  # unknown keyword: the reply lists the keywords
    IGNORED = "ignored"  # no line, flow or app for it
    FAILED = "failed"  # the app's handler raised; nothing of it was kept


@dataclass(frozen=True)
class Answer:
    """The outcome of one delivery, and the SMS reply for the sender ("" for none)."""

    status: str
    reply: str = ""
    duplicate: bool = False


@dataclass(frozen=True)
class _Dispatch:
    status: str
    reply: str
    label: dict[str, str]  # {"keyword": "CHECKIN"} / {"line": …} / {"flow": …}: never personal


def _number(raw: str, field: str) -> str:
    try:
        return normalise_number(raw)
    except ValueError as exc:
        raise InvalidInput({field: [str(exc).capitalize() + "."]}) from None


def _run_handler(call: Callable[[], str | None], label: dict[str, str]) -> _Dispatch:
    """Run an app's handler in a savepoint: if it raises, none of its writes are kept."""
    try:
        with transaction.atomic():
            reply = call()
    except Exception as exc:
        # The handler's own message may quote the sender or the text: the type only.
        log.error("channels: handler for %s raised %s", label, type(exc).__name__)
        return _Dispatch(Status.FAILED, "", label)
    return _Dispatch(Status.HANDLED, reply or "", label)


def _audit(
    *, adapter: str, channel: str, dispatch: _Dispatch, duplicate: bool, ip: str | None, pk: Any
) -> None:
    failed = dispatch.status == Status.FAILED
    record(
        actor=None,
        action=AuditAction.INBOUND,
        outcome=Outcome.FAILED if failed else Outcome.OK,
        target=(_AUDIT_TARGET, str(pk or ""), None),
        details={
            "adapter": adapter,
            "channel": channel,
            **dispatch.label,
            "status": dispatch.status,
            "duplicate": duplicate,
        },
        ip_address=ip,
    )
    log.info(
        "channels: %s %s %s %s%s", adapter, channel, dispatch.label, dispatch.status,
        " (repeat)" if duplicate else "",
    )  # fmt: skip


_LABEL_KEYS = {Channel.SMS: "keyword", Channel.MISSED_CALL: "line", Channel.FLOW: "flow"}


def _label(delivery: Delivery) -> dict[str, str]:
    return {_LABEL_KEYS.get(delivery.channel, "label"): delivery.label}


@transaction.atomic
def _receive(
    *,
    adapter: str,
    channel: str,
    delivery_id: str,
    ip: str | None,
    dispatch: Callable[[], _Dispatch],
) -> Answer:
    """Claim the delivery id, dispatch once, remember the answer; a repeat gets that answer."""
    claim: Delivery | None = None
    if delivery_id:
        key = digest(f"{adapter}:{channel}:{delivery_id}", purpose="delivery")
        try:
            # A concurrent delivery of the same id waits here for this one's transaction.
            with transaction.atomic():
                claim = Delivery.objects.create(digest=key, channel=channel, status="pending")
        except IntegrityError:
            seen = Delivery.objects.get(digest=key)
            reply = unseal(seen.reply_sealed, purpose="reply") if seen.reply_sealed else ""
            _audit(
                adapter=adapter, channel=channel, dispatch=_Dispatch(seen.status, "", _label(seen)),
                duplicate=True, ip=ip, pk=seen.pk,
            )  # fmt: skip
            return Answer(seen.status, reply, duplicate=True)
    result = dispatch()
    if claim is not None:
        if result.status == Status.FAILED:
            claim.delete()  # a re-delivery may be handled once the app is fixed
            claim_pk = None
        else:
            claim.status = result.status
            claim.label = next(iter(result.label.values()), "")[:64]
            claim.reply_sealed = seal(result.reply, purpose="reply") if result.reply else ""
            claim.full_clean()
            claim.save(update_fields=["status", "label", "reply_sealed", "updated_at"])
            claim_pk = claim.pk
    else:
        claim_pk = None
    _audit(adapter=adapter, channel=channel, dispatch=result, duplicate=False, ip=ip, pk=claim_pk)
    return Answer(result.status, result.reply)


def help_reply() -> str:
    """The answer to an SMS whose first word no app answers, in ``SETU_CHANNELS_LANGUAGE``."""
    keywords = hooks.registered_keywords()
    with translation.override(getattr(settings, "SETU_CHANNELS_LANGUAGE", "") or "en"):
        if not keywords:
            return _("Setu does not answer SMS on this number.")
        return _("Setu did not understand your message. Start it with one of: %(keywords)s") % {
            "keywords": ", ".join(keywords)
        }


def _keyword_and_rest(text: str) -> tuple[str, str]:
    words = text.strip().split(maxsplit=1)
    if not words:
        return "", ""
    keyword = ascii_digits(words[0]).strip(".,:;!?#*").upper()
    return keyword, words[1].strip() if len(words) > 1 else ""


def sms_receive(
    *,
    adapter: str,
    sender: str,
    text: str,
    message_id: str = "",
    received_at: datetime | None = None,
    ip: str | None = None,
) -> Answer:
    """Hand an SMS to the app whose keyword is its first word (any case); an unknown keyword
    gets the help reply. ``message_id``: the gateway's id, so a re-delivery is answered again
    without being handled twice."""
    number = _number(sender, "sender")
    when = received_at or timezone.now()
    keyword, rest = _keyword_and_rest(text)

    def dispatch() -> _Dispatch:
        handler = hooks.keyword_handler(keyword) if keyword else None
        if handler is None:
            # The unknown first word may be a name: it is not audited.
            return _Dispatch(Status.HELP, help_reply(), {"keyword": ""})
        message = hooks.InboundMessage(channel="sms", sender=number, text=rest, received_at=when)
        return _run_handler(lambda: handler(message), {"keyword": keyword})

    return _receive(
        adapter=adapter, channel=Channel.SMS, delivery_id=message_id, ip=ip, dispatch=dispatch
    )


def lines() -> dict[str, str]:
    """Normalised number → line purpose, from ``SETU_CHANNELS_LINES``."""
    out: dict[str, str] = {}
    for purpose, number in (getattr(settings, "SETU_CHANNELS_LINES", {}) or {}).items():
        try:
            out[normalise_number(number)] = purpose
        except ValueError:
            log.warning("channels: SETU_CHANNELS_LINES has a malformed number for %s", purpose)
    return out


def missed_call_receive(
    *,
    adapter: str,
    caller: str,
    called: str = "",
    line: str = "",
    call_id: str = "",
    received_at: datetime | None = None,
    ip: str | None = None,
) -> Answer:
    """Hand a missed call to the app registered for the line rung: ``called`` is the number
    dialled (mapped through ``SETU_CHANNELS_LINES``), or ``line`` the purpose itself (console)."""
    number = _number(caller, "caller")
    if not line:
        if not called:
            raise InvalidInput({"called": ["This field is required."]})
        line = lines().get(_number(called, "called"), "")
    when = received_at or timezone.now()

    def dispatch() -> _Dispatch:
        handler = hooks.missed_call_handler(line) if line else None
        if handler is None:
            return _Dispatch(Status.IGNORED, "", {"line": line})
        message = hooks.InboundMessage(
            channel="missed_call", sender=number, text="", received_at=when, line=line
        )
        return _run_handler(lambda: handler(message), {"line": line})

    return _receive(
        adapter=adapter, channel=Channel.MISSED_CALL, delivery_id=call_id, ip=ip, dispatch=dispatch
    )


def flow_purpose(*, flow_uuid: str = "", flow_name: str = "") -> str:
    """The Setu purpose ``SETU_CHANNELS_FLOWS`` gives a flow (by UUID first, then by name)."""
    by_ref = {ref.strip().lower(): purpose for purpose, ref in flow_uuids().items()}
    for ref in (flow_uuid, flow_name):
        if ref and ref.strip().lower() in by_ref:
            return by_ref[ref.strip().lower()]
    return ""


def flow_result_receive(
    *,
    adapter: str,
    sender: str,
    results: Mapping[str, str],
    flow: str = "",
    flow_uuid: str = "",
    flow_name: str = "",
    run_id: str = "",
    extra: Mapping[str, str] | None = None,
    received_at: datetime | None = None,
    ip: str | None = None,
) -> Answer:
    """Hand a flow run's results to the app registered for the flow's purpose: ``flow`` is the
    purpose itself (console), else it comes from the engine's flow UUID or name."""
    number = _number(sender, "contact.urn")
    purpose = flow or flow_purpose(flow_uuid=flow_uuid, flow_name=flow_name)
    when = received_at or timezone.now()

    def dispatch() -> _Dispatch:
        handler = hooks.flow_handler(purpose) if purpose else None
        if handler is None:
            return _Dispatch(Status.IGNORED, "", {"flow": purpose})
        result = hooks.FlowResult(
            flow=purpose, sender=number, results=dict(results), received_at=when,
            run_id=run_id, extra=dict(extra or {}),
        )  # fmt: skip

        def call() -> None:
            handler(result)

        return _run_handler(call, {"flow": purpose})

    return _receive(
        adapter=adapter, channel=Channel.FLOW, delivery_id=run_id, ip=ip, dispatch=dispatch
    )


def webhook_refused(*, adapter: str, reason: str, path: str, ip: str | None) -> None:
    """Audit a webhook request refused for a missing or wrong secret (nothing was read)."""
    record(
        actor=None,
        action=AuditAction.DENIED,
        outcome=Outcome.DENIED,
        target=("url", "", None),
        details={"attempted": "receive", "adapter": adapter, "reason": reason, "path": path,
                 "method": "POST"},
        ip_address=ip,
    )  # fmt: skip
    log.warning("channels: %s webhook refused (%s)", adapter, reason)


def webhook_invalid(*, adapter: str, channel: str, fields: list[str], ip: str | None) -> None:
    """Audit an authenticated delivery refused as malformed: which fields, never their values."""
    record(
        actor=None,
        action=AuditAction.INBOUND,
        outcome=Outcome.FAILED,
        target=(_AUDIT_TARGET, "", None),
        details={"adapter": adapter, "channel": channel, "status": "invalid",
                 "fields": sorted(fields)[:20]},
        ip_address=ip,
    )  # fmt: skip
    log.info("channels: %s %s refused as invalid (%s)", adapter, channel, ", ".join(fields))


@transaction.atomic
def flow_start(
    *,
    flow: str,
    number: str,
    params: Mapping[str, str] | None = None,
    actor: Actor | None = None,
) -> None:
    """Start ``flow`` (a purpose in ``SETU_CHANNELS_FLOWS``, e.g. ``feedback_ivr``) for
    ``number`` through the flow engine, on the task queue once the caller's transaction
    commits, so a slow engine never holds up a request. The number and parameters travel
    sealed; the trail records the flow only."""
    params = dict(params or {})
    errors: dict[str, list[str]] = {}
    known = flow_uuids()
    if not flow or (known and flow not in known):
        errors["flow"] = ["No flow is configured for this purpose in SETU_CHANNELS_FLOWS."]
    try:
        number = normalise_number(number)
    except ValueError as exc:
        errors["number"] = [str(exc).capitalize() + "."]
    if len(params) > MAX_PARAMS or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= 640 for k, v in params.items()
    ):
        errors["params"] = [f"At most {MAX_PARAMS} text parameters."]
    if errors:
        raise InvalidInput(errors)
    sealed = seal(json.dumps({"number": number, "params": params}), purpose="flow_start")
    record(
        actor=actor,
        action=AuditAction.FLOW_START,
        target=(_AUDIT_TARGET, "", None),
        details={"flow": flow},
    )

    def enqueue() -> None:
        from setu.channels.tasks import start_flow

        start_flow.enqueue(flow=flow, sealed=sealed)

    transaction.on_commit(enqueue)


def flow_start_run(*, flow: str, sealed: str) -> None:
    """Open a queued start and hand it to the configured starter (the task's body)."""
    from setu.channels.adapters import flow_starter

    data = json.loads(unseal(sealed, purpose="flow_start"))
    flow_starter().start(flow, data["number"], data["params"])


def deliveries_prune(*, days: int | None = None) -> int:
    """Forget deliveries older than ``SETU_CHANNELS_DEDUP_DAYS``; returns how many."""
    keep = days if days is not None else settings.SETU_CHANNELS_DEDUP_DAYS
    cutoff = timezone.now() - timedelta(days=keep)
    deleted, _rows = Delivery.objects.filter(created_at__lt=cutoff).delete()
    return deleted
