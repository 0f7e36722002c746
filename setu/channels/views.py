"""The webhooks through which gateways and RapidPro deliver SMS, missed calls and flow results.

Each request is rate-limited per address, refused with 503 while no secret is configured and
with 403 (audited) without the right ``X-Setu-Secret`` header, size-limited, and its body (JSON
or a URL-encoded form) checked field by field before anything is handed on. Answers are JSON:
``{"status", "reply", "duplicate"}``; RapidPro flows read the reply as ``@webhook.json.reply``.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from setu.access.actor import client_ip
from setu.channels import payloads, services
from setu.core import ratelimit
from setu.core.api import error_body
from setu.core.errors import InvalidInput

GATEWAY, RAPIDPRO = "gateway", "rapidpro"
SECRET_HEADER = "X-Setu-Secret"  # noqa: S105 (a header name, not a secret)


def _json(body: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    patch_cache_control(response, no_store=True, private=True)
    return response


def _error(status: int, code: str, message: str, fields: Any = None) -> JsonResponse:
    return _json(error_body(code, message, fields), status)


def _secret(adapter: str) -> str:
    if adapter == RAPIDPRO and settings.SETU_CHANNELS_RAPIDPRO_SECRET:
        return settings.SETU_CHANNELS_RAPIDPRO_SECRET
    return settings.SETU_CHANNELS_SECRET or ""


def _given_secret(request: HttpRequest) -> str:
    given = request.headers.get(SECRET_HEADER, "")
    if not given:
        scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() in ("bearer", "token"):
            given = token.strip()
    return given


def _webhook(
    adapter: str, channel: str, handle: Callable[[dict[str, Any], str | None], services.Answer]
) -> Callable[[HttpRequest], JsonResponse]:
    """A webhook view: the checks every adapter shares around ``handle(data, ip)``."""

    @csrf_exempt  # gateways hold no session: the shared secret authenticates them
    @login_not_required
    @require_POST
    def view(request: HttpRequest) -> JsonResponse:
        ip = client_ip(request)
        if not ratelimit.allow(
            f"channels:{adapter}:{ip}", limit=settings.SETU_CHANNELS_RATE, window_seconds=60
        ):
            response = _error(429, "rate_limited", "Too many requests; try again in a minute.")
            response["Retry-After"] = "60"
            return response
        expected = _secret(adapter)
        if not expected:
            return _error(
                503,
                "not_configured",
                "Phone channels are not configured on this server: set SETU_CHANNELS_SECRET.",
            )
        given = _given_secret(request)
        if not hmac.compare_digest(given.encode(), expected.encode()):
            reason = "missing secret" if not given else "wrong secret"
            services.webhook_refused(adapter=adapter, reason=reason, path=request.path, ip=ip)
            return _error(
                403, "forbidden", f"Send the shared secret in the {SECRET_HEADER} header."
            )
        limit = settings.SETU_CHANNELS_MAX_BODY
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        body = b"" if declared > limit else request.read(limit + 1)
        if declared > limit or len(body) > limit:
            return _error(413, "too_large", f"The body is larger than {limit} bytes.")
        try:
            data = payloads.body_data(body, request.content_type or "")
            answer = handle(data, ip)
        except payloads.UnsupportedBody:
            return _error(
                415,
                "unsupported_media_type",
                "Send application/json or application/x-www-form-urlencoded.",
            )
        except InvalidInput as exc:
            services.webhook_invalid(
                adapter=adapter, channel=channel, fields=list(exc.errors), ip=ip
            )
            return _error(400, "invalid", "The delivery was not accepted.", exc.errors)
        body_out = {"status": answer.status, "reply": answer.reply, "duplicate": answer.duplicate}
        return _json(body_out, 500 if answer.status == services.Status.FAILED else 200)

    return view


def _sms(data: dict[str, Any], ip: str | None) -> services.Answer:
    sms = payloads.sms_in(data)
    return services.sms_receive(
        adapter=GATEWAY, sender=sms.sender, text=sms.text, message_id=sms.message_id, ip=ip
    )


def _missed_call(data: dict[str, Any], ip: str | None) -> services.Answer:
    call = payloads.missed_call_in(data)
    return services.missed_call_receive(
        adapter=GATEWAY, caller=call.caller, called=call.called, call_id=call.call_id, ip=ip
    )


def _rapidpro(data: dict[str, Any], ip: str | None) -> services.Answer:
    run = payloads.flow_result_in(data)
    return services.flow_result_receive(
        adapter=RAPIDPRO, sender=run.urn, results=run.results, flow_uuid=run.flow_uuid,
        flow_name=run.flow_name, run_id=run.run_id, extra=run.extra, ip=ip,
    )  # fmt: skip


sms = _webhook(GATEWAY, "sms", _sms)
missed_call = _webhook(GATEWAY, "missed_call", _missed_call)
rapidpro = _webhook(RAPIDPRO, "flow", _rapidpro)
