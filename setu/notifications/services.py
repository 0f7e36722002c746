"""Writes of the notifications context: deliver notices, mark them read, set channel choices."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.models import AuditAction
from setu.core.errors import InvalidInput, NotFound
from setu.notifications import channels
from setu.notifications.models import NoticeKind, Notification, NotificationPreference

# Notices worth an SMS even for users who asked for urgent ones only.
URGENT = frozenset({NoticeKind.RETRAFFICKING, NoticeKind.MISSING_FOUND})


def _absolute(url: str) -> str:
    base = getattr(settings, "SETU_BASE_URL", "").rstrip("/")
    return f"{base}{url}" if base else url


def notify(*, recipients: Iterable[Any], kind: str, message: str, url: str = "") -> int:
    """Send one personal-data-free notice to each user: inbox always, email/SMS as they chose.

    A system write (called by tasks, not on a user's behalf); returns how many users got it.
    """
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not users:
        return 0
    message = message[:300]
    Notification.objects.bulk_create(
        [Notification(recipient=u, kind=kind, message=message, url=url) for u in users.values()]
    )
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=list(users))}
    sms = None
    for user in users.values():
        pref = prefs.get(user.pk) or NotificationPreference(user=user)
        outside = not pref.urgent_only or kind in URGENT
        body = f"{message}\n\n{_absolute(url)}" if url else message
        if pref.email and outside and user.email:
            # After commit: a rolled-back notice must not have been emailed.
            transaction.on_commit(
                lambda a=user.email, b=body: channels.send_email(
                    address=a, subject=_("Setu: %s") % NoticeKind(kind).label, body=b
                )
            )
        if pref.sms and outside and pref.sms_number:
            sms = sms or channels.short_message_channel()
            transaction.on_commit(lambda n=pref.sms_number, b=body, s=sms: s.send(number=n, text=b))
    return len(users)


@transaction.atomic
def notification_mark_read(*, actor: Actor, notification_id: Any) -> Notification:
    """Mark one of the actor's own notices read."""
    qs = policy.scope(actor, Notification.objects.filter(pk=notification_id), Action.VIEW)
    notice = qs.first()
    if notice is None:
        raise NotFound(
            action=Action.VIEW, target=("notifications.notification", str(notification_id), None)
        )
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at", "updated_at"])
    return notice


@transaction.atomic
def notification_mark_all_read(*, actor: Actor) -> int:
    """Mark every unread notice of the actor read; returns how many."""
    qs = policy.scope(actor, Notification.objects.filter(read_at__isnull=True), Action.VIEW)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def preference_update(
    *, actor: Actor, email: bool, sms: bool, sms_number: str = "", urgent_only: bool = False
) -> NotificationPreference:
    """Choose the channels the actor receives notices on (the inbox is always on)."""
    number = "".join(ch for ch in (sms_number or "") if ch.isdigit() or ch == "+")
    if sms and len(number.lstrip("+")) < 10:
        raise InvalidInput({"sms_number": [_("Give a mobile number to receive SMS or WhatsApp.")]})
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=actor.user
    )
    before = {"email": pref.email, "sms": pref.sms, "urgent_only": pref.urgent_only}
    pref.email, pref.sms, pref.sms_number, pref.urgent_only = email, sms, number, urgent_only
    pref.full_clean()
    pref.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=("notifications.notificationpreference", str(pref.pk), None),
        changes={
            "before": before,
            "after": {"email": email, "sms": sms, "urgent_only": urgent_only},
        },
    )
    return pref
