"""Issue 28, findings 10, 15 and 16: nobody takes over an account or an organisation by adding it.

* 10: adding an existing account only invites it; its holder accepts after signing in; an admin
  ends only the accounts their organisation created.
* 15: only an organisation's admins reach its members page and the add form.
* 16: platform-admin accounts hold no membership; an attempt is refused, audited and told to the
  organisation.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from setu.access.actor import actor_for_user
from setu.accounts import services as account_services
from setu.audit.models import AuditAction, AuditEntry, Outcome
from setu.core.errors import NotFound
from setu.notifications.models import Notification
from setu.orgs import services
from setu.orgs.models import InvitationStatus, Membership, MembershipInvitation, Role

pytestmark = pytest.mark.django_db


def _as(personas, who: str) -> Client:
    client = Client()
    client.force_login(personas.users[who])
    return client


def _invite(client: Client, org, username: str, role: str = Role.ORG_ADMIN):
    return client.post(
        reverse("orgs:member-add", args=[org.pk]),
        {"mode": "existing", "existing-username": username, "existing-role": role},
    )


def test_adding_an_existing_account_only_invites_it_until_its_holder_accepts(personas):
    partner = personas.users["partner"]
    response = _invite(_as(personas, "org_admin"), personas.own_org, "partner")
    assert response.status_code == 302
    # No membership yet: the admin cannot act through another organisation's staff account.
    assert not Membership.objects.filter(user=partner, organisation=personas.own_org).exists()
    invitation = MembershipInvitation.objects.get(user=partner, organisation=personas.own_org)
    assert invitation.status == InvitationStatus.PENDING
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, details__op="member_invite", target_id=str(invitation.pk)
    ).exists()
    assert Notification.objects.filter(recipient=partner).exists()

    holder = _as(personas, "partner")
    home = holder.get(reverse("accounts:account-home")).content.decode()
    assert reverse("orgs:invitation-list") in home
    page = holder.get(reverse("orgs:invitation-list"))
    assert personas.own_org.name in page.content.decode()
    assert holder.post(reverse("orgs:invitation-accept", args=[invitation.pk])).status_code == 302
    membership = Membership.objects.get(user=partner, organisation=personas.own_org)
    assert membership.role == Role.ORG_ADMIN and membership.is_active
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.answered_at
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE,
        details__op="invitation_accept",
        actor_user_id=partner.pk,
        target_id=str(membership.pk),
    ).exists()


def test_a_declined_invitation_gives_no_membership(personas):
    _invite(_as(personas, "org_admin"), personas.own_org, "partner", Role.CASEWORKER)
    invitation = MembershipInvitation.objects.get(user=personas.users["partner"])
    _as(personas, "partner").post(reverse("orgs:invitation-decline", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert not Membership.objects.filter(
        user=personas.users["partner"], organisation=personas.own_org
    ).exists()
    # A declined invitation can no longer be accepted.
    with pytest.raises(NotFound):
        services.invitation_accept(actor=personas["partner"], invitation_id=invitation.pk)


@pytest.mark.parametrize("who", ["org_admin", "other_admin", "lead", "platform_admin"])
def test_nobody_but_the_account_holder_answers_an_invitation(personas, who):
    _invite(_as(personas, "org_admin"), personas.own_org, "partner")
    invitation = MembershipInvitation.objects.get(user=personas.users["partner"])
    response = _as(personas, who).post(reverse("orgs:invitation-accept", args=[invitation.pk]))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert not Membership.objects.filter(
        user=personas.users["partner"], organisation=personas.own_org
    ).exists()


def test_an_account_records_the_organisation_that_created_it(personas):
    membership, _password = services.member_add_new(
        actor=personas["org_admin"],
        organisation=personas.own_org,
        username="newcomer",
        role=Role.CASEWORKER,
    )
    assert membership.user.created_by_org_id == personas.own_org.pk


def _joined_own_org(personas) -> Membership:
    """The partner's caseworker, invited to the own organisation and accepted; the partner's
    own membership has ended, so the own organisation is the only one left."""
    partner = personas.users["partner"]
    invitation = services.member_invite(
        actor=personas["org_admin"],
        organisation=personas.own_org,
        username="partner",
        role=Role.CASEWORKER,
    )
    membership = services.invitation_accept(actor=personas["partner"], invitation_id=invitation.pk)
    Membership.objects.filter(user=partner, organisation=personas.partner_org).update(
        is_active=False
    )
    return membership


def test_an_admin_cannot_end_an_account_another_organisation_created(personas):
    membership = _joined_own_org(personas)
    partner = personas.users["partner"]
    # The own organisation may let the member go from itself ...
    services.membership_deactivate(actor=personas["org_admin"], membership=membership)
    membership.refresh_from_db()
    partner.refresh_from_db()
    assert not membership.is_active
    # ... but the account belongs to the partner organisation, which created it.
    assert partner.is_active
    with pytest.raises(NotFound):
        account_services.user_deactivate(actor=personas["org_admin"], user=partner)
    # The organisation that created the account may end it.
    account_services.user_deactivate(actor=personas["partner_admin"], user=partner)
    partner.refresh_from_db()
    assert not partner.is_active


def test_an_admin_cannot_reactivate_an_account_another_organisation_created(personas):
    from setu.core.errors import InvalidInput

    membership = _joined_own_org(personas)
    services.membership_deactivate(actor=personas["org_admin"], membership=membership)
    account_services.user_deactivate(
        actor=personas["partner_admin"], user=personas.users["partner"]
    )
    with pytest.raises(InvalidInput):
        services.membership_reactivate(actor=personas["org_admin"], membership=membership)
    personas.users["partner"].refresh_from_db()
    membership.refresh_from_db()
    assert not personas.users["partner"].is_active and not membership.is_active


# --- Finding 15 --------------------------------------------------------------------------------

NON_ADMINS = ["lead", "counsellor", "analyst", "coordinator"]


@pytest.mark.parametrize("who", NON_ADMINS)
def test_only_admins_reach_the_members_page_and_its_add_form(personas, who):
    client = _as(personas, who)
    org = personas.own_org
    assert client.get(reverse("orgs:member-list", args=[org.pk])).status_code == 403
    assert client.get(reverse("orgs:member-add", args=[org.pk])).status_code == 403
    before = (Membership.objects.count(), MembershipInvitation.objects.count())
    new = client.post(
        reverse("orgs:member-add", args=[org.pk]),
        {"mode": "new", "new-username": "sneaky", "new-role": Role.ORG_ADMIN},
    )
    existing = _invite(client, org, "partner")
    assert new.status_code == 403 and existing.status_code == 403
    assert (Membership.objects.count(), MembershipInvitation.objects.count()) == before
    assert AuditEntry.objects.filter(
        action=AuditAction.DENIED, actor_user_id=personas.users[who].pk
    ).exists()


def test_an_admin_elsewhere_acting_as_a_caseworker_does_not_reach_the_members_page(personas):
    from setu.access.actor import ACTIVE_MEMBERSHIP_SESSION_KEY
    from setu.orgs.tests.factories import MembershipFactory

    lead = personas.users["lead"]
    MembershipFactory(user=lead, organisation=personas.other_org, role=Role.ORG_ADMIN)
    client = _as(personas, "lead")
    session = client.session
    session[ACTIVE_MEMBERSHIP_SESSION_KEY] = str(
        lead.memberships.get(organisation=personas.own_org).pk
    )
    session.save()
    assert client.get(reverse("orgs:member-list", args=[personas.own_org.pk])).status_code == 403


# --- Finding 16 --------------------------------------------------------------------------------


def test_a_platform_admin_cannot_become_an_organisations_admin(personas):
    platform = personas.users["platform_admin"]
    response = _invite(_as(personas, "platform_admin"), personas.own_org, "platform_admin")
    assert response.status_code == 200
    assert "username" in response.context["existing_form"].errors
    assert not MembershipInvitation.objects.filter(user=platform).exists()
    assert not Membership.objects.filter(user=platform).exists()
    refusal = AuditEntry.objects.get(
        action=AuditAction.DENIED, details__reason="platform_admin_membership"
    )
    assert refusal.outcome == Outcome.DENIED
    assert refusal.target_org_id == personas.own_org.pk
    # The organisation is told: its admin has a notice naming the account.
    notice = Notification.objects.get(recipient=personas.users["org_admin"])
    assert "platform_admin" in notice.message


def test_an_org_admin_cannot_invite_a_platform_admin_either(personas):
    from setu.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.member_invite(
            actor=personas["org_admin"],
            organisation=personas.own_org,
            username="platform_admin",
            role=Role.ORG_ADMIN,
        )
    assert AuditEntry.objects.filter(details__reason="platform_admin_membership").exists()


def test_a_platform_admin_with_a_membership_row_still_acts_for_no_organisation(personas):
    platform = personas.users["platform_admin"]
    Membership.objects.create(user=platform, organisation=personas.own_org, role=Role.ORG_ADMIN)
    actor = actor_for_user(platform)
    assert actor.organisation_id is None and actor.role == ""
    client = _as(personas, "platform_admin")
    response = client.get(reverse("registry:person-detail", args=[personas.person.pk]))
    assert response.status_code in (403, 404)


def test_accounts_from_before_get_the_organisation_of_their_first_membership(personas):
    """The data migration: without it no admin could end an account created before the field."""
    import importlib

    from django.apps import apps

    from setu.accounts.models import User
    from setu.orgs.tests.factories import MembershipFactory

    backfill = importlib.import_module(
        "setu.accounts.migrations.0004_backfill_created_by_org"
    ).backfill
    old = MembershipFactory(organisation=personas.own_org, user__created_by_org=None).user
    MembershipFactory(user=old, organisation=personas.partner_org)
    User.objects.filter(pk=personas.users["platform_admin"].pk).update(created_by_org=None)
    backfill(apps, None)
    old.refresh_from_db()
    assert old.created_by_org_id == personas.own_org.pk
    assert User.objects.get(pk=personas.users["platform_admin"].pk).created_by_org_id is None
