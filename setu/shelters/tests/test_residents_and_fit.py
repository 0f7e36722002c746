"""Issue 22 item 7: the shelter's staff see who stays with them (when the policy says she is
their resident), referral lists say who and how urgent, the service picker shows free beds and
hides full shelters, and a bed that does not fit the person warns before it is held."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.access import policy
from setu.audit.models import AuditAction, AuditEntry
from setu.consent.models import Consent
from setu.core.errors import InvalidInput
from setu.directory.tests.factories import ServiceFactory
from setu.orgs.models import District
from setu.orgs.tests.factories import OrganisationFactory
from setu.referrals.tests.factories import referral_for
from setu.registry.models import Gender
from setu.registry.tests.factories import CasePersonFactory
from setu.shelters import selectors, services
from setu.shelters.models import BedKind
from setu.shelters.tests.factories import BedGroupFactory, ReferralFactory, shelter_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelter(personas):
    personas.partner_org.base_district = District.objects.get(code=1)
    personas.partner_org.save()
    return personas.partner_org


@pytest.fixture
def manager(shelter):
    return shelter_manager(shelter)


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def _referred(personas, shelter, *, age=16, gender=Gender.FEMININE, scopes=("identity",)):
    """A girl of the lead's organisation referred to the shelter, her identity shared."""
    link = CasePersonFactory(
        case__owner_org=personas.own_org,
        person__owner_org=personas.own_org,
        person__given_name="Mousumi",
        person__family_name="Oraon",
        person__gender=gender,
        person__estimated_age=age,
        person__age_estimated_on=timezone.localdate(),
    )
    return ReferralFactory(link=link, to_org=shelter, shared_scopes=list(scopes))


def _admitted(personas, shelter, manager, **kwargs):
    referral = _referred(personas, shelter, **kwargs)
    group = BedGroupFactory(shelter=shelter, kind=BedKind.GIRLS_UNDER_18, total=3)
    hold = services.bed_hold_create(actor=personas["lead"], referral=referral, bed_group=group)
    services.bed_hold_admit(actor=manager, hold=hold)
    return referral


# --- who is staying -----------------------------------------------------------------------------


def test_a_resident_referred_with_identity_consent_is_named_to_her_shelter(
    personas, shelter, manager
):
    referral = _admitted(personas, shelter, manager)
    [row] = selectors.stay_rows(actor=manager)
    assert row.name == "Mousumi Oraon"
    assert row.case_reference == ""  # the referring organisation's case is not the shelter's
    html = _client(manager.user).get(reverse("shelters:manage")).content.decode()
    assert "Mousumi Oraon" in html and referral.case.reference not in html


def test_admission_alone_does_not_name_her(personas, shelter, manager):
    _admitted(personas, shelter, manager, scopes=("case_history",))
    [row] = selectors.stay_rows(actor=manager)
    assert row.name == ""
    html = _client(manager.user).get(reverse("shelters:manage")).content.decode()
    assert "Mousumi" not in html and "Name not shared" in html


def test_withdrawn_consent_unnames_the_resident(personas, shelter, manager):
    referral = _admitted(personas, shelter, manager)
    Consent.objects.filter(pk=referral.consent_id).update(withdrawn_on=timezone.localdate())
    [row] = selectors.stay_rows(actor=manager)
    assert row.name == ""


def test_the_shelters_own_case_names_its_resident(personas, shelter, manager):
    link = CasePersonFactory(case__owner_org=shelter, person__owner_org=shelter,
                             person__given_name="Salma", person__estimated_age=15,
                             person__age_estimated_on=timezone.localdate())  # fmt: skip
    BedGroupFactory(shelter=shelter, kind=BedKind.GIRLS_UNDER_18, total=2)
    stay = services.shelter_admit(
        actor=manager, case=link.case, person=link.person, bed_kind=BedKind.GIRLS_UNDER_18
    )
    assert policy.shelter_resident_named(manager, stay)
    [row] = selectors.stay_rows(actor=manager)
    assert row.name.startswith("Salma") and row.case_reference == link.case.reference
    # Another organisation's staff never get a name from the policy, whatever they try.
    assert not policy.shelter_resident_named(personas["lead"], stay)


# --- bed kind fit -------------------------------------------------------------------------------


