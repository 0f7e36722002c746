"""Authorization-matrix entries of the feedback pages.

The survivor's pages under /f/ need no account: everyone reaches them (a guessed token gets
the "link no longer works" page; after ten guesses from one address, 429). The personas'
coordinator reads open feedback about organisations other than its own; nobody else among the
personas reads feedback one by one. Collective leaders, peer supporters and complaints
handlers are not matrix personas; their rights are tested in ``test_access.py``.
"""

from tests.authz import EVERYONE, MEMBERS, Entry

INVITERS = frozenset(
    {
        "lead",
        "org_admin",
        "counsellor",
        "coordinator",
        "partner",
        "partner_admin",
        "other_org",
        "other_admin",
    }
)
ASSISTANTS = frozenset({"lead", "counsellor", "partner", "other_org"})
REPORTERS = frozenset({"org_admin", "analyst", "coordinator", "partner_admin", "other_admin"})
NOTE_WRITERS = frozenset({"org_admin", "coordinator", "partner_admin", "other_admin"})
CODERS = frozenset({"coordinator"})
# Guesses are limited per address: the matrix's many requests may meet the limit.
LIMITED = frozenset({429})


def _feedback(p):
    from setu.feedback.tests.factories import FeedbackFactory, SubjectFactory

    return FeedbackFactory(subject=SubjectFactory(organisation=p.other_org))


def item_kw(p):
    return {"feedback_id": _feedback(p).pk}


def act_kw(p):
    return {"feedback_id": _feedback(p).pk, "what": "acknowledge"}


ENTRIES = [
    Entry("feedback_public:entry", EVERYONE),
    Entry(
        "feedback_public:entry",
        EVERYONE,
        method="post",
        data=lambda p: {"code": "ABCDE-FGHJK"},
        ok_statuses=frozenset({404, 429}),
    ),
    Entry(
        "feedback_public:link",
        EVERYONE,
        lambda p: {"token": "x" * 32},
        ok_statuses=LIMITED,
    ),
    Entry("feedback:desk", MEMBERS),
    Entry("feedback:item", CODERS, item_kw),
    Entry("feedback:item-act", CODERS, act_kw, method="post"),
    Entry("feedback:assisted", ASSISTANTS),
    Entry("feedback:invite", INVITERS),
    Entry("feedback:campaigns", INVITERS),
    Entry("feedback:reports", REPORTERS),
    Entry("feedback:changes", NOTE_WRITERS),
]

ENTRIES += [
    Entry("api:feedback-item-list", MEMBERS, is_api=True),
    Entry("api:feedback-item-detail", CODERS, item_kw, is_api=True),
    Entry(
        "api:feedback-item-code",
        CODERS,
        item_kw,
        method="post",
        data=lambda p: {"themes": ["delay"]},
        is_api=True,
    ),
    Entry(
        "api:feedback-item-respond",
        CODERS,
        item_kw,
        method="post",
        data=lambda p: {"note": "The station now has a woman officer on every shift."},
        is_api=True,
    ),
    Entry("api:feedback-report", REPORTERS, is_api=True),
    Entry("api:feedback-change-list", NOTE_WRITERS, is_api=True),
    Entry(
        "api:feedback-change-list",
        NOTE_WRITERS,
        method="post",
        data=lambda p: {"you_said": "Long waits", "we_did": "A second desk opens on Mondays"},
        is_api=True,
    ),
]

# Keeping the lists: subjects (coordinators and platform admins: network reference data) and
# complaint desks (a coordinator, for her own organisation).
SUBJECT_KEEPERS = frozenset({"coordinator", "platform_admin"})


def subject_kw(p):
    from setu.feedback.tests.factories import SubjectFactory

    return {"subject_id": SubjectFactory().pk}


def desk_kw(p):
    from setu.feedback.tests.factories import ComplaintDeskFactory

    desk = ComplaintDeskFactory(organisation=p.own_org, handler=p.users["lead"])
    return {"desk_id": desk.pk, "what": "stop"}


ENTRIES += [
    Entry("feedback:subject-list", SUBJECT_KEEPERS),
    Entry("feedback:subject-create", SUBJECT_KEEPERS),
    Entry("feedback:subject-edit", SUBJECT_KEEPERS, subject_kw),
    Entry("feedback:complaint-desks", CODERS),
    Entry("feedback:complaint-desk-act", CODERS, desk_kw, method="post"),
]
