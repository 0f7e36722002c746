import datetime
from decimal import Decimal

import pytest

from setu.access import policy
from setu.access.policy import Action
from setu.audit.models import AuditEntry
from setu.core.errors import Forbidden, InvalidInput, NotFound
from setu.entitlements import selectors, services
from setu.entitlements.models import (
    ApplicationStatus,
    ClaimStatus,
    Forum,
    Scheme,
    SchemeApplication,
    StageOutcome,
)
from setu.entitlements.tests.factories import SchemeFactory

TODAY = datetime.date.today()


def test_schemes_are_seeded(db):
    names = set(Scheme.objects.values_list("short_name", flat=True))
    assert {"Ujjawala", "Swadhar Greh", "Ayushman Bharat PM-JAY", "Ration card"} <= names


def test_an_application_keeps_every_status_change_with_its_date(personas):
    lead, scheme = personas["lead"], SchemeFactory()
    applied = TODAY - datetime.timedelta(days=40)
    application = services.application_create(
        actor=lead, case=personas.case, person=personas.person, scheme=scheme, applied_on=applied
    )
    services.application_set_status(
        actor=lead,
        application=application,
        status=ApplicationStatus.DOCUMENTS_MISSING,
        changed_on=applied + datetime.timedelta(days=10),
        note="Address proof",
    )
    services.application_set_status(
        actor=lead,
        application=application,
        status=ApplicationStatus.APPROVED,
        changed_on=applied + datetime.timedelta(days=30),
    )
    changes = list(application.changes.values_list("from_status", "to_status"))
    assert changes == [
        ("", "applied"),
        ("applied", "documents_missing"),
        ("documents_missing", "approved"),
    ]
    [summary] = selectors.application_summary(actor=lead)
    assert summary.median_days_to_approval == 30
    assert summary.by_status["approved"] == 1
    assert AuditEntry.objects.filter(target_id=str(application.pk)).count() == 3


def test_a_status_change_cannot_go_back_in_time(personas):
    application = services.application_create(
        actor=personas["lead"], case=personas.case, person=personas.person, scheme=SchemeFactory()
    )
    with pytest.raises(InvalidInput):
        services.application_set_status(
            actor=personas["lead"],
            application=application,
            status="paid",
            changed_on=TODAY - datetime.timedelta(days=5),
        )


@pytest.mark.parametrize(
    ("who", "can_view", "can_edit"),
    [
        ("lead", True, True),
        ("counsellor", True, True),
        ("org_admin", True, True),
        ("partner", True, False),
        ("analyst", False, False),
        ("coordinator", False, False),
        ("other_org", False, False),
        ("platform_admin", False, False),
    ],
)
def test_applications_are_scoped_like_case_data(who, can_view, can_edit, personas):
    application = services.application_create(
        actor=personas["lead"], case=personas.case, person=personas.person, scheme=SchemeFactory()
    )
    qs = SchemeApplication.objects.filter(pk=application.pk)
    assert policy.scope(personas[who], qs, Action.VIEW).exists() is can_view
    assert policy.scope(personas[who], qs, Action.EDIT).exists() is can_edit


def test_another_org_cannot_add_to_the_case(personas):
    with pytest.raises(NotFound):
        services.application_create(
            actor=personas["other_org"],
            case=personas.case,
            person=personas.person,
            scheme=SchemeFactory(),
        )
    with pytest.raises(Forbidden):
        services.application_create(
            actor=personas["partner"],
            case=personas.case,
            person=personas.person,
            scheme=SchemeFactory(),
        )


def test_a_claim_goes_from_dlsa_to_slsa_to_high_court(personas):
    lead = personas["lead"]
    claim = services.claim_create(
        actor=lead,
        case=personas.case,
        person=personas.person,
        amount_claimed=Decimal("300000"),
        filed_on=TODAY - datetime.timedelta(days=200),
    )
    dlsa = claim.stages.get()
    assert dlsa.forum == Forum.DLSA
    with pytest.raises(InvalidInput):
        services.stage_appeal(actor=lead, stage=dlsa)
    order_on = TODAY - datetime.timedelta(days=100)
    services.stage_update(
        actor=lead,
        stage=dlsa,
        outcome=StageOutcome.AWARDED,
        order_on=order_on,
        amount_awarded=Decimal("50000"),
        appeal_deadline=order_on + datetime.timedelta(days=90),
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.AWARDED
    slsa = services.stage_appeal(actor=lead, stage=dlsa, filed_on=order_on + datetime.timedelta(5))
    claim.refresh_from_db()
    assert slsa.forum == Forum.SLSA and slsa.appeal_of == dlsa
    assert claim.status == ClaimStatus.APPEALED
    with pytest.raises(InvalidInput):
        services.stage_appeal(actor=lead, stage=dlsa)
    services.stage_update(
        actor=lead,
        stage=slsa,
        outcome=StageOutcome.REJECTED,
        order_on=TODAY - datetime.timedelta(days=10),
    )
    high_court = services.stage_appeal(actor=lead, stage=slsa)
    assert high_court.forum == Forum.HIGH_COURT
    services.stage_update(
        actor=lead,
        stage=high_court,
        outcome=StageOutcome.AWARDED,
        order_on=TODAY,
        amount_awarded=Decimal("300000"),
        amount_paid=Decimal("300000"),
        paid_on=TODAY,
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID
    with pytest.raises(InvalidInput):
        services.stage_appeal(actor=lead, stage=high_court)


def test_hearing_dates_are_kept_and_deadlines_listed(personas):
    lead = personas["lead"]
    claim = services.claim_create(actor=lead, case=personas.case, person=personas.person)
    stage = claim.stages.get()
    first = TODAY + datetime.timedelta(days=7)
    services.stage_update(actor=lead, stage=stage, next_hearing_on=first)
    services.stage_update(actor=lead, stage=stage, next_hearing_on=first + datetime.timedelta(30))
    stage.refresh_from_db()
    assert len(stage.hearing_dates) == 2
    services.stage_update(
        actor=lead,
        stage=stage,
        outcome=StageOutcome.REJECTED,
        order_on=TODAY,
        appeal_deadline=TODAY + datetime.timedelta(days=20),
    )
    assert [s.pk for s in selectors.appeal_deadlines(actor=lead)] == [stage.pk]
    assert selectors.appeal_deadlines(actor=personas["other_org"]) == []


def test_only_coordinators_and_platform_admins_edit_the_scheme_list(personas):
    scheme = services.scheme_create(
        actor=personas["coordinator"], name="State widow pension", category="pension"
    )
    services.scheme_update(actor=personas["platform_admin"], scheme=scheme, is_active=False)
    with pytest.raises(Forbidden):
        services.scheme_create(actor=personas["lead"], name="X", category="other")
    with pytest.raises(Forbidden):
        services.scheme_update(actor=personas["org_admin"], scheme=scheme, name="Y")


def test_a_counsellor_records_applications_but_a_partner_cannot(personas):
    application = services.application_create(
        actor=personas["counsellor"],
        case=personas.case,
        person=personas.person,
        scheme=SchemeFactory(),
    )
    assert application.owner_org == personas.own_org
    with pytest.raises(Forbidden):
        services.claim_create(actor=personas["partner"], case=personas.case, person=personas.person)
    from setu.entitlements.models import CompensationClaim

    assert not CompensationClaim.objects.exists()
