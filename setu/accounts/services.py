"""Writes about accounts: deactivation (ending every session), API tokens, password state."""

from __future__ import annotations

import secrets
import string
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.accounts.models import ApiToken, User, UserSession
from setu.audit import services as audit
from setu.audit.services import AuditAction, Outcome
from setu.core import changes
from setu.core.errors import InvalidInput

# Token lifetimes offered to users; a token that never expires is not offered.
TOKEN_LIFETIME_DAYS = (30, 90, 180, 365)
_DB_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


def temporary_password() -> str:
    """A random one-time password: 16 characters from an alphabet without look-alikes."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "lI1O0o")
    return "-".join(
        "".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4)
    )  # groups of four are easier to read out over the phone


def user_create(
    *,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    created_by_org_id: Any = None,
) -> tuple[User, str]:
    """A new account that must change its one-time password at first sign-in; returns it once.

    Called by ``orgs.services.member_add_new``, which checks that the actor manages members and
    records the new membership; a refusal raises InvalidInput naming every bad field.
    """
    username, email = (username or "").strip(), (email or "").strip()
    errors: dict[str, list[str]] = {}
    if username and User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("That username is taken. Choose another.")]
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("Another account already uses this email address.")]
    user = User(
        username=username,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        email=email,
        must_change_password=True,
        created_by_org_id=created_by_org_id,
    )
    password = temporary_password()
    user.set_password(password)
    try:
        changes.clean(user)
    except InvalidInput as exc:
        for field, messages in exc.errors.items():
            errors.setdefault(field, messages)
    if errors:
        raise InvalidInput(errors)
    user.save()
    return user, password


def session_index_add(*, user: User, session_key: str) -> None:
    """Remember that ``session_key`` belongs to ``user`` (called by the session middleware)."""
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})
    if settings.SESSION_ENGINE in _DB_SESSION_ENGINES:
        # Keep the index small: forget this user's sessions that the store no longer has.
        UserSession.objects.filter(user=user).exclude(
            session_key__in=Session.objects.values("session_key")
        ).delete()


def _session_keys_of(user: User) -> set[str]:
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    if settings.SESSION_ENGINE in _DB_SESSION_ENGINES:
        # Sessions that began before the index existed are found by a scan; deactivation is rare.
        uid = str(user.pk)
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if str(session.get_decoded().get("_auth_user_id")) == uid:
                keys.add(session.session_key)
    return keys


def user_sessions_end(*, user: User) -> int:
    """Delete every session of ``user`` from the session store; returns how many were ended."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = _session_keys_of(user)
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


def _user_state(user: User) -> dict[str, Any]:
    return {"is_active": user.is_active}


@transaction.atomic
def user_deactivate(*, actor: Actor, user: User) -> User:
    """Deactivate an account: end all its sessions, revoke its API tokens, record it."""
    policy.require(actor, Action.MANAGE_MEMBERS, user)
    if user.pk == actor.user.pk:
        raise InvalidInput({"user": [_("You cannot deactivate your own account.")]})
    before = _user_state(user)
    user.is_active = False
    user.full_clean()
    user.save(update_fields=["is_active"])
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    ended = user_sessions_end(user=user)
    audit.record(
        actor=actor,
        action=AuditAction.ADMIN,
        target=user,
        changes={"before": before, "after": _user_state(user)},
        details={"op": "user_deactivate", "sessions_ended": ended, "tokens_revoked": revoked},
    )
    return user


@transaction.atomic
def user_reactivate(*, actor: Actor, user: User) -> User:
    """Allow an account to log in again (its old sessions and tokens stay ended)."""
    policy.require(actor, Action.MANAGE_MEMBERS, user)
    before = _user_state(user)
    user.is_active = True
    user.full_clean()
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action=AuditAction.ADMIN,
        target=user,
        changes={"before": before, "after": _user_state(user)},
        details={"op": "user_reactivate"},
    )
    return user


@transaction.atomic
def user_password_changed(*, actor: Actor, user: User) -> User:
    """Record that the user chose their own password; a temporary one no longer applies."""
    if user.pk != actor.user.pk:
        policy.require(actor, Action.MANAGE_MEMBERS, user)
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=user,
        details={"op": "password_changed"},
    )
    return user


@transaction.atomic
def api_token_create(*, actor: Actor, name: str, lifetime_days: int = 90) -> tuple[ApiToken, str]:
    """Create an API token for the actor; returns it and its secret, which is never stored."""
    policy.require_allowed(actor, Action.CREATE, "accounts.apitoken")
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the token a name, e.g. the script or system that uses it.")]
    if lifetime_days not in TOKEN_LIFETIME_DAYS:
        errors["lifetime_days"] = [_("Choose one of the offered lifetimes.")]
    if errors:
        raise InvalidInput(errors)
    secret = ApiToken.new_secret()
    token = ApiToken(
        user=actor.user,
        name=name,
        digest=ApiToken.digest_of(secret),
        prefix=secret[5:13],
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=token,
        changes={
            "after": {
                "name": name,
                "prefix": token.prefix,
                "expires_at": token.expires_at.isoformat(),
            }
        },
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own API tokens."""
    policy.require(actor, Action.EDIT, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=token,
            changes={"before": {"revoked": False}, "after": {"revoked": True}},
            details={"op": "api_token_revoke"},
        )
    return token


def api_token_used(*, token: ApiToken) -> None:
    """Note when a token last authenticated (bookkeeping shown to its owner; not audited)."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


def api_token_refused_mfa(*, token: ApiToken, path: str, method: str) -> None:
    """Audit a token call refused because its account has not set up required 2FA."""
    audit.record(
        actor=None,
        user=token.user,
        action=AuditAction.DENIED,
        outcome=Outcome.DENIED,
        target=token,
        details={"op": "api_token_mfa_required", "path": path, "method": method},
    )


def lockout_record(*, ip_address: str | None) -> None:
    """Audit that repeated failures locked out a (login name, IP) pair; the name is not stored."""
    audit.record(
        actor=None,
        action=AuditAction.LOCKED_OUT,
        outcome=Outcome.FAILED,
        ip_address=ip_address,
        details={"limit": settings.AXES_FAILURE_LIMIT},
    )


def login_blocked_record(*, ip_address: str | None) -> None:
    """Audit a sign-in attempt refused because its (login name, IP) pair is locked out."""
    audit.record(
        actor=None,
        action=AuditAction.LOCKED_OUT,
        outcome=Outcome.DENIED,
        ip_address=ip_address,
        details={"attempt_while_locked": True},
    )
