"""Organisations API: the directory for everyone in the network, members for admins only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setu.core.tests.apiclient import token_client
from setu.orgs.models import OrganisationType, Role
from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


def test_list_is_paginated_and_shows_the_network(personas):
    client = token_client(personas.users["lead"])
    response = client.get(reverse("api:organisation-list"), {"limit": 2})
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "offset=2" in body["next"]


def test_list_filters_by_type_and_state(personas):
    from setu.orgs.models import State

    state = State.objects.get(code=10)  # Bihar in the LGD
    personas.partner_org.states.add(state)
    client = token_client(personas.users["lead"])
    shelters = client.get(reverse("api:organisation-list"), {"org_type": "shelter_home"})
    assert _ids(shelters) == {str(personas.partner_org.pk)}
    in_state = client.get(reverse("api:organisation-list"), {"state": 10})
    assert _ids(in_state) == {str(personas.partner_org.pk)}
    bad = client.get(reverse("api:organisation-list"), {"org_type": "bank"})
    assert bad.status_code == 400
    assert "org_type" in bad.json()["error"]["fields"]


def test_inactive_organisations_are_not_listed(personas):
    gone = OrganisationFactory(is_active=False, org_type=OrganisationType.LEGAL_AID)
    response = token_client(personas.users["lead"]).get(reverse("api:organisation-list"))
    assert str(gone.pk) not in _ids(response)
    detail = token_client(personas.users["lead"]).get(
        reverse("api:organisation-detail", args=[gone.pk])
    )
    assert detail.status_code == 404


def test_confidential_address_is_never_sent(personas):
    personas.partner_org.address = "Lane 4, behind the temple"
    personas.partner_org.address_is_confidential = True
    personas.partner_org.save()
    for who in ("lead", "partner"):
        url = reverse("api:organisation-detail", args=[personas.partner_org.pk])
        body = token_client(personas.users[who]).get(url).json()
        assert body["address"] is None
        assert body["address_is_confidential"] is True


def test_detail_shows_codes_and_labels(personas):
    url = reverse("api:organisation-detail", args=[personas.own_org.pk])
    body = token_client(personas.users["lead"]).get(url).json()
    assert body["name"] == "Own NGO"
    assert body["org_type"] == "destination_ngo"
    assert body["htcds_org_type"] == "NGO"


def test_org_admin_lists_their_members_with_roles(personas):
    url = reverse("api:organisation-member-list", args=[personas.own_org.pk])
    body = token_client(personas.users["org_admin"]).get(url).json()
    roles = {row["user"]["username"]: row["role"] for row in body["results"]}
    assert roles == {
        "lead": Role.CASEWORKER,
        "org_admin": Role.ORG_ADMIN,
        "counsellor": Role.COUNSELLOR,
        "analyst": Role.ANALYST,
        "coordinator": Role.NETWORK_COORDINATOR,
    }


@pytest.mark.parametrize(("who", "status"), [("lead", 403), ("other_admin", 403)])
def test_members_are_refused_to_others(personas, who, status):
    url = reverse("api:organisation-member-list", args=[personas.own_org.pk])
    assert token_client(personas.users[who]).get(url).status_code == status


def test_member_list_query_count_is_flat(personas, django_assert_max_num_queries):
    for _ in range(10):
        MembershipFactory(organisation=personas.own_org)
    client = token_client(personas.users["org_admin"])
    url = reverse("api:organisation-member-list", args=[personas.own_org.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.json()["count"] == 15


def test_list_query_count_is_flat(personas, django_assert_max_num_queries):
    for _ in range(10):
        OrganisationFactory()
    client = token_client(personas.users["lead"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("api:organisation-list"))
    assert response.json()["count"] == 13
