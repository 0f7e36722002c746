import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from setu.audit.models import AuditEntry
from setu.core.errors import Forbidden, InvalidInput, NotFound
from setu.orgs.models import District, Role
from setu.orgs.tests.factories import MembershipFactory
from setu.registry.models import EventKind, TraffickingEvent
from setu.registry.tests.factories import CaseFactory, CasePersonFactory
from setu.shelters import selectors, services
from setu.shelters.models import (
    BedGroup,
    BedHold,
    BedKind,
    CapacitySnapshot,
    HoldStatus,
    ReleaseReason,
    UnmetDemand,
    UnmetReason,
)
from setu.shelters.tests.factories import (
    BedGroupFactory,
    ReferralFactory,
    member,
    shelter_manager,
)


@pytest.fixture
def shelter(personas):
    """The partner shelter, based in a real district, with a manager."""
    personas.partner_org.base_district = District.objects.get(code=1)
    personas.partner_org.save()
    return personas.partner_org


@pytest.fixture
def manager(shelter):
    return shelter_manager(shelter)


@pytest.fixture
def group(shelter):
    return BedGroupFactory(shelter=shelter, kind=BedKind.GIRLS_UNDER_18, total=2)


def _referral(personas, shelter):
    link = CasePersonFactory(case__owner_org=personas.own_org)
    return ReferralFactory(link=link, to_org=shelter)


def _audit_events(target):
    return list(
        AuditEntry.objects.filter(target_id=str(target.pk)).values_list("details__event", flat=True)
    )


def test_a_shelter_manager_adds_beds_and_a_snapshot_is_taken(manager):
    group = services.bed_group_create(actor=manager, kind=BedKind.WOMEN, total=6, occupied=2)
    assert group.shelter_id == manager.organisation_id
    assert group.free == 4
    snap = CapacitySnapshot.objects.get(bed_group=group)
    assert (snap.total, snap.occupied, snap.free) == (6, 2, 4)
    assert AuditEntry.objects.filter(target_id=str(group.pk), action="create").exists()


def test_a_caseworker_cannot_add_beds(personas):
    with pytest.raises(Forbidden):
        services.bed_group_create(actor=personas["partner"], kind=BedKind.WOMEN, total=3)


def test_counters_move_by_one_and_never_overbook(manager, group):
    services.bed_group_adjust(actor=manager, bed_group=group, counter="occupied", delta=1)
    services.bed_group_adjust(actor=manager, bed_group=group, counter="occupied", delta=1)
    group.refresh_from_db()
    assert (group.occupied, group.free) == (2, 0)
    assert group.counts_confirmed_by == manager.user
    with pytest.raises(InvalidInput):
        services.bed_group_adjust(actor=manager, bed_group=group, counter="occupied", delta=1)
    with pytest.raises(InvalidInput):
        services.bed_group_adjust(actor=manager, bed_group=group, counter="total", delta=-1)
    group.refresh_from_db()
    assert (group.total, group.occupied) == (2, 2)
    assert CapacitySnapshot.objects.filter(bed_group=group).count() == 2


def test_the_database_itself_refuses_an_overbooked_row(group):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        BedGroup.objects.filter(pk=group.pk).update(occupied=2, held=1)


def test_another_shelter_cannot_change_the_counts(personas, group):
    other_manager = shelter_manager(personas.other_org)
    with pytest.raises(Forbidden):
        services.bed_group_adjust(actor=other_manager, bed_group=group, counter="total", delta=1)


def test_set_counts_and_confirm(manager, group):
    old = timezone.now() - datetime.timedelta(days=3)
    BedGroup.objects.filter(pk=group.pk).update(counts_confirmed_at=old)
    services.bed_group_set_counts(
        actor=manager, bed_group=group, total=5, occupied=1, out_of_service=1
    )
    group.refresh_from_db()
    assert group.free == 3 and group.counts_confirmed_at > old
    BedGroup.objects.filter(pk=group.pk).update(counts_confirmed_at=old)
    services.bed_group_confirm(actor=manager, bed_group=group)
    group.refresh_from_db()
    assert group.counts_confirmed_at > old and group.total == 5


