"""Reads about accounts."""

from __future__ import annotations

from typing import Any


def user_has_mfa(*, user: Any) -> bool:
    """Whether the user has a TOTP authenticator."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_must_enrol_mfa(*, user: Any) -> bool:
    """True when any organisation the user works in requires 2FA and the user has none."""
    required = user.memberships.filter(is_active=True, organisation__mfa_required=True).exists()
    return required and not user_has_mfa(user=user)
