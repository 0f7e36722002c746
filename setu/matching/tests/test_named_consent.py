"""Consent to matching with named organisations only: the index, pairs, notices, withdrawal,
lapse, links, check-before-create and alerts all follow it, from both sides."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from setu.consent import services as consent_services
from setu.core.errors import InvalidInput
from setu.core.tests.apiclient import token_client
from setu.matching import engine, records, selectors, services
from setu.matching.models import (
    AlertKind,
    MatchAlert,
    MatchingReach,
    MatchKey,
    MatchPair,
    MatchRecord,
    PairKind,
    PairStatus,
)
from setu.matching.tests import factories as f
from setu.notifications.models import Notification
from setu.registry import services as registry
from setu.registry.models import EventKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def net():
    return f.network()


def _pair(a, b):
    x, y = sorted((a, b), key=lambda p: str(p.pk))
    return MatchPair.objects.filter(person_a=x, person_b=y).first()


def _record(person):
    return records.person_record(records.persons_for_records().get(pk=person.pk))


def _three(net, *, missing_to=(), rescued_to=None, elsewhere_to=None):
    """Rupa reported missing at the source; the same girl rescued at the destination and held
    by the third organisation too. ``missing_to``: organisations her consents name (None in the
    list = network-wide); the other two records consent network-wide unless told."""
    missing, _ = f.missing_girl(net.source)
    rescued, _ = f.rescued_girl(net.dest)
    elsewhere, _ = f.rescued_girl(net.third)
    for org in missing_to:
        f.consent_matching(missing, recipient_org=org)
    for person, to in ((rescued, rescued_to), (elsewhere, elsewhere_to)):
        for org in to if to is not None else (None,):
            f.consent_matching(person, recipient_org=org)
    services.records_refresh([missing.pk, rescued.pk, elsewhere.pk])
    return missing, rescued, elsewhere


def test_a_named_consent_is_indexed_for_that_organisation_only(net):
    missing, *_ = _three(net, missing_to=[net.dest])
    record = MatchRecord.objects.get(person=missing)
    assert not record.cross_org and record.matching_orgs == [str(net.dest.pk)]
    assert record.reach == MatchingReach.NAMED
    base = MatchKey.objects.filter(record=record, allowed_org_id__isnull=True)
    named = MatchKey.objects.filter(record=record, allowed_org_id=net.dest.pk)
    assert base.count() == named.count() > 0
    assert not MatchKey.objects.filter(record=record, cross_org=True).exists()
    assert MatchKey.objects.filter(record=record).count() == 2 * base.count()


def test_named_consent_pairs_with_that_organisation_and_nobody_else(net):
    missing, rescued, elsewhere = _three(net, missing_to=[net.dest])
    outcome = services.person_check(person_id=missing.pk)
    assert outcome.cross_org == 1
    assert _pair(missing, rescued).kind == PairKind.CROSS_ORG
    assert _pair(missing, elsewhere) is None
    # From the third organisation's side the record is not found either.
    services.person_check(person_id=elsewhere.pk)
    assert _pair(missing, elsewhere) is None
    third_notes = Notification.objects.filter(recipient=net.third_member.user)
    assert not third_notes.filter(message__contains="Padma Source NGO").exists()
    assert Notification.objects.filter(
        recipient=net.dest_contact.user, message__contains="Padma Source NGO"
    ).exists()
    # The third organisation's notices hold only its pair with the destination's record.
    third = token_client(net.third_member.user).get(reverse("api:match-notice-list")).json()
    assert [r["id"] for r in third["results"]] == [str(_pair(rescued, elsewhere).pk)]


def test_both_consents_must_cover_the_other_organisation(net):
    # Her consent is network-wide, but the destination's record allows only the third org.
    missing, rescued, elsewhere = _three(net, missing_to=[None], rescued_to=[net.third])
    services.person_check(person_id=missing.pk)
    services.person_check(person_id=rescued.pk)
    assert _pair(missing, rescued) is None
    assert _pair(missing, elsewhere) is not None
    assert _pair(rescued, elsewhere) is not None
    assert not Notification.objects.filter(
        recipient=net.dest_contact.user, message__contains="Padma Source NGO"
    ).exists()


def test_two_named_organisations_combine(net):
    missing, rescued, elsewhere = _three(net, missing_to=[net.dest, net.third])
    assert MatchRecord.objects.get(person=missing).matching_orgs == sorted(
        [str(net.dest.pk), str(net.third.pk)]
    )
    assert services.person_check(person_id=missing.pk).cross_org == 2
    assert _pair(missing, rescued) is not None and _pair(missing, elsewhere) is not None


def test_a_network_wide_consent_dominates_a_named_one(net):
    missing, rescued, elsewhere = _three(net, missing_to=[net.dest, None])
    record = MatchRecord.objects.get(person=missing)
    assert record.cross_org and record.matching_orgs == []
    assert not MatchKey.objects.filter(record=record, allowed_org_id__isnull=False).exists()
    services.person_check(person_id=missing.pk)
    assert _pair(missing, rescued) is not None and _pair(missing, elsewhere) is not None


def test_withdrawing_one_named_consent_withdraws_only_that_organisations_pairs(
    net, django_capture_on_commit_callbacks
):
    missing, rescued, elsewhere = _three(net, missing_to=[net.dest, net.third])
    services.person_check(person_id=missing.pk)
    to_dest = missing.consents.get(recipient_org=net.dest)
    with django_capture_on_commit_callbacks(execute=True):
        consent_services.consent_withdraw(actor=net.actor("source_contact"), consent=to_dest)
    assert _pair(missing, rescued).status == PairStatus.WITHDRAWN
    assert _pair(missing, elsewhere).status == PairStatus.OPEN
    record = MatchRecord.objects.get(person=missing)
    assert record.matching_orgs == [str(net.third.pk)]
    assert not MatchKey.objects.filter(record=record, allowed_org_id=net.dest.pk).exists()
    # Checking the destination's record again does not raise the pair again.
    services.person_check(person_id=rescued.pk)
    assert _pair(missing, rescued).status == PairStatus.WITHDRAWN


def test_recording_a_named_consent_brings_the_record_into_matching(
    net, django_capture_on_commit_callbacks
):
    missing, rescued, elsewhere = _three(net)
    services.person_check(person_id=missing.pk)
    assert _pair(missing, rescued) is None
    with django_capture_on_commit_callbacks(execute=True):
        consent_services.consent_record(
            actor=net.actor("source_contact"),
            person=missing,
            scopes=["matching"],
            recipient_org=net.dest,
        )
    assert _pair(missing, rescued) is not None
    assert _pair(missing, elsewhere) is None


def test_a_lapsed_named_consent_is_swept_out_of_the_index(net):
    missing, rescued, elsewhere = _three(net, missing_to=[net.dest, net.third])
    services.person_check(person_id=missing.pk)
    missing.consents.filter(recipient_org=net.dest).update(
        given_on=datetime.date(2024, 1, 1), expires_on=datetime.date(2025, 1, 1)
    )
    # Indexed while that consent was still in force.
    MatchRecord.objects.filter(person=missing).update(
        updated_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    )
    assert consent_services.consents_lapse() == 1
    assert _pair(missing, rescued).status == PairStatus.WITHDRAWN
    assert _pair(missing, elsewhere).status == PairStatus.OPEN
    assert consent_services.consents_lapse() == 0  # done once, not every night


def test_link_confirmation_rechecks_consent_for_the_two_organisations(net):
    missing, rescued, _elsewhere = _three(net, missing_to=[net.dest])
    services.person_check(person_id=missing.pk)
    pair = _pair(missing, rescued)
    services.pair_confirm(actor=net.actor("source_contact"), pair_id=pair.pk)
    # Without the index being told, her consent now names the third organisation instead.
    missing.consents.update(withdrawn_on=datetime.date.today())
    f.consent_matching(missing, recipient_org=net.third)
    with pytest.raises(InvalidInput):
        services.pair_confirm(actor=net.actor("dest_contact"), pair_id=pair.pk)
    pair.refresh_from_db()
    assert pair.status != PairStatus.LINKED


def test_a_stale_index_entry_raises_no_pair(net):
    missing, rescued, _elsewhere = _three(net, missing_to=[net.dest])
    # The consent is withdrawn without the index being told (e.g. a bulk load).
    missing.consents.update(withdrawn_on=datetime.date.today())
    services.person_check(person_id=rescued.pk)
    assert _pair(missing, rescued) is None
    assert not Notification.objects.filter(recipient=net.source_contact.user).exists()


def test_check_before_create_counts_only_records_consenting_to_the_actors_organisation(net):
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(rescued, recipient_org=net.third)
    services.records_refresh([rescued.pk])
    missing, _ = f.missing_girl(net.source)
    record = _record(missing)
    source = selectors.check_record(actor=net.actor("source_contact"), record=record)
    assert source.other_count == 0 and source.other_orgs == []
    third = selectors.check_record(actor=net.actor("third_member"), record=record)
    assert third.other_count == 1 and third.other_orgs == ["Sagar Destination Trust"]


def test_candidate_retrieval_stays_a_fixed_number_of_queries(net, django_assert_max_num_queries):
    missing, *_ = _three(net, missing_to=[net.dest, net.third])
    rec = records.person_record(records.persons_for_records().get(pk=missing.pk))
    # One UNION ALL of capped per-key reads where the database can (PostgreSQL), else one
    # capped read per key; never a number that grows with the network or the named orgs.
    per_key = not connection.features.supports_slicing_ordering_in_compound
    reads = len(engine.query_keys(rec)) if per_key else 1
    with django_assert_max_num_queries(reads + 2):
        found = services.candidate_records(
            rec,
            organisation_id=net.source.pk,
            cross_org=True,
            partners=[str(net.dest.pk), str(net.third.pk)],
        )
    assert {m.organisation_id for m in found} == {net.dest.pk, net.third.pk}


def test_alerts_reach_only_organisations_her_consent_names(net, django_capture_on_commit_callbacks):
    missing, rescued, _elsewhere = _three(net, missing_to=[net.dest])
    services.person_check(person_id=missing.pk)
    # The third organisation also once sheltered her, in a case of its own.
    old_case = f.CaseFactory(owner_org=net.third)
    f.CasePersonFactory(case=old_case, person=missing)
    f.EventFactory(case=old_case, person=missing, kind=EventKind.SHELTER_ADMISSION,
                   occurred_on=datetime.date(2023, 5, 1))  # fmt: skip
    new_case = f.CaseFactory(owner_org=net.source)
    f.CasePersonFactory(case=new_case, person=missing)
    howrah, wb = f.place("Howrah")
    with django_capture_on_commit_callbacks(execute=True):
        registry.event_add(
            actor=net.actor("source_contact"),
            case=new_case,
            kind=EventKind.INTERCEPTION,
            person=missing,
            occurred_on=datetime.date(2025, 9, 1),
            district=howrah,
            state=wb,
        )
    alerts = MatchAlert.objects.filter(kind=AlertKind.RETRAFFICKING)
    assert {a.organisation_id for a in alerts} == {net.dest.pk}
    assert not MatchAlert.objects.filter(organisation=net.third).exists()
    assert not Notification.objects.filter(recipient=net.third_member.user).exists()
    # The missing <-> found alert went to the source about the destination's match only.
    found = MatchAlert.objects.get(kind=AlertKind.MISSING_FOUND)
    assert found.organisation == net.source and found.pair == _pair(missing, rescued)


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


@pytest.mark.parametrize(
    "consents,expected",
    [
        ([None], "every organisation in the network"),
        (["dest", "third"], "only with: Sagar Destination Trust, Unrelated Legal Aid"),
        ([], "checked only within your organisation"),
    ],
)
def test_status_panel_says_with_whom_the_record_is_matched(net, consents, expected):
    person, _ = f.missing_girl(net.source)
    for who in consents:
        f.consent_matching(person, recipient_org=getattr(net, who) if who else None)
    services.person_check(person_id=person.pk)
    url = reverse("matching:person-status", args=[person.pk])
    html = _client(net.source_contact.user).get(url).content.decode()
    assert expected in html.replace("&#x27;", "'")


def test_check_before_create_ignores_a_consent_that_lapsed_since_indexing(net):
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(rescued, recipient_org=net.source)
    services.records_refresh([rescued.pk])
    rescued.consents.update(
        given_on=datetime.date(2024, 1, 1), expires_on=datetime.date(2025, 1, 1)
    )
    missing, _ = f.missing_girl(net.source)
    result = selectors.check_record(actor=net.actor("source_contact"), record=_record(missing))
    assert result.other_count == 0


def test_lapsed_command_reports_how_many_consents_were_retired(net):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("matching", "lapsed", stdout=out)
    assert "0 expired consents retired" in out.getvalue()