def test_admission_of_own_case_records_an_event_and_occupies_a_bed(shelter, manager, group):
    link = CasePersonFactory(case__owner_org=shelter)
    stay = services.shelter_admit(
        actor=manager, case=link.case, person=link.person, bed_kind=BedKind.GIRLS_UNDER_18
    )
    group.refresh_from_db()
    assert group.occupied == 1 and stay.bed_group == group
    event = TraffickingEvent.objects.get(case=link.case)
    assert event.kind == EventKind.SHELTER_ADMISSION and event.district_id == 1
    assert stay.admission_event == event
    with pytest.raises(InvalidInput):
        services.shelter_admit(
            actor=manager, case=link.case, person=link.person, bed_kind=BedKind.GIRLS_UNDER_18
        )
    services.shelter_discharge(actor=manager, case=link.case, person=link.person)
    group.refresh_from_db()
    assert group.occupied == 0
    stay.refresh_from_db()
    assert stay.discharged_at is not None


def test_admission_into_a_full_shelter_is_refused(shelter, manager, group):
    BedGroup.objects.filter(pk=group.pk).update(occupied=2)
    link = CasePersonFactory(case__owner_org=shelter)
    with pytest.raises(services.NoBedFree):
        services.shelter_admit(
            actor=manager, case=link.case, person=link.person, bed_kind=BedKind.GIRLS_UNDER_18
        )
    assert not TraffickingEvent.objects.filter(case=link.case).exists()


def test_another_orgs_case_cannot_be_admitted_here(personas, manager, group):
    with pytest.raises((NotFound, Forbidden)):
        services.shelter_admit(
            actor=manager,
            case=personas.case,
            person=personas.person,
            bed_kind=BedKind.GIRLS_UNDER_18,
        )


def test_a_caseworker_holds_a_bed_for_a_referral(personas, shelter, group):
    referral = _referral(personas, shelter)
    hold = services.bed_hold_create(actor=personas["lead"], referral=referral, bed_group=group)
    group.refresh_from_db()
    assert group.held == 1 and group.free == 1
    assert hold.status == HoldStatus.ACTIVE
    expected = timezone.now() + datetime.timedelta(hours=4)
    assert abs((hold.expires_at - expected).total_seconds()) < 60
    assert _audit_events(hold) == ["hold"]
    with pytest.raises(InvalidInput):
        services.bed_hold_create(actor=personas["lead"], referral=referral, bed_group=group)


def test_only_the_referring_org_may_hold(personas, shelter, group):
    referral = _referral(personas, shelter)
    for who in ("other_org", "partner", "counsellor", "analyst"):
        with pytest.raises((NotFound, Forbidden)):
            services.bed_hold_create(actor=personas[who], referral=referral, bed_group=group)
    assert not BedHold.objects.exists()


def test_a_hold_must_be_for_the_shelter_the_referral_is_addressed_to(personas, group):
    referral = _referral(personas, personas.other_org)
    with pytest.raises(InvalidInput):
        services.bed_hold_create(actor=personas["lead"], referral=referral, bed_group=group)


def test_no_free_bed_refuses_the_hold_and_counts_unmet_demand(personas, shelter, group):
    BedGroup.objects.filter(pk=group.pk).update(occupied=2)
    referral = _referral(personas, shelter)
    with pytest.raises(services.NoBedFree):
        services.bed_hold_create(actor=personas["lead"], referral=referral, bed_group=group)
    demand = UnmetDemand.objects.get()
    assert demand.reason == UnmetReason.NO_FREE_BED
    assert demand.district_id == 1 and demand.kind == BedKind.GIRLS_UNDER_18
    assert not BedHold.objects.exists()


@override_settings(SETU_BED_HOLDS_PER_WORKER=2)
def test_holds_per_worker_are_limited(personas, shelter):
    group = BedGroupFactory(shelter=shelter, total=10)
    lead = personas["lead"]
    for _ in range(2):
        services.bed_hold_create(actor=lead, referral=_referral(personas, shelter), bed_group=group)
    with pytest.raises(InvalidInput, match="most one worker"):
        services.bed_hold_create(actor=lead, referral=_referral(personas, shelter), bed_group=group)
    colleague = member(personas.own_org)
    services.bed_hold_create(
        actor=colleague, referral=_referral(personas, shelter), bed_group=group
    )
    group.refresh_from_db()
    assert group.held == 3


