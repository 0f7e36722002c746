"""Matching services: index upkeep, notices, missing <-> found, links, unlinks, alerts, consent."""

from __future__ import annotations

import datetime

import pytest

from setu.consent import services as consent_services
from setu.core.errors import InvalidInput, NotFound
from setu.matching import selectors, services
from setu.matching.models import (
    AlertKind,
    MatchAlert,
    MatchDecision,
    MatchKey,
    MatchLink,
    MatchPair,
    MatchRecord,
    PairKind,
    PairStatus,
)
from setu.matching.tests import factories as f
from setu.notifications.models import NoticeKind, Notification
from setu.registry import services as registry
from setu.registry.models import EventKind, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def net():
    return f.network()


def _both(net, *, consent=True):
    missing, mcase = f.missing_girl(net.source)
    rescued, rcase = f.rescued_girl(net.dest)
    if consent:
        f.consent_matching(missing)
        f.consent_matching(rescued)
    services.records_refresh([missing.pk, rescued.pk])
    return missing, mcase, rescued, rcase


def _pair(a, b):
    x, y = sorted((a, b), key=lambda p: str(p.pk))
    return MatchPair.objects.filter(person_a=x, person_b=y).first()


def test_index_holds_the_engine_record_and_keys(net):
    missing, *_ = _both(net)
    record = MatchRecord.objects.get(person=missing)
    assert record.data["given_name"] == "Rupa"
    assert record.data["district"] == "Murshidabad"
    assert record.cross_org and record.missing_open and not record.found
    keys = set(MatchKey.objects.filter(record=record).values_list("key", flat=True))
    assert any(k.startswith("g:") for k in keys)
    assert MatchKey.objects.filter(record=record, cross_org=True).count() == len(keys)


def test_a_variant_spelling_in_another_state_becomes_a_cross_org_pair_with_notices(net):
    missing, _mc, rescued, _rc = _both(net)
    outcome = services.person_check(person_id=rescued.pk)
    assert outcome.cross_org == 1
    pair = _pair(missing, rescued)
    assert pair.kind == PairKind.CROSS_ORG and pair.missing_found
    assert pair.status == PairStatus.OPEN
    source_notes = Notification.objects.filter(recipient=net.source_contact.user)
    dest_notes = Notification.objects.filter(recipient=net.dest_contact.user)
    assert source_notes.filter(message__contains="Sagar Destination Trust").exists()
    assert dest_notes.filter(message__contains="Padma Source NGO").exists()
    # The unrelated organisation hears nothing.
    assert not Notification.objects.filter(recipient=net.third_member.user).exists()


def test_the_sister_is_not_matched(net):
    missing, *_ = _both(net)
    sister, _ = f.sister(net.source)
    services.person_check(person_id=sister.pk)
    assert _pair(missing, sister) is None


def test_missing_report_filed_after_the_rescue_is_checked_against_it(
    net, django_capture_on_commit_callbacks
):
    rescued, _ = f.rescued_girl(net.dest)
    f.consent_matching(rescued)
    services.person_check(person_id=rescued.pk)
    person, case = f.person_in_case(net.source, role="missing", given_name="Rupa",
                                    family_name="Khatun", estimated_age=16,
                                    age_estimated_on=datetime.date(2024, 3, 2),
                                    father_name="Abdul Sheikh")  # fmt: skip
    f.consent_matching(person)
    district, state = f.place("Murshidabad")
    f.AddressFactory(person=person, village="Jalangi", district=district, state=state)
    with django_capture_on_commit_callbacks(execute=True):
        registry.event_add(
            actor=net.actor("source_contact"),
            case=case,
            kind=EventKind.MISSING_REPORTED,
            person=person,
            occurred_on=datetime.date(2024, 9, 1),
            district=district,
            state=state,
        )
    pair = _pair(person, rescued)
    assert pair is not None and pair.missing_found
    alert = MatchAlert.objects.get(kind=AlertKind.MISSING_FOUND)
    assert alert.organisation == net.source and alert.person == person


def test_rescue_recorded_today_is_checked_against_open_reports(
    net, django_capture_on_commit_callbacks
):
    missing, _ = f.missing_girl(net.source)
    f.consent_matching(missing)
    services.person_check(person_id=missing.pk)
    person, case = f.person_in_case(net.dest, given_name="Roopa", family_name="Khatoon",
                                    estimated_age=17, age_estimated_on=datetime.date(2024, 8, 20),
                                    father_name="Abdul Shaikh")  # fmt: skip
    f.consent_matching(person)
    district, state = f.place("Murshidabad")
    f.AddressFactory(person=person, village="Jalangee", district=district, state=state)
    assert _pair(missing, person) is None
    mumbai, maharashtra = f.place("Mumbai")
    with django_capture_on_commit_callbacks(execute=True):
        registry.event_add(
            actor=net.actor("dest_contact"),
            case=case,
            kind=EventKind.RESCUE,
            person=person,
            occurred_on=datetime.date(2024, 8, 20),
            district=mumbai,
            state=maharashtra,
        )
    pair = _pair(missing, person)
    assert pair is not None and pair.missing_found
    assert MatchAlert.objects.filter(kind=AlertKind.MISSING_FOUND, person=missing).exists()
    assert Notification.objects.filter(
        recipient=net.source_contact.user, kind=NoticeKind.MISSING_FOUND
    ).exists()


