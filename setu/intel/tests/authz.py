"""Authorization-matrix entries of the intel pages and API.

Intel roles (organisation admin, caseworker, legal officer, police liaison) read and write the
intelligence of their own organisation's cases; the personas' partner has a consented share of
the case but no sharing agreement, so it reaches none of the case's intelligence. Counsellors
do not read intelligence; analysts and coordinators see counts only; platform admins nothing.
Police liaisons and legal officers are not matrix personas: their rights across agreements are
tested in ``test_services.py`` and ``test_views.py``.
"""

from tests.authz import Entry

# Every organisation's intel roles: the cross-references, search and agreements pages.
READERS = frozenset({"lead", "org_admin", "partner", "partner_admin", "other_org", "other_admin"})
# Those who read and write the personas' case's intelligence.
CASE_WRITERS = frozenset({"lead", "org_admin"})
ADMINS = frozenset({"org_admin", "partner_admin", "other_admin"})
# Counts of their own organisation: every admin, and the analyst and coordinator.
COUNTERS = frozenset({"org_admin", "partner_admin", "other_admin", "analyst", "coordinator"})


def case_kw(p):
    return {"case_id": p.case.pk}


def add_kw(p):
    return {"case_id": p.case.pk, "what": "identifier"}


def _perpetrator(p):
    from setu.intel.tests.factories import PerpetratorFactory

    return PerpetratorFactory(case=p.case)


def _identifier(p):
    from setu.intel.tests.factories import IdentifierFactory

    return IdentifierFactory(case=p.case)


def perpetrator_kw(p):
    return {"perpetrator_id": _perpetrator(p).pk}


def merge_data(p):
    """Another record of the same case to merge into."""
    return {"into": str(_perpetrator(p).pk)}


def identifier_kw(p):
    return {"identifier_id": _identifier(p).pk}


def _agreement(p):
    """A proposal from the personas' organisation to the unrelated one, waiting for it."""
    from setu.intel.tests.factories import AgreementFactory

    return AgreementFactory(proposer_org=p.own_org, partner_org=p.other_org, accepted_at=None)


def accept_kw(p):
    return {"agreement_id": _agreement(p).pk, "what": "accept"}


def agreement_kw(p):
    return {"agreement_id": _agreement(p).pk}


def identifier_data(p):
    return {"i-kind": "phone", "i-raw": "098200 11223", "i-source": "survivor"}


def search_data(p):
    return {"kind": "phone", "raw": "+91 98200 11223"}


def propose_data(p):
    return {
        "partner_org": str(p.partner_org.pk),
        "starts_on": "2026-01-01",
        "ends_on": "2099-01-01",
    }


ENTRIES = [
    Entry("intel:crossref", READERS),
    Entry("intel:search", READERS),
    Entry("intel:search", READERS, method="post", data=search_data),
    Entry("intel:counts", COUNTERS),
    Entry("intel:agreements", READERS),
    Entry("intel:agreements", ADMINS, method="post", data=propose_data),
    # Only the partner's admin accepts; the proposer's own admin is refused.
    Entry("intel:agreement-act", frozenset({"other_admin"}), accept_kw, method="post"),
    Entry("intel:case", CASE_WRITERS, case_kw),
    Entry("intel:case-add", CASE_WRITERS, add_kw, method="post", data=identifier_data),
    Entry("intel:graph", CASE_WRITERS, case_kw),
    Entry("intel:perpetrator-edit", CASE_WRITERS, perpetrator_kw),
    Entry("intel:perpetrator-remove", CASE_WRITERS, perpetrator_kw, method="post"),
    Entry("intel:perpetrator-merge", CASE_WRITERS, perpetrator_kw),
    Entry("intel:perpetrator-merge", CASE_WRITERS, perpetrator_kw, method="post", data=merge_data),
    Entry("intel:identifier-edit", CASE_WRITERS, identifier_kw),
    Entry("intel:identifier-remove", CASE_WRITERS, identifier_kw, method="post"),
]

ENTRIES += [
    Entry("api:intel-case", CASE_WRITERS, case_kw, is_api=True),
    Entry(
        "api:intel-perpetrator-add",
        CASE_WRITERS,
        case_kw,
        method="post",
        data=lambda p: {"name": "Salim Khan", "role": "recruiter", "source": "fir"},
        is_api=True,
    ),
    Entry(
        "api:intel-identifier-add",
        CASE_WRITERS,
        case_kw,
        method="post",
        data=lambda p: {"kind": "upi", "raw": "agent.rao@okaxis", "source": "bank_records"},
        is_api=True,
    ),
    Entry("api:intel-graph", CASE_WRITERS, case_kw, is_api=True),
    Entry("api:intel-perpetrator", CASE_WRITERS, perpetrator_kw, method="delete", is_api=True),
    Entry(
        "api:intel-perpetrator-merge",
        CASE_WRITERS,
        perpetrator_kw,
        method="post",
        data=merge_data,
        is_api=True,
    ),
    Entry("api:intel-identifier", CASE_WRITERS, identifier_kw, method="delete", is_api=True),
    Entry("api:intel-crossrefs", READERS, is_api=True),
    Entry("api:intel-search", READERS, method="post", data=search_data, is_api=True),
    Entry("api:intel-counts", COUNTERS, is_api=True),
    Entry("api:intel-agreement-list", READERS, is_api=True),
    Entry(
        "api:intel-agreement-accept",
        frozenset({"other_admin"}),
        agreement_kw,
        method="post",
        is_api=True,
    ),
    Entry(
        "api:intel-agreement-withdraw",
        frozenset({"org_admin", "other_admin"}),
        agreement_kw,
        method="post",
        is_api=True,
    ),
]