def test_release_rehold_and_admit_are_audited(personas, shelter, manager, group):
    referral = _referral(personas, shelter)
    lead = personas["lead"]
    hold = services.bed_hold_create(actor=lead, referral=referral, bed_group=group)
    second = services.bed_hold_rehold(actor=lead, hold=hold)
    hold.refresh_from_db()
    group.refresh_from_db()
    assert hold.status == HoldStatus.RELEASED and hold.release_reason == ReleaseReason.REHOLD
    assert second.replaces == hold and group.held == 1
    assert _audit_events(second) == ["rehold"]
    stay = services.bed_hold_admit(actor=manager, hold=second)
    group.refresh_from_db()
    second.refresh_from_db()
    assert second.status == HoldStatus.ADMITTED and (group.held, group.occupied) == (0, 1)
    assert stay.hold == second
    third = services.bed_hold_create(
        actor=lead, referral=_referral(personas, shelter), bed_group=group
    )
    services.bed_hold_release(actor=manager, hold=third, reason=ReleaseReason.BY_SHELTER)
    group.refresh_from_db()
    assert group.held == 0
    assert _audit_events(third) == ["released", "hold"]


def test_the_holding_caseworker_cannot_confirm_admission(personas, shelter, group):
    hold = services.bed_hold_create(
        actor=personas["lead"], referral=_referral(personas, shelter), bed_group=group
    )
    with pytest.raises((Forbidden, NotFound)):
        services.bed_hold_admit(actor=personas["lead"], hold=hold)


def test_an_expired_hold_counts_as_free_and_is_released_once(personas, shelter, group):
    hold = services.bed_hold_create(
        actor=personas["lead"], referral=_referral(personas, shelter), bed_group=group
    )
    BedHold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    listed = selectors.bed_group_list(actor=personas["other_org"]).get(pk=group.pk)
    assert listed.held == 1 and listed.free_now == 2
    assert services.bed_hold_expire(hold_id=hold.pk) is True
    assert services.bed_hold_expire(hold_id=hold.pk) is False
    hold.refresh_from_db()
    group.refresh_from_db()
    assert hold.status == HoldStatus.EXPIRED and group.held == 0
    assert _audit_events(hold) == ["expire", "hold"]


def test_a_run_out_hold_not_yet_swept_can_be_replaced_from_the_referral(personas, shelter, group):
    """The referral page offers what the list of holdable referrals and the service accept:
    once a hold has run out, even before the sweep ends it, a bed can be held again."""
    referral = _referral(personas, shelter)
    lead = personas["lead"]
    hold = services.bed_hold_create(actor=lead, referral=referral, bed_group=group)
    beds = selectors.referral_beds(actor=lead, referral=referral)
    assert beds.active == hold and not beds.can_hold
    assert referral.pk not in {r.pk for r in selectors.holdable_referral_list(actor=lead)}
    BedHold.objects.filter(pk=hold.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    beds = selectors.referral_beds(actor=lead, referral=referral)
    assert beds.active == hold and beds.can_hold and beds.can_release
    assert referral.pk in {r.pk for r in selectors.holdable_referral_list(actor=lead)}
    again = services.bed_hold_create(actor=lead, referral=referral, bed_group=group)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.EXPIRED and again.status == HoldStatus.ACTIVE


def test_the_sweep_releases_expired_holds_and_holds_of_declined_referrals(personas, shelter, group):
    lead = personas["lead"]
    late = services.bed_hold_create(
        actor=lead, referral=_referral(personas, shelter), bed_group=group
    )
    declined_ref = _referral(personas, shelter)
    declined = services.bed_hold_create(actor=lead, referral=declined_ref, bed_group=group)
    BedHold.objects.filter(pk=late.pk).update(expires_at=timezone.now() - datetime.timedelta(1))
    declined_ref.status = "declined"
    declined_ref.save()
    assert services.bed_holds_release_expired() == 2
    assert services.bed_holds_release_expired() == 0
    declined.refresh_from_db()
    assert declined.release_reason == ReleaseReason.REFERRAL_DECLINED
    group.refresh_from_db()
    assert group.held == 0


def test_a_new_hold_is_queued_to_expire_at_its_expiry(
    personas, shelter, group, django_capture_on_commit_callbacks
):
    from django.tasks import task_backends

    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy), django_capture_on_commit_callbacks(execute=True):
        hold = services.bed_hold_create(
            actor=personas["lead"], referral=_referral(personas, shelter), bed_group=group
        )
        backend = task_backends["default"]
    # The audit trail may also have asked for a seal; this test is about the expiry task.
    [result] = [r for r in backend.results if r.task.name == "expire_bed_hold"]
    assert result.task.run_after == hold.expires_at
    assert result.args == [str(hold.pk)]


