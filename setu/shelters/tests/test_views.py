from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEntry
from setu.orgs.models import OrganisationType
from setu.orgs.tests.factories import OrganisationFactory
from setu.shelters.models import BedGroup, BedKind, UnmetDemand
from setu.shelters.tests.factories import BedGroupFactory


def _client(personas, who):
    client = Client()
    client.force_login(personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_plus_button_updates_the_counter_in_place_with_htmx(personas):
    group = BedGroupFactory(shelter=personas.partner_org, total=2)
    client = _client(personas, "partner_admin")
    url = reverse("shelters:bed-group-adjust", args=[group.pk])
    response = client.post(url, {"counter": "occupied", "delta": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="group-{group.pk}"' in response.text
    group.refresh_from_db()
    assert group.occupied == 1
    client.post(url, {"counter": "occupied", "delta": "1"}, HTTP_HX_REQUEST="true")
    response = client.post(url, {"counter": "occupied", "delta": "1"}, HTTP_HX_REQUEST="true")
    assert "cannot exceed" in response.text
    assert BedGroup.objects.get(pk=group.pk).occupied == 2


def test_without_javascript_the_form_redirects_back(personas):
    group = BedGroupFactory(shelter=personas.partner_org, total=2)
    client = _client(personas, "partner_admin")
    response = client.post(
        reverse("shelters:bed-group-counts", args=[group.pk]),
        {"total": 5, "occupied": 1, "out_of_service": 1},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.total, group.free) == (5, 3)


def test_board_hides_the_address_of_a_confidential_home(personas):
    secret = OrganisationFactory(
        org_type=OrganisationType.SHELTER_HOME,
        address="12 Hidden Lane",
        address_is_confidential=True,
    )
    open_home = OrganisationFactory(org_type=OrganisationType.SHELTER_HOME, address="1 Open Road")
    BedGroupFactory(shelter=secret)
    BedGroupFactory(shelter=open_home)
    response = _client(personas, "lead").get(reverse("shelters:capacity-board"))
    assert "1 Open Road" in response.text
    assert "12 Hidden Lane" not in response.text
    assert secret.name in response.text
    assert "<svg" in response.text


def test_board_shows_call_to_confirm_for_stale_counts(personas):
    import datetime

    from django.utils import timezone

    group = BedGroupFactory(shelter=personas.partner_org)
    BedGroup.objects.filter(pk=group.pk).update(
        counts_confirmed_at=timezone.now() - datetime.timedelta(days=2)
    )
    response = _client(personas, "lead").get(reverse("shelters:capacity-board"))
    assert "call to confirm" in response.text


def test_board_list_queries_are_bounded(personas, django_assert_max_num_queries):
    for _ in range(6):
        BedGroupFactory(shelter=OrganisationFactory(org_type=OrganisationType.SHELTER_HOME))
    client = _client(personas, "lead")
    with django_assert_max_num_queries(25):
        client.get(reverse("shelters:capacity-board"))


def test_recording_unmet_demand_from_the_board(personas):
    client = _client(personas, "lead")
    response = client.post(reverse("shelters:unmet-record"), {"district": 1, "kind": BedKind.MEN})
    assert response.status_code == 302
    assert UnmetDemand.objects.get().kind == BedKind.MEN


def test_network_view_suppresses_small_counts(personas):
    from setu.registry.tests.factories import CasePersonFactory
    from setu.shelters.tests.factories import ReferralFactory

    for _ in range(3):
        ReferralFactory(
            link=CasePersonFactory(case__owner_org=personas.own_org), to_org=personas.partner_org
        )
    response = _client(personas, "coordinator").get(reverse("shelters:network"))
    assert response.status_code == 200
    assert "fewer than 5" in response.text
    assert "<svg" in response.text


def test_a_refused_page_is_audited(personas):
    group = BedGroupFactory(shelter=personas.partner_org)
    response = _client(personas, "lead").get(reverse("shelters:bed-group-edit", args=[group.pk]))
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action="denied", target_id=str(group.pk)).exists()


# --- Admitting the shelter's own cases ----------------------------------------------------------


def _own_shelter_case(personas):
    """A case of the partner shelter itself, with one survivor."""
    from setu.registry.tests.factories import CasePersonFactory

    return CasePersonFactory(case__owner_org=personas.partner_org)


def test_admit_form_admits_one_of_the_shelters_own_cases(personas):
    from setu.registry.models import EventKind, TraffickingEvent
    from setu.shelters.models import ShelterStay

    group = BedGroupFactory(shelter=personas.partner_org, kind=BedKind.WOMEN, total=2)
    link = _own_shelter_case(personas)
    client = _client(personas, "partner_admin")
    page = client.get(reverse("shelters:stay-create"))
    assert page.status_code == 200
    assert link.case.reference in page.text
    assert personas.case.reference not in page.text  # another organisation's case
    response = client.post(
        reverse("shelters:stay-create"),
        {"case_person": f"{link.case.pk}:{link.person.pk}", "bed_kind": BedKind.WOMEN},
    )
    assert response.status_code == 302
    stay = ShelterStay.objects.get(person=link.person)
    assert stay.bed_group == group and stay.discharged_at is None
    assert BedGroup.objects.get(pk=group.pk).occupied == 1
    assert TraffickingEvent.objects.filter(
        case=link.case, kind=EventKind.SHELTER_ADMISSION
    ).exists()
    # She is no longer offered, and the manage page lists her with a discharge button.
    assert link.case.reference not in client.get(reverse("shelters:stay-create")).text
    manage = client.get(reverse("shelters:manage"))
    assert reverse("shelters:stay-discharge", args=[stay.pk]) in manage.text
    client.post(reverse("shelters:stay-discharge", args=[stay.pk]))
    assert BedGroup.objects.get(pk=group.pk).occupied == 0


def test_admit_form_says_which_field_is_wrong_when_no_bed_is_free(personas):
    BedGroupFactory(shelter=personas.partner_org, kind=BedKind.WOMEN, total=1, occupied=1)
    link = _own_shelter_case(personas)
    response = _client(personas, "partner_admin").post(
        reverse("shelters:stay-create"),
        {"case_person": f"{link.case.pk}:{link.person.pk}", "bed_kind": BedKind.WOMEN},
    )
    assert response.status_code == 200
    assert "There is no free bed of this kind." in response.text
    assert 'class="field field-error"' in response.text


def test_admit_form_refuses_a_future_date_and_an_unknown_choice(personas):
    import datetime

    from django.utils import timezone

    BedGroupFactory(shelter=personas.partner_org, kind=BedKind.WOMEN, total=1)
    link = _own_shelter_case(personas)
    client = _client(personas, "partner_admin")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("shelters:stay-create"),
        {"case_person": f"{link.case.pk}:{link.person.pk}", "bed_kind": BedKind.WOMEN,
         "occurred_on": tomorrow.isoformat()},
    )  # fmt: skip
    assert "cannot be dated in the future" in response.text
    response = client.post(
        reverse("shelters:stay-create"),
        {"case_person": f"{personas.case.pk}:{personas.person.pk}", "bed_kind": BedKind.WOMEN},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text


def test_admit_page_without_beds_says_so(personas):
    _own_shelter_case(personas)
    page = _client(personas, "partner_admin").get(reverse("shelters:stay-create"))
    assert "no beds recorded yet" in page.text
