"""My account, API tokens and the acting-as switcher."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from setu.access.actor import ACTIVE_MEMBERSHIP_SESSION_KEY
from setu.accounts.models import ApiToken
from setu.accounts.tests.factories import ApiTokenFactory
from setu.audit.models import AuditAction, AuditEntry
from setu.orgs.models import Role
from setu.orgs.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client(client, personas):
    client.force_login(personas.users["lead"])
    return client


def test_creating_a_token_shows_the_secret_once_and_it_works(lead_client, personas, client):
    response = lead_client.post(
        reverse("accounts:token-list"), {"name": "district sync", "lifetime_days": "30"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'id="new-token-secret">(setu_[^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=personas.users["lead"])
    assert token.digest == ApiToken.digest_of(secret) and secret not in token.prefix
    assert (token.expires_at - token.created_at).days in (29, 30)
    # Never again: the list shows only the first characters.
    again = lead_client.get(reverse("accounts:token-list")).content.decode()
    assert secret not in again and f"setu_{token.prefix}" in again
    api = lead_client.__class__()
    assert api.get(reverse("api-schema"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, target_id=str(token.pk))
    assert secret not in str(entry.changes)


def test_a_revoked_token_stops_working(lead_client, personas):
    secret = ApiToken.new_secret()
    token = ApiTokenFactory(user=personas.users["lead"], digest=ApiToken.digest_of(secret))
    response = lead_client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = lead_client.__class__()
    assert api.get(reverse("api-schema"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert AuditEntry.objects.filter(target_id=str(token.pk), details__op="api_token_revoke")


def test_nobody_sees_or_revokes_anyone_elses_token(client, personas):
    token = ApiTokenFactory(user=personas.users["lead"])
    client.force_login(personas.users["org_admin"])
    assert token.name not in client.get(reverse("accounts:token-list")).content.decode()
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "lifetime_days": "30"}, "name"),
        ({"name": "x", "lifetime_days": "7"}, "lifetime_days"),
    ],
)
def test_bad_token_input_names_the_field_and_creates_nothing(lead_client, data, field):
    response = lead_client.post(reverse("accounts:token-list"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ApiToken.objects.count() == 0
    assert "Please correct the following" in response.content.decode()


@pytest.fixture
def two_hats(personas):
    """The lead also volunteers as a counsellor at a second organisation."""
    second = OrganisationFactory(name="Second Home")
    MembershipFactory(user=personas.users["lead"], organisation=second, role=Role.COUNSELLOR)
    return second


def test_header_shows_the_organisation_and_role_acted_for(lead_client, two_hats):
    html = lead_client.get(reverse("web:home")).content.decode()
    assert "Own NGO" in html and "Caseworker" in html
    assert reverse("web:acting-as") in html


def test_switching_organisation_changes_the_actor_and_is_audited(lead_client, personas, two_hats):
    membership = personas.users["lead"].memberships.get(organisation=two_hats)
    page = lead_client.get(reverse("web:acting-as"))
    assert "Second Home" in page.content.decode()
    response = lead_client.post(reverse("web:acting-as"), {"membership": str(membership.pk)})
    assert response.status_code == 302
    assert lead_client.session[ACTIVE_MEMBERSHIP_SESSION_KEY] == str(membership.pk)
    home = lead_client.get(reverse("web:home"))
    assert home.context["actor"].organisation_id == two_hats.pk
    assert home.context["actor_role_label"] == "Counsellor"
    assert AuditEntry.objects.filter(details__op="acting_as", target_id=str(membership.pk))


def test_cannot_act_for_someone_elses_membership(lead_client, personas, two_hats):
    foreign = personas.users["partner"].memberships.get()
    response = lead_client.post(reverse("web:acting-as"), {"membership": str(foreign.pk)})
    assert response.status_code == 200
    assert "membership" in response.context["form"].errors
    assert ACTIVE_MEMBERSHIP_SESSION_KEY not in lead_client.session


def test_account_home_lists_memberships(lead_client, two_hats):
    html = lead_client.get(reverse("accounts:account-home")).content.decode()
    assert "Own NGO" in html and "Second Home" in html