def test_a_stale_shelter_is_nudged_once(shelter, group, django_capture_on_commit_callbacks):
    contact = MembershipFactory(
        organisation=shelter, role=Role.SHELTER_MANAGER, is_designated_contact=True
    ).user
    old = timezone.now() - datetime.timedelta(hours=30)
    BedGroup.objects.filter(pk=group.pk).update(counts_confirmed_at=old)
    fresh = BedGroupFactory(shelter=CaseFactory().owner_org)
    with (
        override_settings(SETU_CAPACITY_STALE_HOURS=24),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.capacity_nudge_stale() == 1
        assert services.capacity_nudge_stale() == 0
    [message] = mail.outbox
    assert message.to == [contact.email]
    assert "confirm" in message.subject
    group.refresh_from_db()
    fresh.refresh_from_db()
    assert group.last_nudged_at is not None and fresh.last_nudged_at is None
    assert AuditEntry.objects.filter(details__event="capacity_nudge").count() == 1


def test_unmet_demand_can_be_recorded_after_a_fruitless_search(personas):
    demand = services.unmet_demand_record(actor=personas["lead"], district_id=1, kind=BedKind.WOMEN)
    assert demand.state_id == District.objects.get(code=1).state_id
    with pytest.raises(Forbidden):
        services.unmet_demand_record(actor=personas["analyst"], district_id=1)


def test_a_second_admission_of_the_same_person_is_refused_and_audited(shelter, manager, group):
    from setu.audit.models import Outcome

    link = CasePersonFactory(case__owner_org=shelter)
    services.shelter_admit(
        actor=manager, case=link.case, person=link.person, bed_kind=BedKind.GIRLS_UNDER_18
    )
    with pytest.raises(services.AlreadyAdmitted) as refused:
        services.shelter_admit(
            actor=manager, case=link.case, person=link.person, bed_kind=BedKind.GIRLS_UNDER_18
        )
    assert "person" in refused.value.errors
    entry = AuditEntry.objects.get(outcome=Outcome.FAILED, details__refused="already_admitted")
    assert entry.target_id == str(link.case.pk) and entry.actor_user_id == manager.user.pk
    group.refresh_from_db()
    assert group.occupied == 1
    assert TraffickingEvent.objects.filter(case=link.case).count() == 1


def test_a_retried_hold_counts_unmet_demand_once(personas, shelter, group):
    BedGroup.objects.filter(pk=group.pk).update(occupied=2)
    referral = _referral(personas, shelter)
    for _ in range(3):
        with pytest.raises(services.NoBedFree):
            services.bed_hold_create(actor=personas["lead"], referral=referral, bed_group=group)
    assert UnmetDemand.objects.count() == 1
    demand = UnmetDemand.objects.get()
    repeats = AuditEntry.objects.filter(details__repeat_of=str(demand.pk))
    assert repeats.count() == 2  # each retry is still on the record, just not counted
    # Another worker's miss for the same referral, and a miss after the window, count again.
    colleague = member(personas.own_org)
    with pytest.raises(services.NoBedFree):
        services.bed_hold_create(actor=colleague, referral=referral, bed_group=group)
    assert UnmetDemand.objects.count() == 2
    UnmetDemand.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(services.NoBedFree):
        services.bed_hold_create(actor=personas["lead"], referral=referral, bed_group=group)
    assert UnmetDemand.objects.count() == 3


def test_a_repeated_fruitless_search_counts_once_per_district_and_kind(personas):
    lead = personas["lead"]
    first = services.unmet_demand_record(actor=lead, district_id=1, kind=BedKind.WOMEN)
    again = services.unmet_demand_record(actor=lead, district_id=1, kind=BedKind.WOMEN)
    assert again.pk == first.pk
    services.unmet_demand_record(actor=lead, district_id=1, kind=BedKind.GIRLS_UNDER_18)
    services.unmet_demand_record(actor=lead, district_id=2, kind=BedKind.WOMEN)
    assert UnmetDemand.objects.count() == 3