def test_consent_withdrawal_removes_the_record_from_cross_org_matching(
    net, django_capture_on_commit_callbacks
):
    missing, _mc, rescued, _rc = _both(net)
    services.person_check(person_id=rescued.pk)
    pair = _pair(missing, rescued)
    assert pair.status == PairStatus.OPEN
    consent = missing.consents.get()
    with django_capture_on_commit_callbacks(execute=True):
        consent_services.consent_withdraw(actor=net.actor("source_contact"), consent=consent)
    pair.refresh_from_db()
    assert pair.status == PairStatus.WITHDRAWN
    assert not MatchKey.objects.filter(record__person=missing, cross_org=True).exists()
    # Checking the other record again finds nothing across organisations.
    assert services.person_check(person_id=rescued.pk).cross_org == 0
    assert (
        selectors.check_record(
            actor=net.actor("dest_contact"),
            record=f_record(missing),
        ).other_count
        == 0
    )


def f_record(person):
    from setu.matching import records

    return records.person_record(records.persons_for_records().get(pk=person.pk))


def test_without_consent_a_record_is_matched_only_inside_its_organisation(net):
    missing, _mc, rescued, _rc = _both(net, consent=False)
    services.person_check(person_id=rescued.pk)
    assert _pair(missing, rescued) is None
    duplicate, _ = f.person_in_case(net.dest, given_name="Rupa", family_name="Khatoon",
                                    estimated_age=17, age_estimated_on=datetime.date(2024, 8, 22),
                                    father_name="Abdul Shaikh")  # fmt: skip
    district, state = f.place("Murshidabad")
    f.AddressFactory(person=duplicate, village="Jalangee", district=district, state=state)
    services.person_check(person_id=duplicate.pk)
    pair = _pair(duplicate, rescued)
    assert pair is not None and pair.kind == PairKind.DUPLICATE


def test_link_needs_both_confirmations(net):
    missing, _mc, rescued, _rc = _both(net)
    services.person_check(person_id=rescued.pk)
    pair = _pair(missing, rescued)
    services.pair_confirm(actor=net.actor("source_contact"), pair_id=pair.pk)
    pair.refresh_from_db()
    assert pair.status == PairStatus.LINK_REQUESTED and not MatchLink.objects.exists()
    services.pair_confirm(actor=net.actor("dest_contact"), pair_id=pair.pk)
    pair.refresh_from_db()
    assert pair.status == PairStatus.LINKED
    assert MatchLink.objects.filter(pair=pair, ended_at__isnull=True).count() == 1


def test_link_needs_both_consents(net):
    missing, _mc, rescued, _rc = _both(net)
    services.person_check(person_id=rescued.pk)
    pair = _pair(missing, rescued)
    services.pair_confirm(actor=net.actor("source_contact"), pair_id=pair.pk)
    # The consent lapses without the index having been told yet.
    missing.consents.update(
        expires_on=datetime.date(2020, 1, 1), given_on=datetime.date(2019, 1, 1)
    )
    with pytest.raises(InvalidInput):
        services.pair_confirm(actor=net.actor("dest_contact"), pair_id=pair.pk)
    assert not MatchLink.objects.exists()


def test_unrelated_organisation_cannot_decide(net):
    missing, _mc, rescued, _rc = _both(net)
    services.person_check(person_id=rescued.pk)
    pair = _pair(missing, rescued)
    with pytest.raises(NotFound):
        services.pair_confirm(actor=net.actor("third_member"), pair_id=pair.pk)


def test_unlink_keeps_both_records_and_the_link_history(net):
    missing, _mc, rescued, _rc = _both(net)
    services.person_check(person_id=rescued.pk)
    pair = _pair(missing, rescued)
    services.pair_confirm(actor=net.actor("source_contact"), pair_id=pair.pk)
    services.pair_confirm(actor=net.actor("dest_contact"), pair_id=pair.pk)
    with pytest.raises(InvalidInput):
        services.pair_unlink(actor=net.actor("dest_contact"), pair_id=pair.pk, reason="")
    services.pair_unlink(actor=net.actor("dest_contact"), pair_id=pair.pk, reason="Met both girls")
    pair.refresh_from_db()
    assert pair.status == PairStatus.UNLINKED
    link = MatchLink.objects.get(pair=pair)
    assert link.ended_at is not None and link.end_reason == "Met both girls"
    assert Person.objects.filter(pk__in=[missing.pk, rescued.pk]).count() == 2
    assert missing.events.count() == 1 and rescued.events.count() == 1
    assert list(MatchDecision.objects.filter(pair=pair).values_list("decision", flat=True)) == [
        "unlink",
        "confirm",
        "confirm",
    ]


