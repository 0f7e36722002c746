from tests.authz import Entry

ENTRIES = [
    Entry("audit:entry-list", frozenset({"org_admin", "partner_admin", "other_admin"})),
]
