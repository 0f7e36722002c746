"""Authorization-matrix entries of the organisations API (appended to this app's ENTRIES)."""

from tests.authz import MEMBERS, Entry


def _own(p):
    return {"organisation_id": p.own_org.pk}


ENTRIES = [
    Entry("api:organisation-list", MEMBERS | {"platform_admin"}, is_api=True),
    Entry("api:organisation-detail", MEMBERS | {"platform_admin"}, _own, is_api=True),
    Entry(
        "api:organisation-member-list",
        frozenset({"org_admin", "platform_admin"}),
        _own,
        is_api=True,
    ),
]
