"""Matrix entries for the organisation directory and its administration pages."""

from tests.authz import MEMBERS, Entry

ADMINS = frozenset({"org_admin", "platform_admin"})


def _own(p):
    return {"organisation_id": p.own_org.pk}


def _counsellor_membership(p):
    return {"membership_id": p.users["counsellor"].memberships.get().pk}


ENTRIES = [
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
