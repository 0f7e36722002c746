from tests.authz import MEMBERS, Entry

ENTRIES = [
    Entry("orgs:organisation-list", MEMBERS | {"platform_admin"}),
]
