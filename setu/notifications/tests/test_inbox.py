"""The inbox does not flood: alike unread notices are one line with what to do next, urgent
first; filters by kind and read/unread; mark all (or one kind) read; daily digest."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.access.actor import actor_for_user
from setu.notifications import selectors, services
from setu.notifications.models import NoticeKind, Notification, NotificationPreference
from setu.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send(user, kind, n, *, subject_prefix="x"):
    for i in range(n):
        services.notification_send(
            recipients=[user], kind=kind, message=f"{kind} {i}", url=f"/{i}/",
            subject=f"{subject_prefix}:{kind}:{i}",
        )  # fmt: skip


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_a_subject_has_one_notice_per_user_kept_current():
    user = UserFactory()
    for text in ("first", "second"):
        services.notification_send(
            recipients=[user], kind=NoticeKind.MATCH, message=text, subject="matching.x:1"
        )
        Notification.objects.update(read_at=timezone.now())
    services.notification_send(
        recipients=[user], kind=NoticeKind.LINK, message="third", subject="matching.x:1"
    )
    [notice] = Notification.objects.all()
    assert (notice.message, notice.kind, notice.read_at) == ("third", NoticeKind.LINK, None)


def test_alike_unread_notices_are_one_line_urgent_first():
    user = UserFactory()
    _send(user, NoticeKind.DUPLICATE, 40)
    _send(user, NoticeKind.RETRAFFICKING, 3)
    _send(user, NoticeKind.OTHER, 1)
    actor = actor_for_user(user)
    items = selectors.inbox(actor=actor)
    assert selectors.unread_count(actor=actor) == 3 == len([i for i in items if i.unread])
    assert [i.kind for i in items] == [NoticeKind.RETRAFFICKING, NoticeKind.DUPLICATE, "other"]
    dup = items[1]
    assert dup.count == 40 and "40 possible duplicates" in dup.message
    assert dup.url == reverse("matching:pair-list") + "?urgency=duplicate"
    assert "confirm or dismiss" in dup.next_step


def test_intelligence_alerts_are_their_own_group_leading_to_the_cross_references():
    user = UserFactory()
    _send(user, NoticeKind.INTEL, 3, subject_prefix="intel.intellink")
    _send(user, NoticeKind.OTHER, 2)
    actor = actor_for_user(user)
    items = selectors.inbox(actor=actor)
    assert [(i.kind, i.count) for i in items] == [(NoticeKind.INTEL, 3), (NoticeKind.OTHER, 2)]
    assert "3 values also known to other organisations" in items[0].message
    assert items[0].url == reverse("intel:crossref")
    assert "whom to ask" in items[0].next_step
    assert len(selectors.inbox(actor=actor, kind=NoticeKind.INTEL)) == 3


def test_filters_show_notices_one_by_one():
    user = UserFactory()
    _send(user, NoticeKind.MATCH, 3)
    _send(user, NoticeKind.REFERRAL, 2)
    actor = actor_for_user(user)
    matches = selectors.inbox(actor=actor, kind=NoticeKind.MATCH)
    assert len(matches) == 3 and all(not i.is_group for i in matches)
    services.notification_mark_all_read(actor=actor, kind=NoticeKind.MATCH)
    assert len(selectors.inbox(actor=actor, state="read")) == 3
    unread = selectors.inbox(actor=actor, state="unread")
    assert [i.count for i in unread] == [2]  # the referral group only


def test_inbox_page_groups_filters_and_marks_a_kind_read():
    user = UserFactory()
    _send(user, NoticeKind.DUPLICATE, 5)
    _send(user, NoticeKind.REFERRAL, 2)
    client = _client(user)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "5 possible duplicates in your organisation" in html
    assert "?kind=duplicate&amp;state=unread" in html
    one_by_one = client.get(reverse("notifications:inbox"), {"kind": "duplicate"})
    assert one_by_one.content.decode().count("duplicate 0") == 1
    client.post(reverse("notifications:read-all"), {"kind": "duplicate"})
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    client.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_digest_readers_get_urgent_notices_at_once_and_the_rest_once_a_day(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(preferred_language="en")
    NotificationPreference.objects.create(user=user, email=True, digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        _send(user, NoticeKind.MATCH, 4)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _send(user, NoticeKind.RETRAFFICKING, 1)
    assert len(mail.outbox) == 1
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_send(now=now) == 1
        # Not twice a day, and not again when nothing is new.
        assert services.digest_send(now=now + datetime.timedelta(hours=2)) == 0
        assert services.digest_send(now=now + datetime.timedelta(days=1)) == 0
    digest = mail.outbox[1]
    assert "4 possible matches with other organisations" in digest.body
    assert "1 re-trafficking alert" in digest.body
    assert reverse("notifications:inbox") in digest.body


def test_digest_command_skips_users_who_did_not_choose_it(django_capture_on_commit_callbacks):
    chose, did_not = UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=chose, email=True, digest=True)
    for user in (chose, did_not):
        _send(user, NoticeKind.DUPLICATE, 2, subject_prefix=str(user.pk))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notifications", "digest", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[chose.email]]


def test_preferences_page_saves_the_digest_choice():
    user = UserFactory()
    _client(user).post(reverse("notifications:preferences"), {"email": "on", "digest": "on"})
    assert NotificationPreference.objects.get(user=user).digest is True
