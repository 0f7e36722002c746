"""Notifications: inbox always, email and SMS as each user chose; preferences validated."""

from __future__ import annotations

import pytest
from django.core import mail

from setu.access.actor import actor_for_user
from setu.core.errors import InvalidInput, NotFound
from setu.notifications import selectors, services
from setu.notifications.channels import ConsoleChannel
from setu.notifications.models import NoticeKind, Notification, NotificationPreference
from setu.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_uses_the_chosen_channels(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    emailed, texted, quiet = UserFactory(), UserFactory(), UserFactory()
    NotificationPreference.objects.create(
        user=texted, email=False, sms=True, sms_number="+919800000002"
    )
    NotificationPreference.objects.create(user=quiet, email=True, urgent_only=True)
    ConsoleChannel.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.notification_send(
            recipients=[emailed, texted, quiet], kind=NoticeKind.MATCH, message="Look", url="/x/"
        )
    assert sent == 3 and Notification.objects.count() == 3
    assert [m.to for m in mail.outbox] == [[emailed.email]]
    assert len(ConsoleChannel.sent) == 1


def test_inbox_counts_and_mark_read():
    user = UserFactory()
    other = UserFactory()
    services.notification_send(recipients=[user], kind=NoticeKind.OTHER, message="One")
    actor = actor_for_user(user)
    assert selectors.unread_count(actor=actor) == 1
    notice = Notification.objects.get()
    with pytest.raises(NotFound):
        services.notification_mark_read(actor=actor_for_user(other), notification_id=notice.pk)
    services.notification_mark_read(actor=actor, notification_id=notice.pk)
    assert selectors.unread_count(actor=actor) == 0
    assert [i.message for i in selectors.inbox(actor=actor)] == ["One"]


def test_sms_needs_a_number():
    actor = actor_for_user(UserFactory())
    with pytest.raises(InvalidInput):
        services.preference_update(actor=actor, email=True, sms=True, sms_number="")
    pref = services.preference_update(
        actor=actor, email=False, sms=True, sms_number="+91 98000 00003"
    )
    assert pref.sms_number == "+919800000003"
    assert selectors.preference_get(actor=actor).email is False