def test_a_girls_bed_for_someone_recorded_as_19_needs_confirming(personas, shelter):
    referral = _referred(personas, shelter, age=19)
    group = BedGroupFactory(shelter=shelter, kind=BedKind.GIRLS_UNDER_18, total=2)
    lead = personas["lead"]
    with pytest.raises(InvalidInput) as refused:
        services.bed_hold_create(actor=lead, referral=referral, bed_group=group)
    assert "19 years old" in refused.value.errors["confirm_misfit"][0]
    hold = services.bed_hold_create(
        actor=lead, referral=referral, bed_group=group, confirm_misfit=True
    )
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, target_id=str(hold.pk))
    assert entry.details["bed_kind_misfit_confirmed"] is True


@pytest.mark.parametrize(
    ("kind", "gender", "age", "warns"),
    [
        (BedKind.GIRLS_UNDER_18, Gender.FEMININE, 17, False),
        (BedKind.GIRLS_UNDER_18, Gender.MASCULINE, 15, True),
        (BedKind.WOMEN, Gender.FEMININE, 16, True),
        (BedKind.WOMEN, Gender.FEMININE, 30, False),
        (BedKind.BOYS_UNDER_18, Gender.MASCULINE, 12, False),
        (BedKind.MEN, Gender.FEMININE, 30, True),
        (BedKind.WOMEN, Gender.UNKNOWN, None, False),  # the record does not say: no warning
    ],
)
def test_bed_kind_misfit(personas, kind, gender, age, warns):
    link = CasePersonFactory(person__gender=gender, person__estimated_age=age,
                             person__age_estimated_on=timezone.localdate())  # fmt: skip
    assert bool(services.bed_kind_misfit(kind, link.person)) is warns


def test_the_hold_page_warns_before_holding_and_holds_only_when_confirmed(personas, shelter):
    referral = _referred(personas, shelter, age=19)
    group = BedGroupFactory(shelter=shelter, kind=BedKind.GIRLS_UNDER_18, total=2)
    client = _client(personas.users["lead"])
    url = reverse("shelters:hold-create", args=[referral.pk])
    page = client.get(url).content.decode()
    assert "19 years old" in page and "Hold anyway" in page
    refused = client.post(url, {"bed_group": str(group.pk)}, follow=True)
    assert "19 years old" in refused.content.decode() and not group.holds.exists()
    done = client.post(url, {"bed_group": str(group.pk), "confirm_misfit": "true"})
    assert done.status_code == 302 and group.holds.count() == 1


# --- referral lists and the service picker ------------------------------------------------------


def test_referral_lists_show_person_case_and_urgency(personas):
    referral = referral_for(personas, urgency="emergency")
    sent = _client(personas.users["lead"]).get(
        reverse("referrals:referral-list"), {"direction": "sent"}
    )
    html = sent.content.decode()
    assert personas.person.display_name in html and personas.case.reference in html
    assert "Emergency" in html
    received = _client(personas.users["partner"]).get(reverse("referrals:referral-list"))
    html = received.content.decode()
    # Identity is shared with the receiving side; the sender's case reference is not.
    assert personas.person.display_name in html and personas.case.reference not in html
    referral.shared_scopes = ["case_history"]
    referral.save()
    html = _client(personas.users["partner"]).get(reverse("referrals:referral-list")).content
    assert personas.person.display_name.encode() not in html and b"Name not shared" in html


def test_the_service_picker_counts_free_beds_and_hides_full_shelters(personas):
    roomy = OrganisationFactory(name="Roomy Home")
    full = OrganisationFactory(name="Full Home")
    ServiceFactory(organisation=roomy, name="Roomy shelter")
    ServiceFactory(organisation=full, name="Full shelter")
    BedGroupFactory(shelter=roomy, kind=BedKind.WOMEN, total=3, occupied=2)
    BedGroupFactory(shelter=full, kind=BedKind.WOMEN, total=2, occupied=2)
    client = _client(personas.users["lead"])
    url = reverse("referrals:referral-create", kwargs={"case_id": personas.case.pk})
    html = client.get(url).content.decode()
    assert "Roomy shelter" in html and "1 free bed" in html and "1 free beds" not in html
    assert "Full shelter" not in html and "1 shelter with no free bed is not listed" in html
    html = client.get(url, {"full": "1"}).content.decode()
    assert "Full shelter" in html and "0 free beds" in html
