"""The acting user: a user together with the organisation and role they act in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from setu.access import rls

if TYPE_CHECKING:
    from setu.accounts.models import User

ACTIVE_MEMBERSHIP_SESSION_KEY = "setu_active_membership"


@dataclass(frozen=True)
class Actor:
    """Everything the access policy needs to know about who is acting."""

    user: User
    organisation_id: uuid.UUID | None = None
    role: str = ""
    membership_id: uuid.UUID | None = None
    ip_address: str | None = None

    @property
    def is_platform_admin(self) -> bool:
        return bool(getattr(self.user, "is_platform_admin", False))

    @property
    def has_membership(self) -> bool:
        return self.organisation_id is not None


def actor_for_user(
    user: User, *, membership_id: Any = None, ip_address: str | None = None
) -> Actor:
    """Build an actor from the user's active membership (a chosen one, else the first).

    A platform admin never acts for an organisation, whatever rows exist: platform admins run
    organisations and must not reach case data through a membership (issue 28, finding 16).
    """
    if getattr(user, "is_platform_admin", False):
        return Actor(user=user, ip_address=ip_address)
    memberships = user.memberships.filter(is_active=True, organisation__is_active=True).order_by(
        "created_at"
    )
    membership = None
    if membership_id:
        membership = memberships.filter(pk=membership_id).first()
    membership = membership or memberships.first()
    if membership is None:
        return Actor(user=user, ip_address=ip_address)
    return Actor(
        user=user,
        organisation_id=membership.organisation_id,
        role=membership.role,
        membership_id=membership.pk,
        ip_address=ip_address,
    )


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def actor_of(request: HttpRequest) -> Actor:
    """The actor of an authenticated request (cached on the request)."""
    cached = getattr(request, "_setu_actor", None)
    if cached is not None:
        return cached
    session = getattr(request, "session", None)
    membership_id = session.get(ACTIVE_MEMBERSHIP_SESSION_KEY) if session is not None else None
    actor = actor_for_user(request.user, membership_id=membership_id, ip_address=client_ip(request))
    request._setu_actor = actor  # type: ignore[attr-defined]
    # From here on the database's row-level security answers for this organisation only (and
    # shows this user's own notices only).
    rls.bind(actor.organisation_id, getattr(actor.user, "pk", None))
    return actor
