"""Authorization-matrix entries of the entitlement pages and API."""

from tests.authz import MEMBERS, Entry

IDENTITY = frozenset(
    {"lead", "org_admin", "counsellor", "partner", "partner_admin", "other_org", "other_admin"}
)
CASE_SEERS = frozenset({"lead", "org_admin", "counsellor", "partner", "partner_admin"})
EDITORS = frozenset({"lead", "org_admin", "counsellor"})
SCHEME_KEEPERS = frozenset({"coordinator", "platform_admin"})


def _link(p):
    return p.case.participants.first()


def application_kw(p):
    from setu.entitlements.tests.factories import ApplicationFactory

    return {"application_id": ApplicationFactory(link=_link(p)).pk}


def _stage(p):
    from setu.entitlements.tests.factories import ClaimFactory, StageFactory

    return StageFactory(claim=ClaimFactory(link=_link(p)))


def claim_kw(p):
    return {"claim_id": _stage(p).claim_id}


def stage_kw(p):
    return {"stage_id": _stage(p).pk}


def scheme_kw(p):
    from setu.entitlements.tests.factories import SchemeFactory

    return {"scheme_id": SchemeFactory().pk}


ENTRIES = [
    Entry("entitlements:overview", IDENTITY),
    Entry("entitlements:case", CASE_SEERS, lambda p: {"case_id": p.case.pk}),
    Entry("entitlements:application-detail", CASE_SEERS, application_kw),
    Entry("entitlements:claim-detail", CASE_SEERS, claim_kw),
    Entry("entitlements:stage-edit", EDITORS, stage_kw),
    Entry(
        "entitlements:stage-appeal",
        EDITORS,
        stage_kw,
        method="post",
        data=lambda p: {"filed_on": "2026-01-01"},
    ),
    Entry("entitlements:scheme-list", SCHEME_KEEPERS),
    Entry("entitlements:scheme-create", SCHEME_KEEPERS),
    Entry("entitlements:scheme-edit", SCHEME_KEEPERS, scheme_kw),
]

ENTRIES += [
    Entry("api:entitlements-scheme-list", MEMBERS | {"platform_admin"}, is_api=True),
    Entry("api:entitlements-application-list", IDENTITY, is_api=True),
    Entry("api:entitlements-application-detail", CASE_SEERS, application_kw, is_api=True),
    Entry(
        "api:entitlements-application-status",
        EDITORS,
        application_kw,
        method="post",
        data=lambda p: {"status": "documents_missing"},
        is_api=True,
    ),
    Entry("api:entitlements-claim-list", IDENTITY, is_api=True),
    Entry("api:entitlements-claim-detail", CASE_SEERS, claim_kw, is_api=True),
]
