"""The review queue can be triaged: our own side named, most urgent first, waiting time shown,
filters by GET and a search of our own records by POST; person and case pages list their pairs;
the API says with which organisation each of our records is linked."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.matching import selectors, services
from setu.matching.models import AlertKind, MatchAlert, MatchPair, PairStatus, QueueUrgency
from setu.matching.tests import factories as f
from setu.notifications.models import Notification
from setu.registry.models import CasePerson

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


@pytest.fixture
def queue():
    """Four pairs waiting for the source organisation, one of each urgency, oldest first."""
    net = f.network()
    mine = [f.person_in_case(net.source, given_name=n)[0] for n in ("Asha", "Bela", "Chhaya")]
    dup_other, _ = f.person_in_case(net.source, given_name="Asa")
    theirs = [f.person_in_case(net.dest, given_name=n)[0] for n in ("Xena", "Yami", "Zoya")]
    dup = f.pair_between(mine[0], dup_other)
    cross = f.pair_between(mine[1], theirs[0])
    missing = f.pair_between(mine[2], theirs[1], missing_found=True)
    seen_before, _ = f.person_in_case(net.source, given_name="Devi")
    alerted = f.pair_between(seen_before, theirs[2])
    MatchAlert.objects.create(
        organisation=net.source, person=seen_before, kind=AlertKind.RETRAFFICKING
    )
    # Made in reverse order of urgency, a day apart: the order below is not creation order.
    for days, pair in enumerate((alerted, missing, cross, dup)):
        MatchPair.objects.filter(pk=pair.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=10 - days)
        )
    return net, {"dup": dup, "cross": cross, "missing": missing, "alerted": alerted}, theirs


def test_queue_is_sorted_by_urgency(queue):
    net, pairs, _theirs = queue
    actor = net.actor("source_contact")
    got = [p.pk for p in selectors.pair_queue(actor=actor)]
    assert got == [pairs[k].pk for k in ("alerted", "missing", "cross", "dup")]
    rows = selectors.queue_rows(actor=actor, pairs=list(selectors.pair_queue(actor=actor)))
    assert [r.urgency for r in rows] == list(QueueUrgency.values)


def test_queue_filters_by_urgency_and_names_our_side_only(queue):
    net, pairs, theirs = queue
    actor = net.actor("source_contact")
    only = selectors.pair_queue(actor=actor, urgency=QueueUrgency.MISSING_FOUND)
    assert [p.pk for p in only] == [pairs["missing"].pk]
    html = _client(net.source_contact.user).get(reverse("matching:pair-list")).content.decode()
    for name in ("Asha", "Asa", "Bela", "Chhaya", "Devi"):
        assert name in html
    for other in theirs:
        assert other.given_name not in html and str(other.pk) not in html
    assert "Sagar Destination Trust" in html  # their organisation, by name
    # Case references of our own side link to our cases.
    ours = pairs["cross"].own_person_id(net.source.pk)
    assert CasePerson.objects.get(person_id=ours).case.reference in html
    assert "day" in html  # how long it has waited


def test_queue_search_is_posted_and_never_read_from_the_url(queue):
    net, pairs, _theirs = queue
    client = _client(net.source_contact.user)
    url = reverse("matching:pair-list")
    found = client.post(url, {"q": "Bela"}).content.decode()
    assert reverse("matching:pair-detail", args=[pairs["cross"].pk]) in found
    assert reverse("matching:pair-detail", args=[pairs["dup"].pk]) not in found
    ignored = client.get(url, {"q": "Bela"}).content.decode()
    assert reverse("matching:pair-detail", args=[pairs["dup"].pk]) in ignored


def test_queue_search_by_case_reference(queue):
    net, pairs, _theirs = queue
    actor = net.actor("source_contact")
    person = pairs["missing"].person_a
    if person.owner_org_id != net.source.pk:
        person = pairs["missing"].person_b
    reference = person.case_links.get().case.reference
    ids = selectors.queue_search(actor=actor, query=reference)
    assert person.pk in ids
    assert [p.pk for p in selectors.pair_queue(actor=actor, person_ids=ids)] == [
        pairs["missing"].pk
    ]


def test_the_other_side_cannot_search_our_names(queue):
    net, pairs, _theirs = queue
    html = _client(net.dest_contact.user).post(reverse("matching:pair-list"), {"q": "Bela"})
    assert reverse("matching:pair-detail", args=[pairs["cross"].pk]) not in html.content.decode()


def test_person_and_case_pages_list_pairs_and_say_linked_after_both_confirmed(queue):
    net, pairs, _theirs = queue
    pair = pairs["cross"]
    own = pair.own_person_id(net.source.pk)
    source = _client(net.source_contact.user)
    status_url = reverse("matching:person-status", args=[own])
    before = source.get(status_url).content.decode()
    assert "Possible match with a record held by Sagar Destination Trust" in before
    assert reverse("matching:pair-detail", args=[pair.pk]) in before
    MatchPair.objects.filter(pk=pair.pk).update(status=PairStatus.LINKED)
    after = source.get(status_url).content.decode()
    assert "Linked with Sagar Destination Trust" in after
    assert "possible match" not in after.lower()
    case_id = next(
        link.case_id
        for link in (pair.person_a.case_links.all() | pair.person_b.case_links.all())
        if link.case.owner_org_id == net.source.pk
    )
    panel = source.get(reverse("matching:case-pairs", args=[case_id])).content.decode()
    assert "Linked with Sagar Destination Trust" in panel


def test_api_says_with_which_organisation_each_record_is_linked(queue):
    net, pairs, theirs = queue
    pair = pairs["cross"]
    MatchPair.objects.filter(pk=pair.pk).update(status=PairStatus.LINKED)
    client = _client(net.source_contact.user)
    body = client.get(reverse("api:match-link-list")).json()
    [row] = body["results"]
    assert row["person_id"] == str(pair.own_person_id(net.source.pk))
    assert row["linked_with"]["name"] == "Sagar Destination Trust"
    assert str(theirs[0].pk) not in str(body)
    one = client.get(reverse("api:match-link-list"), {"person": row["person_id"]}).json()
    assert len(one["results"]) == 1
    assert client.get(reverse("api:match-link-list"), {"person": "x"}).status_code == 400


def test_one_notice_per_pair_per_organisation_updated_when_evidence_changes():
    net = f.network()
    missing, _ = f.missing_girl(net.source)
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(missing)
    f.consent_matching(rescued)
    services.records_refresh([missing.pk, rescued.pk])
    services.person_check(person_id=rescued.pk)
    pair = MatchPair.objects.get()
    mine = Notification.objects.filter(recipient=net.source_contact.user, url__contains=pair.pk)
    assert mine.count() == 1
    mine.update(read_at=timezone.now())
    # The evidence weakens, then becomes strong again: still one notice, unread again.
    MatchPair.objects.filter(pk=pair.pk).update(band="possible", missing_found=False)
    services.person_check(person_id=rescued.pk)
    services.person_check(person_id=missing.pk)
    assert mine.count() == 1 and mine.get().read_at is None
    # Our side answers: our notice needs no more attention; theirs now says what we asked.
    services.pair_confirm(actor=net.actor("source_contact"), pair_id=pair.pk)
    assert mine.get().read_at is not None
    theirs = Notification.objects.filter(recipient=net.dest_contact.user, url__contains=pair.pk)
    assert theirs.count() == 1 and "asks to link" in theirs.get().message


def test_duplicate_notice_wording_is_not_doubled():
    net = f.network()
    a, _ = f.missing_girl(net.source)
    b, _ = f.missing_girl(net.source)
    services.records_refresh([a.pk, b.pk])
    services.person_check(person_id=b.pk)
    notice = Notification.objects.get(recipient=net.source_contact.user)
    assert "possible duplicate" in notice.message.lower()
    assert "possible possible" not in notice.message.lower()
    assert "confirm or dismiss" in notice.message
