"""Policy rules for organisation administration, accounts and tokens."""

import pytest

from setu.access import policy
from setu.access.policy import Action
from setu.accounts.models import ApiToken, User
from setu.accounts.tests.factories import ApiTokenFactory
from setu.orgs.models import Membership, Organisation


@pytest.mark.parametrize(
    ("who", "ok"),
    [
        ("org_admin", True),
        ("platform_admin", True),
        ("lead", False),
        ("analyst", False),
        ("partner_admin", False),
        ("other_admin", False),
    ],
)
def test_who_manages_members_of_own_org(personas, who, ok):
    counsellor = personas.users["counsellor"]
    members = policy.scope(personas[who], Membership.objects.all(), Action.MANAGE_MEMBERS)
    assert members.filter(user=counsellor).exists() is ok
    users = policy.scope(personas[who], User.objects.all(), Action.MANAGE_MEMBERS)
    assert users.filter(pk=counsellor.pk).exists() is ok
    assert policy.can(personas[who], Action.MANAGE_ORG, personas.own_org) is ok


def test_org_admin_cannot_deactivate_a_platform_admin_who_is_a_member(personas):
    from setu.orgs.tests.factories import MembershipFactory

    MembershipFactory(user=personas.users["platform_admin"], organisation=personas.own_org)
    assert not policy.can(
        personas["org_admin"], Action.MANAGE_MEMBERS, personas.users["platform_admin"]
    )


def test_confidential_address_is_for_members_only(personas):
    Organisation.objects.filter(pk=personas.partner_org.pk).update(address_is_confidential=True)
    org = Organisation.objects.get(pk=personas.partner_org.pk)
    assert policy.can(personas["partner"], Action.VIEW_ADDRESS, org)
    assert policy.can(personas["partner_admin"], Action.VIEW_ADDRESS, org)
    for who in ["lead", "other_org", "platform_admin"]:
        assert not policy.can(personas[who], Action.VIEW_ADDRESS, org), who
    assert policy.can(personas["lead"], Action.VIEW_ADDRESS, personas.other_org)


def test_tokens_are_seen_only_by_their_owner(personas):
    token = ApiTokenFactory(user=personas.users["lead"])
    for who, ok in [("lead", True), ("org_admin", False), ("platform_admin", False)]:
        qs = policy.scope(personas[who], ApiToken.objects.all(), Action.VIEW)
        assert qs.filter(pk=token.pk).exists() is ok
    assert policy.allowed(personas["lead"], Action.CREATE, "accounts.apitoken")


def test_only_platform_admins_create_organisations(personas):
    assert policy.allowed(personas["platform_admin"], Action.CREATE, "orgs.organisation")
    assert not policy.allowed(personas["org_admin"], Action.CREATE, "orgs.organisation")
