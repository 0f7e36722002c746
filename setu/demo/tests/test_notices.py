"""The demo after its first full re-match: nobody's inbox floods, and no pair is lost."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count

from setu.access.actor import actor_for_user
from setu.accounts.models import User
from setu.matching import selectors as matching
from setu.matching.models import MatchPair, PairStatus
from setu.notifications import selectors as inbox
from setu.notifications.models import Notification
from setu.orgs.models import Organisation

# Big enough that some caseworker gets far more than 30 notices (asserted below).
PERSONS = 150
SEED = 2026
MAX_UNREAD = 30


@pytest.fixture
def rematched(db, settings):
    settings.DEMO_MODE = True
    call_command(
        "demo", "load", "--persons", str(PERSONS), "--seed", str(SEED), stdout=io.StringIO()
    )
    call_command("matching", "rematch", stdout=io.StringIO())


def test_no_inbox_floods_and_no_pair_is_lost(rematched):
    raw = Counter(
        dict(
            Notification.objects.filter(read_at__isnull=True)
            .values_list("recipient")
            .annotate(n=Count("id"))
        )
    )
    assert max(raw.values()) > MAX_UNREAD  # the flood this guards against is really there
    for user in User.objects.filter(pk__in=list(raw)):
        actor = actor_for_user(user)
        lines = inbox.inbox(actor=actor, state="unread")
        assert inbox.unread_count(actor=actor) == len(lines) <= MAX_UNREAD, user.username
        # Every grouped line stands for its notices: none is dropped from the count.
        assert sum(i.count for i in lines) == raw[user.pk]
    # One notice per pair (or alert, or referral) per user, never two.
    repeated = (
        Notification.objects.exclude(subject="")
        .values("recipient", "subject")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not repeated.exists()
    # Every pair waiting for an organisation is in its queue.
    for org in Organisation.objects.all():
        reviewer = User.objects.filter(
            memberships__organisation=org, memberships__role__in=["caseworker", "org_admin"]
        ).first()
        if reviewer is None:
            continue
        actor = actor_for_user(reviewer)
        waiting = MatchPair.objects.filter(status=PairStatus.OPEN).filter(
            org_a=org
        ) | MatchPair.objects.filter(status=PairStatus.OPEN, org_b=org)
        queued = set(matching.pair_queue(actor=actor).values_list("pk", flat=True))
        assert set(waiting.values_list("pk", flat=True)) <= queued, org.name
    # The caseworker of the issue: alike notices grouped, each line with a next step and link.
    user = User.objects.get(username="mumbai-ngo.caseworker")
    lines = inbox.inbox(actor=actor_for_user(user), state="unread")
    assert lines and all(line.next_step and line.url for line in lines if line.is_group)
    assert not any("possible possible" in line.message.lower() for line in lines)
