from tests.authz import Entry

IDENTITY = frozenset(
    {"lead", "org_admin", "counsellor", "partner", "partner_admin", "other_org", "other_admin"}
)

ENTRIES = [
    Entry("registry:case-list", IDENTITY),
    Entry("registry:person-list", IDENTITY),
]
