"""Referrals meet shelters and the registry: declines and closes give beds back, a decline for
lack of beds counts unmet demand, and withdrawing consent in the registry stops sharing at once."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditAction, AuditEntry
from setu.consent import services as consent_services
from setu.consent.models import Consent
from setu.core.errors import InvalidInput
from setu.orgs.models import District
from setu.referrals import services
from setu.referrals.models import EventKind, ReferralStatus
from setu.referrals.tests.factories import referral_for
from setu.shelters import services as shelter_services
from setu.shelters.models import (
    BedGroup,
    BedHold,
    BedKind,
    HoldStatus,
    ReleaseReason,
    ShelterStay,
    UnmetDemand,
    UnmetReason,
)
from setu.shelters.tests.factories import BedGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(personas):
    """A shelter referral from "Own NGO" to the partner shelter with one bed held for it."""
    personas.partner_org.base_district = District.objects.get(code=1)
    personas.partner_org.save()
    # The personas' survivor is a girl of 17: a girls' bed fits her (a women's bed would warn).
    group = BedGroupFactory(shelter=personas.partner_org, kind=BedKind.GIRLS_UNDER_18, total=2)
    referral = referral_for(personas)
    assert referral.need == "shelter"
    hold = shelter_services.bed_hold_create(
        actor=personas["lead"], referral=referral, bed_group=group
    )
    return referral, group, hold


def _client(personas, who):
    client = Client()
    client.force_login(personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_declining_gives_the_held_bed_back_at_once(personas, held):
    referral, group, hold = held
    services.referral_decline(actor=personas["partner"], referral=referral, reason="Full tonight")
    hold.refresh_from_db()
    assert hold.status == HoldStatus.RELEASED
    assert hold.release_reason == ReleaseReason.REFERRAL_DECLINED
    assert BedGroup.objects.get(pk=group.pk).held == 0
    assert not UnmetDemand.objects.exists()  # an ordinary decline is no unmet demand


def test_declining_for_lack_of_beds_counts_unmet_demand(personas, held):
    referral, group, hold = held
    services.referral_decline(
        actor=personas["partner"], referral=referral, reason="No bed available", no_bed=True
    )
    hold.refresh_from_db()
    assert hold.status == HoldStatus.RELEASED
    assert BedGroup.objects.get(pk=group.pk).held == 0
    demand = UnmetDemand.objects.get()
    assert demand.reason == UnmetReason.DECLINED_NO_BED
    assert demand.district_id == personas.partner_org.base_district_id
    assert demand.referral_id == referral.pk


def test_no_bed_is_refused_for_a_referral_that_is_not_for_shelter(personas):
    from setu.directory.tests.factories import ServiceFactory

    service = ServiceFactory(organisation=personas.partner_org, service_type="legal_aid")
    referral = referral_for(personas, to_service=service)
    with pytest.raises(InvalidInput):
        services.referral_decline(
            actor=personas["partner"], referral=referral, reason="x", no_bed=True
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert not UnmetDemand.objects.exists()


def test_closing_gives_the_held_bed_back(personas, held):
    referral, group, hold = held
    services.referral_close(actor=personas["lead"], referral=referral, reason="Went home")
    hold.refresh_from_db()
    assert (hold.status, hold.release_reason) == (
        HoldStatus.RELEASED,
        ReleaseReason.REFERRAL_CLOSED,
    )
    assert BedGroup.objects.get(pk=group.pk).free == 2


def test_a_failed_decline_keeps_the_hold(personas, held):
    referral, group, hold = held
    with pytest.raises(InvalidInput):
        services.referral_decline(actor=personas["partner"], referral=referral, reason="  ")
    hold.refresh_from_db()
    assert hold.status == HoldStatus.ACTIVE
    assert BedGroup.objects.get(pk=group.pk).held == 1


def test_withdrawing_consent_in_the_registry_stops_referrals_in_the_same_step(personas):
    referral = referral_for(personas)
    consent = referral.consent
    consent_services.consent_withdraw(actor=personas["lead"], consent=consent)
    referral.refresh_from_db()
    assert referral.sharing_stopped_at is not None
    assert referral.events.filter(kind=EventKind.SHARING_STOPPED).count() == 1
    assert AuditEntry.objects.filter(
        action=AuditAction.UNSHARE, target_id=str(referral.pk)
    ).exists()
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is not None


def test_a_refused_withdrawal_stops_nothing(personas):
    referral = referral_for(personas)
    with pytest.raises(Exception):  # noqa: B017 - the other organisation may not touch the consent
        consent_services.consent_withdraw(actor=personas["other_org"], consent=referral.consent)
    referral.refresh_from_db()
    assert referral.sharing_stopped_at is None


# --- Pages ------------------------------------------------------------------------------------


def test_referral_page_offers_a_bed_hold_to_the_sender(personas):
    BedGroupFactory(shelter=personas.partner_org, total=3)
    referral = referral_for(personas)
    page = _client(personas, "lead").get(reverse("referrals:referral-detail", args=[referral.pk]))
    assert reverse("shelters:hold-create", args=[referral.pk]) in page.text
    assert "3 free beds" in page.text
    # The shelter does not hold beds for itself.
    page = _client(personas, "partner").get(
        reverse("referrals:referral-detail", args=[referral.pk])
    )
    assert reverse("shelters:hold-create", args=[referral.pk]) not in page.text


def test_referral_page_shows_the_hold_and_the_shelter_confirms_admission(personas, held):
    referral, _group, hold = held
    url = reverse("referrals:referral-detail", args=[referral.pk])
    sender = _client(personas, "lead").get(url)
    assert "is held until" in sender.text
    assert reverse("shelters:hold-admit", args=[hold.pk]) not in sender.text
    assert reverse("shelters:hold-create", args=[referral.pk]) not in sender.text
    shelter = _client(personas, "partner_admin")
    assert reverse("shelters:hold-admit", args=[hold.pk]) in shelter.get(url).text
    response = shelter.post(reverse("shelters:hold-admit", args=[hold.pk]), {"back": "referral"})
    assert response.status_code == 302 and response["Location"] == url
    hold.refresh_from_db()
    assert hold.status == HoldStatus.ADMITTED
    assert ShelterStay.objects.filter(hold=hold).exists()
    assert "Admitted on" in shelter.get(url).text


def test_declining_with_no_bed_from_the_page(personas, held):
    referral, _group, hold = held
    client = _client(personas, "partner")
    page = client.get(reverse("referrals:referral-detail", args=[referral.pk]))
    assert 'value="no_bed"' in page.text
    client.post(reverse("referrals:referral-decline", args=[referral.pk]), {"why": "no_bed"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "No bed available"
    assert UnmetDemand.objects.filter(reason=UnmetReason.DECLINED_NO_BED).count() == 1
    assert BedHold.objects.get(pk=hold.pk).status == HoldStatus.RELEASED


def test_other_reason_needs_details_and_the_message_names_the_field(personas):
    referral = referral_for(personas)
    client = _client(personas, "partner")
    url = reverse("referrals:referral-decline", args=[referral.pk])
    response = client.post(url, {"why": "other", "details": ""}, follow=True)
    assert "Details: Say why the referral is declined." in response.text
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    client.post(url, {"why": "area", "details": "We work in Mumbai only"})
    referral.refresh_from_db()
    assert referral.decline_reason == "We do not serve this area: We work in Mumbai only"


def test_api_decline_with_no_bed(personas, held):
    from rest_framework.test import APIClient

    referral, _group, _hold = held
    client = APIClient()
    client.force_authenticate(personas.users["partner"])
    response = client.post(
        f"/api/v1/referrals/{referral.pk}/transition/",
        {"to": "declined", "reason": "No bed", "no_bed": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert UnmetDemand.objects.filter(referral=referral).exists()


def test_case_page_leads_to_referring_and_entitlements(personas):
    page = _client(personas, "lead").get(reverse("registry:case-detail", args=[personas.case.pk]))
    assert reverse("referrals:referral-create", args=[personas.case.pk]) in page.text
    assert reverse("entitlements:case", args=[personas.case.pk]) in page.text


def test_referral_form_shows_free_beds_of_shelters(personas):
    from setu.directory.tests.factories import ServiceFactory

    ServiceFactory(organisation=personas.partner_org, name="Night shelter")
    BedGroupFactory(shelter=personas.partner_org, total=5, occupied=2)
    page = _client(personas, "lead").get(
        reverse("referrals:referral-create", args=[personas.case.pk]) + "?need=shelter"
    )
    assert "Night shelter" in page.text
    assert "3 free beds" in page.text


def test_shared_languages_are_named(personas):
    personas.person.languages = ["bn", "xx"]
    personas.person.save()
    referral = referral_for(personas)
    page = _client(personas, "partner").get(
        reverse("referrals:referral-detail", args=[referral.pk])
    )
    assert "Bengali, xx" in page.text
