"""Reads about accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.accounts.models import ApiToken, User
from setu.core.errors import NotFound


def user_has_mfa(*, user: Any) -> bool:
    """Whether the user has a TOTP authenticator."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_must_enrol_mfa(*, user: Any) -> bool:
    """True when any organisation the user works in requires 2FA and the user has none."""
    required = user.memberships.filter(
        is_active=True, organisation__mfa_required=True, organisation__is_active=True
    ).exists()
    return required and not user_has_mfa(user=user)


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    """The actor's own API tokens, newest first (digests only; secrets are never stored)."""
    return policy.scope(actor, ApiToken.objects.all(), Action.VIEW).order_by("-created_at")


def api_token_get(*, actor: Actor, token_id: Any) -> ApiToken:
    """One of the actor's own API tokens; NotFound for anyone else's."""
    token = api_token_list(actor=actor).filter(pk=token_id).first()
    if token is None:
        raise NotFound(action=Action.VIEW, target=("accounts.apitoken", str(token_id), None))
    return token


def api_token_for_bearer(*, raw: str) -> ApiToken | None:
    """The live token whose secret is ``raw`` (unrevoked, unexpired, active user), else None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.expires_at and token.expires_at < timezone.now():
        return None
    return token


def user_find(*, username: str, active_only: bool = False) -> User | None:
    """The account with this username (any letter case), for adding members and for commands."""
    qs = User.objects.filter(username__iexact=(username or "").strip())
    return (qs.filter(is_active=True) if active_only else qs).first()
