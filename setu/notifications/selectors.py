"""Reads of the notifications context: the actor's inbox (with referral notices) and preferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.notifications.models import Notification, NotificationPreference


@dataclass(frozen=True)
class InboxItem:
    """One line of the inbox, whichever app sent it."""

    pk: str
    source: str  # "notice" or "referral"
    kind: str
    message: str
    url: str
    created_at: datetime
    unread: bool


def notification_list(*, actor: Actor, unread_only: bool = False) -> QuerySet[Notification]:
    """The actor's own notices."""
    qs = policy.scope(actor, Notification.objects.all(), Action.VIEW)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(*, actor: Actor) -> int:
    """Unread notices of the actor, including referral notifications (two cheap indexed counts)."""
    from setu.referrals import selectors as referrals

    return (
        notification_list(actor=actor, unread_only=True).count()
        + referrals.notification_list(actor=actor, unread_only=True).count()
    )


def inbox(*, actor: Actor, limit: int = 100) -> list[InboxItem]:
    """The actor's notices and referral notifications, newest first, in one list."""
    from setu.referrals import selectors as referrals

    items = [
        InboxItem(str(n.pk), "notice", n.kind, n.message, n.url, n.created_at, n.read_at is None)
        for n in notification_list(actor=actor)[:limit]
    ]
    for n in referrals.notification_list(actor=actor)[:limit]:
        url = reverse("referrals:referral-detail", args=[n.referral_id]) if n.referral_id else ""
        items.append(
            InboxItem(
                str(n.pk), "referral", "referral", n.message, url, n.created_at, n.read_at is None
            )
        )
    items.sort(key=lambda i: i.created_at, reverse=True)
    return items[:limit]


def preference_get(*, actor: Actor) -> NotificationPreference:
    """The actor's channel choices (defaults when never set; not saved by reading)."""
    found = NotificationPreference.objects.filter(user_id=actor.user.pk).first()
    return found or NotificationPreference(user=actor.user)
