"""Authorization-matrix entries of the legal pages and API.

The personas' partner has a share whose consent does not cover LEGAL, so it sees the case but
none of its proceedings. Legal officers and police liaisons are not matrix personas; their
rights are tested in ``test_services.py`` and ``test_views.py``.
"""

from tests.authz import Entry

# Roles that read proceedings at all: caseworkers and admins of every organisation.
READERS = frozenset({"lead", "org_admin", "partner", "partner_admin", "other_org", "other_admin"})
# Those who see the personas' case and may read legal pages about it.
CASE_READERS = frozenset({"lead", "org_admin", "partner", "partner_admin"})
# Those who see the case's proceedings.
PROCEEDING_READERS = frozenset({"lead", "org_admin"})
WRITERS = frozenset({"org_admin"})


def _proceeding(p):
    from setu.legal.tests.factories import ProceedingFactory

    return ProceedingFactory(case=p.case)


def proceeding_kw(p):
    return {"proceeding_id": _proceeding(p).pk}


def add_kw(p):
    return {"proceeding_id": _proceeding(p).pk, "what": "measure"}


def bundle_kw(p):
    return {"proceeding_id": _proceeding(p).pk, "fmt": "json"}


def password(p):
    return {"password": "a strong export password", "password_again": "a strong export password"}


def hearing_kw(p):
    from setu.legal.tests.factories import HearingFactory

    return {"hearing_id": HearingFactory(proceeding=_proceeding(p)).pk}


def accused_kw(p):
    from setu.legal.tests.factories import AccusedFactory

    return {"accused_id": AccusedFactory(proceeding=_proceeding(p)).pk}


def measure_kw(p):
    from setu.legal.tests.factories import MeasureFactory

    return {"measure_id": MeasureFactory(proceeding=_proceeding(p)).pk}


def witness_kw(p):
    """A hearing whose witness plan exists, so a permitted read finds it."""
    from setu.legal.tests.factories import HearingFactory, WitnessPlanFactory

    hearing = HearingFactory(proceeding=_proceeding(p))
    WitnessPlanFactory(hearing=hearing)
    return {"hearing_id": hearing.pk}


def consented_kw(p):
    """A proceeding whose survivor agreed to SMS, so a permitted send succeeds."""
    import datetime

    from setu.legal.tests.factories import ProceedingFactory

    proceeding = ProceedingFactory(
        case=p.case,
        reminder_consent_on=datetime.date(2026, 1, 12),
        reminder_phone="+919800000034",
        reminder_language="bn",
    )
    return {"proceeding_id": proceeding.pk}


def _judged(p):
    import datetime

    from setu.legal.tests.factories import ProceedingFactory

    return ProceedingFactory(
        case=p.case,
        charges_framed_on=datetime.date(2026, 2, 1),
        judgment_on=datetime.date(2026, 5, 1),
    )


def judged_kw(p):
    """A proceeding with a judgment, so a permitted appeal is recorded."""
    return {"proceeding_id": _judged(p).pk}


def appeal_kw(p):
    """An appeal of a judged proceeding, so a permitted correction is saved."""
    from setu.legal.tests.factories import AppealFactory

    return {"appeal_id": AppealFactory(proceeding=_judged(p)).pk}


APPEAL = {
    "appellant": "state",
    "court_level": "high_court",
    "court": "High Court of Bombay",
    "filed_on": "2026-06-01",
    "status": "pending",
}


# Who may send the survivor her case's status: the owning organisation's case team.
MESSENGERS = frozenset({"lead", "org_admin"})

# Outcome statistics: legal readers and the statistics roles (counts only, suppressed).
COUNTERS = READERS | {"analyst", "coordinator"}