def test_dismiss_needs_a_reason_and_ends_the_pair(net):
    missing, _mc, rescued, _rc = _both(net)
    services.person_check(person_id=rescued.pk)
    pair = _pair(missing, rescued)
    with pytest.raises(InvalidInput):
        services.pair_dismiss(actor=net.actor("dest_contact"), pair_id=pair.pk, reason=" ")
    services.pair_dismiss(actor=net.actor("dest_contact"), pair_id=pair.pk, reason="Other mother")
    pair.refresh_from_db()
    assert pair.status == PairStatus.DISMISSED
    # A later re-check does not raise a dismissed pair again.
    Notification.objects.all().delete()
    services.person_check(person_id=rescued.pk)
    pair.refresh_from_db()
    assert pair.status == PairStatus.DISMISSED and not Notification.objects.exists()


def test_re_trafficking_alert_goes_to_the_organisation_that_rescued_her_before(
    net, django_capture_on_commit_callbacks
):
    missing, _mc, rescued, _rc = _both(net)
    services.person_check(person_id=rescued.pk)
    pair = _pair(missing, rescued)
    services.pair_confirm(actor=net.actor("source_contact"), pair_id=pair.pk)
    services.pair_confirm(actor=net.actor("dest_contact"), pair_id=pair.pk)
    # A year later the source organisation records an interception at a railway station.
    new_case = f.CaseFactory(owner_org=net.source)
    f.CasePersonFactory(case=new_case, person=missing)
    howrah, wb = f.place("Howrah")
    with django_capture_on_commit_callbacks(execute=True):
        event = registry.event_add(
            actor=net.actor("source_contact"),
            case=new_case,
            kind=EventKind.INTERCEPTION,
            person=missing,
            occurred_on=datetime.date(2025, 9, 1),
            district=howrah,
            state=wb,
        )
    alert = MatchAlert.objects.get(kind=AlertKind.RETRAFFICKING)
    assert alert.organisation == net.dest and alert.person == rescued
    assert alert.event == event and alert.district == howrah
    assert alert.event_date == datetime.date(2025, 9, 1)
    assert Notification.objects.filter(
        recipient=net.dest_contact.user, kind=NoticeKind.RETRAFFICKING
    ).exists()


def test_archiving_a_person_takes_them_out_of_the_index(net, django_capture_on_commit_callbacks):
    missing, _mc, rescued, _rc = _both(net)
    services.person_check(person_id=rescued.pk)
    with django_capture_on_commit_callbacks(execute=True):
        registry.person_archive(actor=net.actor("source_contact"), person=missing)
    assert not MatchRecord.objects.filter(person=missing).exists()
    assert _pair(missing, rescued).status == PairStatus.WITHDRAWN


def test_an_edit_updates_the_keys(net, django_capture_on_commit_callbacks):
    missing, *_ = _both(net)
    with django_capture_on_commit_callbacks(execute=True):
        registry.person_update(
            actor=net.actor("source_contact"), person=missing, given_name="Parvin"
        )
    data = MatchRecord.objects.get(person=missing).data
    assert data["given_name"] == "Parvin"


def test_rematch_batches_resume_and_cover_everyone(net):
    missing, _mc, rescued, _rc = _both(net)
    MatchRecord.objects.all().delete()
    count, last = services.rematch_batch(size=1, stale_only=True)
    assert count == 1
    count2, _ = services.rematch_batch(after=last, size=10, stale_only=True)
    assert count + count2 >= 2
    assert services.index_progress()[0] == services.index_progress()[1]
    assert _pair(missing, rescued) is not None


def test_notice_threshold_rises_when_reviewers_reject_a_band():
    low = selectors.BandStats(0.40, 0.60, confirmed=1, rejected=12)
    mid = selectors.BandStats(0.60, 0.80, confirmed=9, rejected=3)
    high = selectors.BandStats(0.80, 0.95, confirmed=20, rejected=0)
    top = selectors.BandStats(0.95, 1.0, confirmed=30, rejected=0)
    assert selectors.notice_threshold([low, mid, high, top]) == 0.60
    few = selectors.BandStats(0.40, 0.60, confirmed=0, rejected=3)
    assert selectors.notice_threshold([few, mid, high, top]) == 0.40


def test_one_check_per_person_per_transaction(net, django_capture_on_commit_callbacks):
    actor = net.actor("source_contact")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person = registry.person_create(actor=actor, given_name="Mitali", gender="Feminine")
        registry.alias_add(actor=actor, person=person, name="Mitu")
        registry.phone_add(actor=actor, person=person, number="9800011111")
    # Other contexts may add their own (the audit trail asks for a seal).
    assert len([c for c in callbacks if hasattr(c, "setu_matching")]) == 1


def test_rematch_command_reports_progress(net):
    from io import StringIO

    from django.core.management import call_command

    _both(net)
    MatchRecord.objects.all().delete()
    out = StringIO()
    call_command("matching", "rematch", "--batch", "1", stdout=out)
    text = out.getvalue()
    assert "resume: --after" in text and "done: 2 persons re-checked" in text
    assert MatchPair.objects.filter(kind=PairKind.CROSS_ORG).count() == 1
