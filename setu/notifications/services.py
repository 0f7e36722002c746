"""Writes of the notifications context: deliver notices, mark them read, set channel choices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from setu.access import policy
from setu.access.actor import Actor
from setu.access.policy import Action
from setu.audit import services as audit
from setu.audit.services import AuditAction
from setu.core.errors import InvalidInput, NotFound
from setu.notifications import channels
from setu.notifications.models import NoticeKind as NoticeKind
from setu.notifications.models import Notification, NotificationPreference

# Notices worth an SMS even for users who asked for urgent ones only.
# A serious complaint (abuse, bribery, threats by staff) goes to its handler at once.
URGENT = frozenset({NoticeKind.RETRAFFICKING, NoticeKind.MISSING_FOUND, NoticeKind.FEEDBACK})


def _absolute(url: str) -> str:
    base = getattr(settings, "SETU_BASE_URL", "").rstrip("/")
    return f"{base}{url}" if base else url


def subject_of(obj: Any) -> str:
    """The subject key of a model instance ("app.model:uuid"): one notice per user per subject."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _wants(pref: NotificationPreference, kind: str) -> tuple[bool, bool]:
    """Whether this notice goes out by email and by SMS now, per the user's choices."""
    urgent = kind in URGENT
    outside = not pref.urgent_only or urgent
    # A digest reader gets urgent notices at once and everything else in the daily email.
    email = pref.email and outside and (urgent or not pref.digest)
    sms = pref.sms and outside and bool(pref.sms_number)
    return email, sms


def notification_send(
    *, recipients: Iterable[Any], kind: str, message: str, url: str = "", subject: str = ""
) -> int:
    """Send one personal-data-free notice to each user: inbox always, email/SMS as they chose.

    With a ``subject`` a user's earlier notice about the same thing is updated and marked unread
    again instead of a second one being added. A system write (apps call it from their services,
    not on a user's behalf); returns how many users got it.
    """
    users = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not users:
        return 0
    message = message[:300]
    _deliver(user_ids=list(users), kind=kind, message=message, url=url, subject=subject)
    prefs = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=list(users))}
    sms = None
    body = f"{message}\n\n{_absolute(url)}" if url else message
    for user in users.values():
        by_email, by_sms = _wants(prefs.get(user.pk) or NotificationPreference(user=user), kind)
        if by_email and user.email:
            # After commit: a rolled-back notice must not have been emailed.
            transaction.on_commit(
                lambda a=user.email, b=body: channels.send_email(
                    address=a, subject=_("Setu: %s") % NoticeKind(kind).label, body=b
                )
            )
        if by_sms:
            number = prefs[user.pk].sms_number
            sms = sms or channels.short_message_channel()
            transaction.on_commit(lambda n=number, b=body, s=sms: s.send(number=n, text=b))
    return len(users)


@policy.system_read
def _deliver(*, user_ids: list[Any], kind: str, message: str, url: str, subject: str) -> None:
    """Write a fan-out's notices. They go to other users, often of other organisations, whose
    notices row-level security hides from whoever acts (``access 0008``: the recipient's own);
    nothing is read back but the same subject's earlier notices of these users."""
    earlier: dict[Any, Notification] = {}
    if subject:
        for notice in Notification.objects.filter(recipient_id__in=user_ids, subject=subject):
            earlier.setdefault(notice.recipient_id, notice)
    now = timezone.now()
    for notice in earlier.values():
        notice.kind, notice.message, notice.url = kind, message, url
        notice.read_at, notice.updated_at = None, now
    Notification.objects.bulk_update(
        list(earlier.values()), ["kind", "message", "url", "read_at", "updated_at"]
    )
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=pk, kind=kind, message=message, url=url, subject=subject)
            for pk in user_ids
            if pk not in earlier
        ]
    )


def sms_send(*, number: str, text: str) -> None:
    """Send one short message to a number that is not a user's (a survivor who agreed to
    reminders), after commit, through the configured channel. A system write; the caller
    decides whether consent allows it and keeps names out of ``text``."""
    channel = channels.short_message_channel()
    transaction.on_commit(lambda: channel.send(number=number, text=text[:300]))


