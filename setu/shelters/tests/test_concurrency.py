"""Two workers racing for the last bed, on PostgreSQL with real concurrent connections."""

import threading

import pytest
from django.db import connection, connections

from setu.orgs.models import OrganisationType, Role
from setu.orgs.tests.factories import OrganisationFactory
from setu.registry.tests.factories import CasePersonFactory
from setu.shelters import services
from setu.shelters.models import BedGroup, BedHold, BedKind, HoldStatus, ShelterStay
from setu.shelters.tests.factories import BedGroupFactory, ReferralFactory, member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are exercised on PostgreSQL; SQLite serialises writers anyway")


def _race(*calls):
    """Run the calls at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as exc:  # the loser's refusal is the point of the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def _setup(total=1):
    ngo = OrganisationFactory(org_type=OrganisationType.DESTINATION_NGO)
    shelter = OrganisationFactory(org_type=OrganisationType.SHELTER_HOME)
    group = BedGroupFactory(shelter=shelter, kind=BedKind.WOMEN, total=total)
    return ngo, shelter, group


def _referral(ngo, shelter):
    # A woman of 30: the women's beds fit her (``bed_kind_misfit``).
    link = CasePersonFactory(case__owner_org=ngo, person__estimated_age=30)
    return ReferralFactory(link=link, to_org=shelter)


@pytest.mark.parametrize("attempt", range(3))
def test_two_workers_cannot_both_hold_the_last_bed(attempt):
    ngo, shelter, group = _setup()
    workers = [member(ngo), member(ngo)]
    referrals = [_referral(ngo, shelter), _referral(ngo, shelter)]
    outcomes = _race(
        *[
            (lambda w=w, r=r: services.bed_hold_create(actor=w, referral=r, bed_group=group))
            for w, r in zip(workers, referrals, strict=True)
        ]
    )
    held = [o for o in outcomes if isinstance(o, BedHold)]
    refused = [o for o in outcomes if isinstance(o, services.NoBedFree)]
    assert len(held) == 1 and len(refused) == 1, outcomes
    group.refresh_from_db()
    assert (group.held, group.free) == (1, 0)
    assert BedHold.objects.filter(status=HoldStatus.ACTIVE).count() == 1


def test_a_hold_and_an_admission_cannot_both_take_the_last_bed():
    ngo, shelter, group = _setup()
    worker, manager = member(ngo), member(shelter, Role.SHELTER_MANAGER)
    referral = _referral(ngo, shelter)
    own = CasePersonFactory(case__owner_org=shelter)
    outcomes = _race(
        lambda: services.bed_hold_create(actor=worker, referral=referral, bed_group=group),
        lambda: services.shelter_admit(
            actor=manager, case=own.case, person=own.person, bed_kind=BedKind.WOMEN
        ),
    )
    won = [o for o in outcomes if isinstance(o, BedHold | ShelterStay)]
    assert len(won) == 1, outcomes
    assert isinstance(next(o for o in outcomes if o not in won), services.NoBedFree)
    group.refresh_from_db()
    assert group.held + group.occupied == 1 and group.free == 0


def test_two_admissions_cannot_both_take_the_last_bed():
    _, shelter, group = _setup()
    managers = [member(shelter, Role.SHELTER_MANAGER), member(shelter, Role.SHELTER_MANAGER)]
    links = [CasePersonFactory(case__owner_org=shelter) for _ in range(2)]
    outcomes = _race(
        *[
            (
                lambda m=m, link=link: services.shelter_admit(
                    actor=m, case=link.case, person=link.person, bed_kind=BedKind.WOMEN
                )
            )
            for m, link in zip(managers, links, strict=True)
        ]
    )
    assert sum(isinstance(o, ShelterStay) for o in outcomes) == 1, outcomes
    assert BedGroup.objects.get(pk=group.pk).occupied == 1


def test_one_worker_racing_for_two_beds_keeps_to_the_hold_limit(settings):
    settings.SETU_BED_HOLDS_PER_WORKER = 1
    ngo, shelter, group = _setup(total=5)
    worker = member(ngo)
    referrals = [_referral(ngo, shelter), _referral(ngo, shelter)]
    outcomes = _race(
        *[
            (lambda r=r: services.bed_hold_create(actor=worker, referral=r, bed_group=group))
            for r in referrals
        ]
    )
    assert sum(isinstance(o, BedHold) for o in outcomes) == 1, outcomes
    group.refresh_from_db()
    assert group.held == 1


def test_six_taps_admitting_the_same_person_give_one_stay_and_five_audited_refusals():
    from setu.audit.models import AuditEntry, Outcome

    _, shelter, group = _setup(total=10)
    manager = member(shelter, Role.SHELTER_MANAGER)
    link = CasePersonFactory(case__owner_org=shelter)
    outcomes = _race(
        *[
            (
                lambda: services.shelter_admit(
                    actor=manager, case=link.case, person=link.person, bed_kind=BedKind.WOMEN
                )
            )
            for _ in range(6)
        ]
    )
    stays = [o for o in outcomes if isinstance(o, ShelterStay)]
    refused = [o for o in outcomes if isinstance(o, services.AlreadyAdmitted)]
    assert len(stays) == 1 and len(refused) == 5, outcomes
    assert BedGroup.objects.get(pk=group.pk).occupied == 1
    assert (
        AuditEntry.objects.filter(
            outcome=Outcome.FAILED, details__refused="already_admitted"
        ).count()
        == 5
    )


def test_a_double_tap_on_a_full_shelter_counts_unmet_demand_once():
    from setu.shelters.models import UnmetDemand

    ngo, shelter, group = _setup(total=0)
    worker = member(ngo)
    referral = _referral(ngo, shelter)
    outcomes = _race(
        *[
            (lambda: services.bed_hold_create(actor=worker, referral=referral, bed_group=group))
            for _ in range(4)
        ]
    )
    assert all(isinstance(o, services.NoBedFree) for o in outcomes), outcomes
    assert UnmetDemand.objects.count() == 1
