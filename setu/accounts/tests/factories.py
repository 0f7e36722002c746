"""Factories for accounts: API tokens (users come from setu.orgs.tests.factories)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from setu.accounts.models import ApiToken
from setu.orgs.tests.factories import UserFactory


class ApiTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiToken
        exclude = ["secret"]

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"token {n}")
    secret = factory.LazyFunction(ApiToken.new_secret)
    digest = factory.LazyAttribute(lambda t: ApiToken.digest_of(t.secret))
    prefix = factory.LazyAttribute(lambda t: t.secret[5:13])
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


def enable_totp(user: object) -> str:
    """Give ``user`` a TOTP authenticator and recovery codes; returns the TOTP secret."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_code(secret: str, steps_ago: int = 0) -> str:
    """The six-digit code for ``secret`` an authenticator app shows now (or ``steps_ago`` periods ago)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(
        hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD - steps_ago)
    )
