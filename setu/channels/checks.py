"""Deployment checks of the phone channels (``setu check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

MIN_SECRET = 24


@register(Tags.security, deploy=True)
def channels_configured(app_configs: Any = None, **kwargs: Any) -> list[Error | Warning]:
    """A guessable webhook secret, or a RapidPro starter without its URL or token."""
    found: list[Error | Warning] = []
    for name in ("SETU_CHANNELS_SECRET", "SETU_CHANNELS_RAPIDPRO_SECRET"):
        secret = getattr(settings, name, "") or ""
        if secret and len(secret) < MIN_SECRET:
            found.append(
                Warning(
                    f"{name} is shorter than {MIN_SECRET} characters: it can be guessed.",
                    hint='Use e.g. python -c "import secrets; print(secrets.token_urlsafe(32))".',
                    id="setu.W201",
                )
            )
    starter = getattr(settings, "SETU_FLOW_STARTER", "")
    if starter.endswith("RapidProFlowStarter") and not (
        settings.SETU_RAPIDPRO_URL and settings.SETU_RAPIDPRO_TOKEN
    ):
        found.append(
            Error(
                "SETU_FLOW_STARTER is RapidPro but SETU_RAPIDPRO_URL or SETU_RAPIDPRO_TOKEN is "
                "empty: no call-back could be started.",
                hint="Set both, or keep the console starter until RapidPro is connected.",
                id="setu.E201",
            )
        )
    return found