ENTRIES = [
    Entry("legal:desk", READERS),
    Entry("legal:outcomes", COUNTERS),
    Entry("legal:outcomes-csv", COUNTERS),
    Entry("legal:calendar", READERS),
    Entry("legal:case", CASE_READERS, lambda p: {"case_id": p.case.pk}),
    Entry("legal:proceeding-detail", PROCEEDING_READERS, proceeding_kw),
    Entry("legal:proceeding-edit", WRITERS, proceeding_kw),
    Entry("legal:plain-status-send", MESSENGERS, consented_kw),
    Entry("legal:plain-status-send", MESSENGERS, consented_kw, method="post", data=lambda p: {}),
    Entry(
        "legal:proceeding-add",
        WRITERS,
        add_kw,
        method="post",
        data=lambda p: {"m-kind": "in_camera", "m-on": "2026-02-01"},
    ),
    Entry("legal:proceeding-add", WRITERS, add_kw),
    Entry("legal:hearing-outcome", WRITERS, hearing_kw),
    # Corrections and deletions: the pages (GET), then the saves and confirmed deletions (POST).
    Entry("legal:hearing-edit", WRITERS, hearing_kw),
    Entry(
        "legal:hearing-edit",
        WRITERS,
        hearing_kw,
        method="post",
        data=lambda p: {"on": "2026-02-02", "outcome": "scheduled"},
    ),
    Entry("legal:hearing-delete", WRITERS, hearing_kw),
    Entry("legal:hearing-delete", WRITERS, hearing_kw, method="post"),
    Entry("legal:accused-edit", WRITERS, accused_kw),
    Entry(
        "legal:accused-edit",
        WRITERS,
        accused_kw,
        method="post",
        data=lambda p: {"name": "Accused 2", "custody": "at_large"},
    ),
    Entry("legal:accused-delete", WRITERS, accused_kw),
    Entry("legal:accused-delete", WRITERS, accused_kw, method="post"),
    # Appeals (recorded through proceeding-add, above): corrected and deleted on their pages.
    Entry("legal:appeal-edit", WRITERS, appeal_kw),
    Entry("legal:appeal-edit", WRITERS, appeal_kw, method="post", data=lambda p: APPEAL),
    Entry("legal:appeal-delete", WRITERS, appeal_kw),
    Entry("legal:appeal-delete", WRITERS, appeal_kw, method="post"),
    Entry("legal:measure-edit", WRITERS, measure_kw),
    Entry(
        "legal:measure-edit",
        WRITERS,
        measure_kw,
        method="post",
        data=lambda p: {"kind": "video", "on": "2026-02-02"},
    ),
    Entry("legal:measure-delete", WRITERS, measure_kw),
    Entry("legal:measure-delete", WRITERS, measure_kw, method="post"),
    # A witness plan: its readers see it (GET), the proceeding's writers change it (POST).
    Entry("legal:witness-plan", PROCEEDING_READERS, witness_kw),
    Entry(
        "legal:witness-plan",
        WRITERS,
        witness_kw,
        method="post",
        data=lambda p: {"status": "not_started", "allowance_rupees": "1500"},
    ),
    Entry("legal:bundle-print", PROCEEDING_READERS, proceeding_kw),
    # The files: a password page (GET), then the encrypted ZIP (POST).
    Entry("legal:bundle-export", PROCEEDING_READERS, bundle_kw),
    Entry("legal:bundle-export", PROCEEDING_READERS, bundle_kw, method="post", data=password),
]

ENTRIES += [
    Entry("api:legal-proceeding-list", READERS, is_api=True),
    Entry("api:legal-proceeding-detail", PROCEEDING_READERS, proceeding_kw, is_api=True),
    Entry(
        "api:legal-accused-add",
        WRITERS,
        proceeding_kw,
        method="post",
        data=lambda p: {"name": "A"},
        is_api=True,
    ),
    Entry(
        "api:legal-judgment-add",
        WRITERS,
        accused_kw,
        method="post",
        data=lambda p: {"section": "BNS-143", "verdict": "convicted", "decided_on": "2026-05-01"},
        # The factory's proceeding has no charges framed: the writer reaches it and is told so.
        ok_statuses=frozenset({400}),
        is_api=True,
    ),
    Entry(
        "api:legal-measure-add",
        WRITERS,
        proceeding_kw,
        method="post",
        data=lambda p: {"kind": "video", "on": "2026-02-01"},
        is_api=True,
    ),
    Entry(
        "api:legal-hearing-add",
        WRITERS,
        proceeding_kw,
        method="post",
        data=lambda p: {"on": "2026-02-01"},
        is_api=True,
    ),
    Entry(
        "api:legal-hearing-outcome",
        WRITERS,
        hearing_kw,
        method="post",
        data=lambda p: {"outcome": "held"},
        is_api=True,
    ),
    # Corrections (PATCH) and deletions (DELETE) of a proceeding's parts.
    Entry(
        "api:legal-accused-detail",
        WRITERS,
        accused_kw,
        method="patch",
        data=lambda p: {"custody": "absconding"},
        is_api=True,
    ),
    Entry("api:legal-accused-detail", WRITERS, accused_kw, method="delete", is_api=True),
    Entry(
        "api:legal-appeal-add",
        WRITERS,
        judged_kw,
        method="post",
        data=lambda p: APPEAL,
        is_api=True,
    ),
    Entry(
        "api:legal-appeal-detail",
        WRITERS,
        appeal_kw,
        method="patch",
        data=lambda p: {"cnr_number": "MHHC010012342026"},
        is_api=True,
    ),
    Entry("api:legal-appeal-detail", WRITERS, appeal_kw, method="delete", is_api=True),
    Entry("api:legal-witness-plan", PROCEEDING_READERS, witness_kw, is_api=True),
    Entry(
        "api:legal-witness-plan",
        WRITERS,
        witness_kw,
        method="put",
        data=lambda p: {"video_requested": True},
        is_api=True,
    ),
    Entry(
        "api:legal-measure-detail",
        WRITERS,
        measure_kw,
        method="patch",
        data=lambda p: {"detail": "Video link from Patna"},
        is_api=True,
    ),
    Entry("api:legal-measure-detail", WRITERS, measure_kw, method="delete", is_api=True),
    Entry(
        "api:legal-hearing-detail",
        WRITERS,
        hearing_kw,
        method="patch",
        data=lambda p: {"purpose": "Evidence"},
        is_api=True,
    ),
    Entry("api:legal-hearing-detail", WRITERS, hearing_kw, method="delete", is_api=True),
    Entry("api:legal-plain-status", PROCEEDING_READERS, consented_kw, is_api=True),
    Entry("api:legal-plain-status", MESSENGERS, consented_kw, method="post", is_api=True),
    Entry("api:legal-calendar", READERS, is_api=True),
    Entry("api:legal-deadlines", READERS, is_api=True),
    Entry("api:legal-outcomes", COUNTERS, is_api=True),
    Entry("api:legal-bundle", PROCEEDING_READERS, proceeding_kw, is_api=True),
]
