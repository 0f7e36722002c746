"""Authorization-matrix entries for matching: reviewers are org admins and caseworkers of an
organisation on either side of a pair; nobody else sees pairs or alerts."""

from setu.matching.models import PairStatus
from setu.matching.tests.factories import persona_alert, persona_pair
from tests.authz import Entry

REVIEWERS = frozenset({"lead", "org_admin", "partner", "partner_admin", "other_org", "other_admin"})
BOTH_SIDES = frozenset({"lead", "org_admin", "partner", "partner_admin"})
OWN = frozenset({"lead", "org_admin"})
# Calibration is for those who tune matching, not for every caseworker (issue 22.11).
TUNERS = frozenset({"org_admin", "partner_admin", "other_admin", "coordinator"})


def _pair(p):
    return {"pair_id": persona_pair(p).pk}


def _linked(p):
    return {"pair_id": persona_pair(p, status=PairStatus.LINKED).pk}


def _alert(p):
    return {"alert_id": persona_alert(p).pk}


ENTRIES = [
    Entry("matching:pair-list", REVIEWERS),
    Entry("matching:pair-detail", BOTH_SIDES, kwargs=_pair),
    Entry("matching:pair-confirm", BOTH_SIDES, kwargs=_pair, method="post"),
    Entry(
        "matching:pair-dismiss",
        BOTH_SIDES,
        kwargs=_pair,
        method="post",
        data=lambda p: {"reason": "Different mother and village"},
    ),
    Entry(
        "matching:pair-unlink",
        BOTH_SIDES,
        kwargs=_linked,
        method="post",
        data=lambda p: {"reason": "False match"},
    ),
    Entry("matching:pair-history", BOTH_SIDES, kwargs=_linked),
    Entry("matching:alert-list", REVIEWERS),
    Entry("matching:alert-detail", OWN, kwargs=_alert),
    Entry("matching:alert-acknowledge", OWN, kwargs=_alert, method="post"),
    Entry("matching:calibration", TUNERS),
    Entry("matching:check", REVIEWERS, method="post", data=lambda p: {"given_name": "Rupa"}),
    Entry("matching:person-status", OWN, kwargs=lambda p: {"person_id": p.person.pk}),
    Entry("matching:case-pairs", OWN, kwargs=lambda p: {"case_id": p.case.pk}),
]

ENTRIES += [
    Entry("api:match-notice-list", REVIEWERS, is_api=True),
    Entry("api:match-review-list", REVIEWERS, is_api=True),
    Entry("api:match-missing-list", REVIEWERS, is_api=True),
    Entry("api:match-alert-list", REVIEWERS, is_api=True),
    Entry("api:match-link-list", REVIEWERS, is_api=True),
    Entry("api:match-notice-detail", BOTH_SIDES, kwargs=_pair, is_api=True),
    Entry("api:match-notice-confirm", BOTH_SIDES, kwargs=_pair, method="post", is_api=True),
    Entry(
        "api:match-notice-dismiss",
        BOTH_SIDES,
        kwargs=_pair,
        method="post",
        data=lambda p: {"reason": "Different mother"},
        is_api=True,
    ),
    Entry(
        "api:match-notice-unlink",
        BOTH_SIDES,
        kwargs=_linked,
        method="post",
        data=lambda p: {"reason": "False match"},
        is_api=True,
    ),
    Entry("api:match-alert-acknowledge", OWN, kwargs=_alert, method="post", is_api=True),
]
