"""System checks: an unreachable database in one plain sentence; deployment safety (--deploy)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.utils import OperationalError


@register(Tags.database)
def database_reachable(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Say plainly when the configured database (e.g. PostgreSQL) cannot be reached."""
    errors = []
    for alias in kwargs.get("databases") or []:
        connection = connections[alias]
        try:
            connection.ensure_connection()
        except OperationalError as exc:
            vendor = connection.vendor
            hint = (
                "Start PostgreSQL or correct DATABASE_URL (e.g. postgres://user@127.0.0.1:5432/setu); "
                "unset DATABASE_URL to use the embedded SQLite database."
                if vendor == "postgresql"
                else "Check that the directory of the SQLite file is writable."
            )
            errors.append(
                Error(
                    f"The {vendor} database '{alias}' is not reachable: {exc.__class__.__name__}.",
                    hint=hint,
                    id="setu.E001",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def demo_mode_off(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """A deployment with demo mode on lets anyone in with the published demo password."""
    if not getattr(settings, "DEMO_MODE", False):
        return []
    return [
        Error(
            "SETU_DEMO_MODE is true: demo accounts with a published password can exist.",
            hint="Set SETU_DEMO_MODE=false everywhere but a local demo.",
            id="setu.E002",
        )
    ]


@register(Tags.security, deploy=True)
def csp_without_inline_code(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """The Content-Security-Policy is on and allows no inline scripts or styles."""
    policy = getattr(settings, "SECURE_CSP", None) or {}
    if "django.middleware.csp.ContentSecurityPolicyMiddleware" not in settings.MIDDLEWARE or not (
        policy.get("script-src") or policy.get("default-src")
    ):
        return [
            Error(
                "No Content-Security-Policy is sent.",
                hint="Keep ContentSecurityPolicyMiddleware and SECURE_CSP from setu/settings.py.",
                id="setu.E003",
            )
        ]
    loose = [
        name
        for name in ("default-src", "script-src", "style-src")
        if any("unsafe-inline" in str(value) for value in policy.get(name, []))
    ]
    if loose:
        return [
            Error(
                f"The Content-Security-Policy allows inline code in {', '.join(loose)}.",
                hint="Move inline scripts and styles into static files.",
                id="setu.E004",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def field_keys_configured(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """The encrypted columns need their keys; derived development keys are no production keys."""
    from setu.core import crypto

    try:
        ring = crypto.keyring()
    except ImproperlyConfigured as exc:
        return [
            Error(
                str(exc),
                hint="Set SETU_FIELD_KEYS and SETU_FIELD_INDEX_KEY (or their _FILE variants); "
                "`setu keys new` prints fresh keys.",
                id="setu.E005",
            )
        ]
    if ring.derived:
        return [
            Error(
                "The field encryption keys are derived from the secret key (development mode).",
                hint="Set SETU_FIELD_KEYS and SETU_FIELD_INDEX_KEY, then run `setu keys rotate`.",
                id="setu.E006",
            )
        ]
    return []
