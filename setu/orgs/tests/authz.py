"""Matrix entries for the organisation directory and its administration pages."""

from tests.authz import MEMBERS, SIGNED_IN, Entry

ADMINS = frozenset({"org_admin", "platform_admin"})


def _own(p):
    return {"organisation_id": p.own_org.pk}


def _counsellor_membership(p):
    return {"membership_id": p.users["counsellor"].memberships.get().pk}


def _invitation_to_partner(p):
    """An invitation from the own organisation to the partner's caseworker: only they answer it."""
    from setu.orgs.models import MembershipInvitation, Role

    invitation = MembershipInvitation.objects.create(
        user=p.users["partner"],
        organisation=p.own_org,
        role=Role.CASEWORKER,
        invited_by=p.users["org_admin"],
    )
    return {"invitation_id": invitation.pk}


ENTRIES = [
    # Everyone sees the invitations addressed to their own account (platform admins: none).
    Entry("orgs:invitation-list", SIGNED_IN),
    Entry("orgs:invitation-accept", frozenset({"partner"}), _invitation_to_partner, method="post"),
    Entry("orgs:invitation-decline", frozenset({"partner"}), _invitation_to_partner, method="post"),
    Entry("orgs:organisation-list", MEMBERS | {"platform_admin"}),
    Entry("orgs:organisation-create", frozenset({"platform_admin"})),
    Entry("orgs:organisation-detail", MEMBERS | {"platform_admin"}, _own),
    Entry("orgs:organisation-edit", ADMINS, _own),
    Entry("orgs:member-list", ADMINS, _own),
    Entry("orgs:member-add", ADMINS, _own),
    Entry("orgs:member-edit", ADMINS, _counsellor_membership),
    Entry("orgs:member-deactivate", ADMINS, _counsellor_membership, method="post"),
    Entry("orgs:member-reactivate", ADMINS, _counsellor_membership, method="post"),
]

from setu.orgs.tests.authz_api import ENTRIES as API_ENTRIES  # noqa: E402

ENTRIES += API_ENTRIES