def notification_settle(*, recipients: Iterable[Any], subject: str) -> int:
    """Mark these users' notices about a subject read: their organisation has acted on it.

    A system write, like ``notification_send``; returns how many notices it settled."""
    return _settle(user_ids=[u.pk for u in recipients if u is not None], subject=subject)


@policy.system_read
def _settle(*, user_ids: list[Any], subject: str) -> int:
    """Mark read the notices of an organisation's recipients, not only the acting user's, whom
    row-level security limits to their own (``access 0008``); returns how many."""
    qs = Notification.objects.filter(
        recipient_id__in=user_ids, subject=subject, read_at__isnull=True
    )
    return qs.update(read_at=timezone.now())


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
def notification_mark_all_read(*, actor: Actor, kind: str | None = None) -> int:
    """Mark every unread notice of the actor read (or those of one kind); returns how many."""
    qs = policy.scope(actor, Notification.objects.filter(read_at__isnull=True), Action.VIEW)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def preference_update(
    *,
    actor: Actor,
    email: bool,
    sms: bool,
    sms_number: str = "",
    urgent_only: bool = False,
    digest: bool = False,
) -> NotificationPreference:
    """Choose the channels the actor receives notices on (the inbox is always on)."""
    number = "".join(ch for ch in (sms_number or "") if ch.isdigit() or ch == "+")
    if sms and len(number.lstrip("+")) < 10:
        raise InvalidInput({"sms_number": [_("Give a mobile number to receive SMS or WhatsApp.")]})
    pref, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=actor.user
    )
    before = {
        "email": pref.email,
        "sms": pref.sms,
        "urgent_only": pref.urgent_only,
        "digest": pref.digest,
    }
    pref.email, pref.sms, pref.sms_number, pref.urgent_only = email, sms, number, urgent_only
    pref.digest = digest
    pref.full_clean()
    pref.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=("notifications.notificationpreference", str(pref.pk), None),
        changes={
            "before": before,
            "after": {"email": email, "sms": sms, "urgent_only": urgent_only, "digest": digest},
        },
    )
    return pref


# A digest goes out at most once per this many hours (a little under a day, so a daily cron job
# that runs a few minutes early still sends).
DIGEST_HOURS = 20


def digest_send(*, now: Any = None) -> int:
    """Email each user who chose the daily digest what waits in their inbox (counts by kind, no
    personal data); run by ``setu notifications digest`` from cron. Returns how many were sent."""
    from setu.notifications import selectors

    now = now or timezone.now()
    due = (
        NotificationPreference.objects.filter(
            digest=True, email=True, urgent_only=False, user__is_active=True
        )
        .exclude(user__email="")
        .filter(
            Q(digest_sent_at__isnull=True)
            | Q(digest_sent_at__lte=now - timedelta(hours=DIGEST_HOURS))
        )
        .select_related("user")
    )
    sent = 0
    for pref in due:
        with transaction.atomic():
            locked = NotificationPreference.objects.select_for_update().get(pk=pref.pk)
            if locked.digest_sent_at and locked.digest_sent_at > now - timedelta(
                hours=DIGEST_HOURS
            ):
                continue  # another worker sent it meanwhile
            since = locked.digest_sent_at
            lines = selectors.digest_lines(user=pref.user, since=since)
            locked.digest_sent_at = now
            locked.save(update_fields=["digest_sent_at", "updated_at"])
            if not lines:
                continue
            with translation.override(pref.user.preferred_language or None):
                body = "\n".join(
                    [
                        str(_("Waiting for you in your Setu inbox:")),
                        *(f"- {line}" for line in lines),
                        "",
                        _absolute(reverse("notifications:inbox")),
                    ]
                )
                subject = str(_("Setu: your daily digest"))
            transaction.on_commit(
                lambda a=pref.user.email, s=subject, b=body: channels.send_email(
                    address=a, subject=s, body=b
                )
            )
            sent += 1
    return sent
