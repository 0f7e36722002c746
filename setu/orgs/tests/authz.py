from tests.authz import MEMBERS, Entry

ENTRIES = [
    Entry("orgs:organisation-list", MEMBERS | {"platform_admin"}),
]

from setu.orgs.tests.authz_api import ENTRIES as API_ENTRIES  # noqa: E402

ENTRIES += API_ENTRIES
