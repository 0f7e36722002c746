from setu.directory.tests.factories import ServiceFactory
from tests.authz import SIGNED_IN, Entry

EDITORS = frozenset({"lead", "org_admin", "partner", "partner_admin", "other_org", "other_admin"})

ENTRIES = [
    Entry("directory:service-list", SIGNED_IN),
    Entry("directory:service-map", SIGNED_IN),
    Entry("directory:export-hsds", SIGNED_IN),
    Entry("directory:service-create", EDITORS),
    Entry(
        "directory:service-detail",
        SIGNED_IN,
        kwargs=lambda p: {"service_id": ServiceFactory(organisation=p.partner_org).pk},
    ),
    Entry(
        "directory:service-edit",
        frozenset({"lead", "org_admin"}),
        kwargs=lambda p: {"service_id": ServiceFactory(organisation=p.own_org).pk},
    ),
    Entry("api:directory-service-list", SIGNED_IN, is_api=True),
    Entry(
        "api:directory-service-detail",
        SIGNED_IN,
        kwargs=lambda p: {"service_id": ServiceFactory(organisation=p.partner_org).pk},
        is_api=True,
    ),
    Entry("api:directory-hsds", SIGNED_IN, is_api=True),
]
