from tests.authz import Entry

ENTRIES = [
    Entry(
        "insights:overview",
        frozenset({"org_admin", "analyst", "coordinator", "partner_admin", "other_admin"}),
    ),
]
