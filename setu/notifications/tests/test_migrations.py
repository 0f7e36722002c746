"""Referral notices written before the move reach the one inbox intact (the data migration's
copy step, run against today's inbox model and stand-in old rows)."""

from __future__ import annotations

import datetime
import importlib
import uuid
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from setu.notifications.models import NoticeKind, Notification
from setu.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
move = importlib.import_module("setu.notifications.migrations.0003_move_referral_notices")
intel_move = importlib.import_module("setu.notifications.migrations.0007_move_intel_notices")


class _OldRows:
    def __init__(self, rows):
        self.rows = rows

    def all(self):
        return self

    def iterator(self, chunk_size):
        return iter(self.rows)


class _Apps:
    def __init__(self, old_rows):
        self.old = SimpleNamespace(objects=_OldRows(old_rows))

    def get_model(self, app, model):
        return self.old if app == "referrals" else Notification


def test_referral_notices_move_into_the_inbox_with_their_link_and_times():
    user = UserFactory()
    referral_id = uuid.uuid4()
    then = timezone.now() - datetime.timedelta(days=9)
    read = then + datetime.timedelta(hours=1)
    old = [
        SimpleNamespace(id=uuid.uuid4(), created_at=then, updated_at=then, recipient_id=user.pk,
                        referral_id=referral_id, message="New referral", read_at=None),
        SimpleNamespace(id=uuid.uuid4(), created_at=then, updated_at=read, recipient_id=user.pk,
                        referral_id=None, message="Old one", read_at=read),
    ]  # fmt: skip
    move.forward(_Apps(old), None)
    moved = {n.message: n for n in Notification.objects.filter(recipient=user)}
    new = moved["New referral"]
    assert new.kind == NoticeKind.REFERRAL and new.read_at is None
    # The stored path is the one the referral page has today.
    assert new.url == reverse("referrals:referral-detail", args=[referral_id])
    assert new.subject == f"referrals.referral:{referral_id}"
    assert (new.created_at, new.updated_at) == (then, then)
    assert moved["Old one"].read_at == read and moved["Old one"].url == ""


class _Today:
    def get_model(self, app, model):
        return Notification


def test_intelligence_alerts_sent_as_other_become_their_own_kind_and_back():
    user = UserFactory()
    then = timezone.now() - datetime.timedelta(days=3)
    for kind, subject in (
        ("other", "intel.intellink:1"),
        ("other", "intel.sharingagreement:2"),
        ("match", "matching.pair:3"),
    ):
        Notification.objects.create(recipient=user, kind=kind, message=subject, subject=subject)
    Notification.objects.update(updated_at=then)
    intel_move.forward(_Today(), None)
    kinds = dict(Notification.objects.values_list("subject", "kind"))
    assert kinds == {
        "intel.intellink:1": NoticeKind.INTEL,
        "intel.sharingagreement:2": NoticeKind.OTHER,
        "matching.pair:3": NoticeKind.MATCH,
    }
    # Moved, not re-sent: the inbox order (by last update) is kept.
    assert set(Notification.objects.values_list("updated_at", flat=True)) == {then}
    intel_move.backward(_Today(), None)
    assert Notification.objects.get(subject="intel.intellink:1").kind == NoticeKind.OTHER
