"""Organisation administration through the pages: members, roles, profile, new organisations."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from setu.accounts.models import User
from setu.audit.models import AuditAction, AuditEntry
from setu.orgs.models import District, Membership, Organisation, Role, State

pytestmark = pytest.mark.django_db


def _as(personas, who: str) -> Client:
    client = Client()
    client.force_login(personas.users[who])
    return client


def _add(client: Client, org, **data):
    payload = {"mode": "new", "new-role": Role.CASEWORKER}
    payload.update({f"new-{k}": v for k, v in data.items()})
    return client.post(reverse("orgs:member-add", args=[org.pk]), payload)


def test_admin_creates_an_account_with_a_one_time_password(personas):
    admin = _as(personas, "org_admin")
    response = _add(
        admin, personas.own_org, username="meera", first_name="Meera", email="m@example.org"
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = re.search(r'id="temporary-password">([^<]+)<', response.content.decode()).group(1)
    user = User.objects.get(username="meera")
    assert user.check_password(password) and user.must_change_password
    membership = user.memberships.get()
    assert membership.organisation == personas.own_org and membership.role == Role.CASEWORKER
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, target_id=str(membership.pk))
    assert password not in str(entry.changes) + str(entry.details)
    # The new member must choose their own password before anything else.
    newcomer = Client()
    newcomer.post("/accounts/login/", {"login": "meera", "password": password})
    home = newcomer.get(reverse("web:home"))
    assert home["Location"].startswith(reverse("account_change_password"))
    mine = "meera-chooses-her-own-words"
    newcomer.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": mine, "password2": mine},
    )
    user.refresh_from_db()
    assert not user.must_change_password
    assert newcomer.get(reverse("web:home")).status_code == 200


def test_duplicate_username_is_refused_naming_the_field(personas):
    admin = _as(personas, "org_admin")
    before = User.objects.count()
    response = _add(admin, personas.own_org, username="LEAD")
    assert response.status_code == 200
    form = response.context["new_form"]
    assert form.errors["username"] == ["That username is taken. Choose another."]
    html = response.content.decode()
    assert "Username</a>: That username is taken" in html
    assert User.objects.count() == before


def test_invalid_role_is_refused_naming_the_field(personas):
    admin = _as(personas, "org_admin")
    response = _add(admin, personas.own_org, username="newbie", role="warlord")
    assert "role" in response.context["new_form"].errors
    assert not User.objects.filter(username="newbie").exists()


def test_duplicate_email_is_refused(personas):
    admin = _as(personas, "org_admin")
    lead_email = personas.users["lead"].email
    response = _add(admin, personas.own_org, username="newbie", email=lead_email.upper())
    assert "email" in response.context["new_form"].errors
    assert not User.objects.filter(username="newbie").exists()


def test_admin_changes_a_role_and_designated_contact(personas):
    admin = _as(personas, "org_admin")
    membership = personas.users["counsellor"].memberships.get()
    response = admin.post(
        reverse("orgs:member-edit", args=[membership.pk]),
        {"role": Role.CASEWORKER, "is_designated_contact": "on"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.CASEWORKER and membership.is_designated_contact
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_id=str(membership.pk))
    assert entry.changes["before"]["role"] == Role.COUNSELLOR


def test_invalid_role_change_leaves_the_membership_unchanged(personas):
    admin = _as(personas, "org_admin")
    membership = personas.users["counsellor"].memberships.get()
    response = admin.post(reverse("orgs:member-edit", args=[membership.pk]), {"role": "boss"})
    assert response.status_code == 200 and "role" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.role == Role.COUNSELLOR


def test_the_last_admin_cannot_be_demoted_or_deactivated(personas):
    platform = _as(personas, "platform_admin")
    membership = personas.users["org_admin"].memberships.get()
    response = platform.post(
        reverse("orgs:member-edit", args=[membership.pk]), {"role": Role.CASEWORKER}
    )
    assert response.context["form"].errors["role"] == [
        "The organisation needs at least one active admin."
    ]
    platform.post(reverse("orgs:member-deactivate", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.role == Role.ORG_ADMIN and membership.is_active


def test_deactivating_a_member_ends_their_sessions(personas):
    victim = Client()
    victim.force_login(personas.users["counsellor"])
    assert victim.get(reverse("web:home")).status_code == 200
    admin = _as(personas, "org_admin")
    membership = personas.users["counsellor"].memberships.get()
    response = admin.post(reverse("orgs:member-deactivate", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    personas.users["counsellor"].refresh_from_db()
    assert not membership.is_active and not personas.users["counsellor"].is_active
    assert victim.get(reverse("web:home"))["Location"].startswith("/accounts/login/")
    admin.post(reverse("orgs:member-reactivate", args=[membership.pk]))
    membership.refresh_from_db()
    personas.users["counsellor"].refresh_from_db()
    assert membership.is_active and personas.users["counsellor"].is_active


def test_member_of_two_orgs_keeps_the_account_when_one_org_lets_go(personas):
    from setu.orgs.tests.factories import MembershipFactory

    MembershipFactory(user=personas.users["counsellor"], organisation=personas.partner_org)
    admin = _as(personas, "org_admin")
    membership = personas.users["counsellor"].memberships.get(organisation=personas.own_org)
    admin.post(reverse("orgs:member-deactivate", args=[membership.pk]))
    personas.users["counsellor"].refresh_from_db()
    assert personas.users["counsellor"].is_active


def test_admins_of_other_orgs_cannot_touch_members(personas):
    other = _as(personas, "other_admin")
    membership = personas.users["counsellor"].memberships.get()
    assert other.post(reverse("orgs:member-deactivate", args=[membership.pk])).status_code == 404
    assert other.get(reverse("orgs:member-list", args=[personas.own_org.pk])).status_code == 403
    membership.refresh_from_db()
    assert membership.is_active


def test_member_list(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from setu.orgs.tests.factories import MembershipFactory

    admin = _as(personas, "org_admin")
    url = reverse("orgs:member-list", args=[personas.own_org.pk])
    admin.get(url)  # the first request also stamps and indexes the session
    with CaptureQueriesContext(connection) as few:
        response = admin.get(url)
    html = response.content.decode()
    for name in ["lead", "counsellor", "analyst", "coordinator"]:
        assert name in html
    assert "partner" not in html
    MembershipFactory.create_batch(6, organisation=personas.own_org)
    with CaptureQueriesContext(connection) as many:
        admin.get(url)
    extra = [q["sql"][:120] for q in many.captured_queries[len(few) :]]
    assert len(many) == len(few), extra  # no query per member


def _profile_data(org, **changes):
    data = {
        "name": org.name,
        "short_name": org.short_name,
        "org_type": org.org_type,
        "phone": "",
        "email": "",
        "address": "",
    }
    data.update(changes)
    return data


def test_admin_edits_the_profile_places_and_2fa_requirement(personas):
    admin = _as(personas, "org_admin")
    district = District.objects.select_related("state").first()
    response = admin.post(
        reverse("orgs:organisation-edit", args=[personas.own_org.pk]),
        _profile_data(
            personas.own_org,
            states=[district.state_id],
            districts=[district.code],
            base_district=district.code,
            address="12 Quiet Lane",
            address_is_confidential="on",
            mfa_required="on",
        ),
    )
    assert response.status_code == 302
    org = Organisation.objects.get(pk=personas.own_org.pk)
    assert org.mfa_required and org.address_is_confidential and org.base_district == district
    assert list(org.districts.all()) == [district]
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, target_id=str(org.pk))
    assert entry.changes["after"]["mfa_required"] is True
    assert entry.changes["before"]["mfa_required"] is False


def test_unknown_district_is_refused_and_nothing_changes(personas):
    admin = _as(personas, "org_admin")
    response = admin.post(
        reverse("orgs:organisation-edit", args=[personas.own_org.pk]),
        _profile_data(personas.own_org, name="Renamed", districts=[99999999]),
    )
    assert response.status_code == 200
    assert "districts" in response.context["form"].errors
    assert "Districts served</a>:" in response.content.decode()
    assert Organisation.objects.get(pk=personas.own_org.pk).name == "Own NGO"


def test_duplicate_organisation_name_is_refused(personas):
    admin = _as(personas, "org_admin")
    response = admin.post(
        reverse("orgs:organisation-edit", args=[personas.own_org.pk]),
        _profile_data(personas.own_org, name="Partner Shelter"),
    )
    assert "name" in response.context["form"].errors
    assert Organisation.objects.get(pk=personas.own_org.pk).name == "Own NGO"


def test_confidential_address_is_shown_only_to_members(personas):
    Organisation.objects.filter(pk=personas.partner_org.pk).update(
        address="Secret House, Lane 4", address_is_confidential=True
    )
    url = reverse("orgs:organisation-detail", args=[personas.partner_org.pk])
    assert "Secret House" in _as(personas, "partner").get(url).content.decode()
    for who in ["lead", "other_admin", "platform_admin"]:
        html = _as(personas, who).get(url).content.decode()
        assert "Secret House" not in html, who
        assert "Confidential" in html
    Organisation.objects.filter(pk=personas.partner_org.pk).update(address_is_confidential=False)
    assert "Secret House" in _as(personas, "lead").get(url).content.decode()


def test_platform_admin_creates_an_organisation_and_its_first_admin(personas):
    platform = _as(personas, "platform_admin")
    state = State.objects.first()
    response = platform.post(
        reverse("orgs:organisation-create"),
        {"name": "New AHTU", "org_type": "police_ahtu", "states": [state.code]},
    )
    org = Organisation.objects.get(name="New AHTU")
    assert response["Location"] == reverse("orgs:member-add", args=[org.pk])
    assert list(org.states.all()) == [state]
    created = _add(platform, org, username="sp-ahtu", role=Role.ORG_ADMIN)
    assert created.status_code == 200
    assert Membership.objects.get(organisation=org).role == Role.ORG_ADMIN
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, target_id=str(org.pk)).exists()


def test_org_admins_cannot_create_organisations(personas):
    response = _as(personas, "org_admin").post(
        reverse("orgs:organisation-create"), {"name": "Sneaky", "org_type": "source_ngo"}
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Sneaky").exists()
