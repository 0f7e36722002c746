"""Services of the legal context: validation of numbers and sequences, audit, the policy."""

from __future__ import annotations

import datetime

import pytest

from setu.access import policy
from setu.access.policy import Action
from setu.audit.models import AuditEntry
from setu.core.errors import Forbidden, InvalidInput, NotFound
from setu.legal import selectors, services
from setu.legal.models import Custody, HearingOutcome, Proceeding, Stage, Track, Verdict
from setu.legal.tests.factories import (
    AccusedFactory,
    HearingFactory,
    JudgmentFactory,
    ProceedingFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def _create(actor, case, **fields):
    base = {
        "police_station": "Sonagachi PS",
        "fir_number": "0101/2026",
        "fir_date": D(2026, 2, 1),
        "sections": ["BNS-143"],
    }
    return services.proceeding_create(
        actor=actor, case=case, track=Track.CRIMINAL, **{**base, **fields}
    )


def test_legal_officer_opens_a_criminal_proceeding_and_it_is_audited(personas, legal_officer):
    p = _create(legal_officer, personas.case)
    assert p.stage == Stage.FIR
    assert p.owner_org_id == personas.own_org.pk
    entry = AuditEntry.objects.filter(target_type="legal.proceeding", target_id=str(p.pk)).get()
    assert entry.action == "create" and entry.changes["after"]["fir_number"] == "0101/2026"


@pytest.mark.parametrize(
    "number",
    ["101-2026", "0101/26", "abc/2026", "0101/2025", "1234567/2026"],
)
def test_malformed_fir_numbers_are_refused_naming_the_field(personas, legal_officer, number):
    with pytest.raises(InvalidInput) as exc:
        _create(legal_officer, personas.case, fir_number=number)
    assert "fir_number" in exc.value.errors


@pytest.mark.parametrize(
    "cnr,ok",
    [
        ("MHPU010012342026", True),
        ("mhpu010012342025", True),  # upper-cased
        ("MHPU01001234202", False),  # 15 characters
        ("MH1U010012342025", False),
        ("MHPU010012341890", False),  # impossible year
        ("MHPU0100123420251", False),
    ],
)
def test_cnr_numbers_are_validated(personas, legal_officer, cnr, ok):
    if ok:
        p = _create(legal_officer, personas.case, cnr_number=cnr)
        assert p.cnr_number == cnr.upper()
    else:
        with pytest.raises(InvalidInput) as exc:
            _create(legal_officer, personas.case, cnr_number=cnr)
        assert "cnr_number" in exc.value.errors


def test_unknown_sections_are_refused(personas, legal_officer):
    with pytest.raises(InvalidInput) as exc:
        _create(legal_officer, personas.case, sections=["BNS-143", "IPC-999"])
    assert "IPC-999" in exc.value.errors["sections"][0]


def test_judgment_before_charges_is_refused(personas, legal_officer):
    with pytest.raises(InvalidInput) as exc:
        _create(legal_officer, personas.case, judgment_on=D(2026, 6, 1))
    assert "judgment_on" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        _create(
            legal_officer,
            personas.case,
            chargesheet_on=D(2026, 3, 1),
            charges_framed_on=D(2026, 5, 1),
            judgment_on=D(2026, 4, 1),
        )
    assert "judgment_on" in exc.value.errors


def test_chargesheet_before_fir_is_refused(personas, legal_officer):
    with pytest.raises(InvalidInput) as exc:
        _create(legal_officer, personas.case, chargesheet_on=D(2026, 1, 15))
    assert "chargesheet_on" in exc.value.errors


def test_stage_follows_the_latest_dated_step(personas, legal_officer):
    p = _create(legal_officer, personas.case)
    p = services.proceeding_update(
        actor=legal_officer,
        proceeding=p,
        chargesheet_on=D(2026, 3, 20),
        cognisance_on=D(2026, 4, 2),
    )
    assert p.stage == Stage.COGNISANCE
    assert AuditEntry.objects.filter(target_id=str(p.pk), action="update").get().changes[
        "after"
    ] == {"chargesheet_on": "2026-03-20", "cognisance_on": "2026-04-02", "stage": "cognisance"}


def test_hearing_before_the_fir_is_refused(personas, legal_officer):
    p = _create(legal_officer, personas.case)
    with pytest.raises(InvalidInput) as exc:
        services.hearing_add(actor=legal_officer, proceeding=p, on=D(2026, 1, 5))
    assert "on" in exc.value.errors


def test_an_fir_date_after_a_recorded_hearing_is_refused(personas, legal_officer):
    p = _create(legal_officer, personas.case)
    services.hearing_add(actor=legal_officer, proceeding=p, on=D(2026, 2, 10))
    with pytest.raises(InvalidInput) as exc:
        services.proceeding_update(
            actor=legal_officer, proceeding=p, fir_date=D(2026, 3, 1), fir_number="0101/2026"
        )
    assert "fir_date" in exc.value.errors


def test_adjournment_needs_a_coded_reason_and_next_date_is_scheduled(personas, legal_officer):
    p = _create(legal_officer, personas.case)
    h = services.hearing_add(actor=legal_officer, proceeding=p, on=D(2026, 3, 2))
    with pytest.raises(InvalidInput) as exc:
        services.hearing_record(actor=legal_officer, hearing=h, outcome=HearingOutcome.ADJOURNED)
    assert "adjournment_reason" in exc.value.errors
    nxt = datetime.date.today() + datetime.timedelta(days=20)
    services.hearing_record(
        actor=legal_officer,
        hearing=h,
        outcome=HearingOutcome.ADJOURNED,
        adjournment_reason="witness_absent",
        next_on=nxt,
    )
    p.refresh_from_db()
    assert p.next_hearing_on == nxt
    assert p.hearings.count() == 2


def test_verdict_needs_charges_and_an_invoked_section(personas, legal_officer):
    p = _create(legal_officer, personas.case)
    a = services.accused_add(
        actor=legal_officer,
        proceeding=p,
        name="R.",
        custody=Custody.IN_CUSTODY,
        arrested_on=D(2026, 2, 2),
    )
    with pytest.raises(InvalidInput) as exc:
        services.judgment_record(
            actor=legal_officer,
            accused=a,
            section="BNS-143",
            verdict=Verdict.CONVICTED,
            decided_on=D(2026, 9, 1),
        )
    assert "decided_on" in exc.value.errors
    services.proceeding_update(
        actor=legal_officer,
        proceeding=p,
        chargesheet_on=D(2026, 3, 1),
        charges_framed_on=D(2026, 5, 1),
    )
    with pytest.raises(InvalidInput) as exc:
        services.judgment_record(
            actor=legal_officer,
            accused=a,
            section="ITPA-5",
            verdict=Verdict.CONVICTED,
            decided_on=D(2026, 9, 1),
        )
    assert "section" in exc.value.errors
    services.judgment_record(
        actor=legal_officer,
        accused=a,
        section="BNS-143",
        verdict=Verdict.CONVICTED,
        decided_on=D(2026, 9, 1),
    )
    p.refresh_from_db()
    assert p.stage == Stage.JUDGMENT and p.judgment_on == D(2026, 9, 1)


def test_arrest_before_fir_and_bail_before_arrest_are_refused(personas, legal_officer):
    p = _create(legal_officer, personas.case)
    with pytest.raises(InvalidInput) as exc:
        services.accused_add(actor=legal_officer, proceeding=p, name="X", arrested_on=D(2026, 1, 1))
    assert "arrested_on" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        services.accused_add(
            actor=legal_officer,
            proceeding=p,
            name="X",
            arrested_on=D(2026, 3, 1),
            bail_on=D(2026, 2, 20),
        )
    assert "bail_on" in exc.value.errors


# --- The policy -------------------------------------------------------------------------------

MATRIX = [
    ("legal_officer", Action.VIEW, True),
    ("legal_officer", Action.EDIT, True),
    ("org_admin", Action.EDIT, True),
    ("lead", Action.VIEW, True),
    ("lead", Action.EDIT, False),
    ("police_liaison", Action.VIEW, True),
    ("police_liaison", Action.EDIT, False),
    ("counsellor", Action.VIEW, False),
    ("analyst", Action.VIEW, False),
    ("partner", Action.VIEW, False),  # the share's consent does not cover LEGAL
    ("other_org", Action.VIEW, False),
    ("platform_admin", Action.VIEW, False),
]


@pytest.mark.parametrize("who,action,ok", MATRIX)
def test_proceeding_policy(who, action, ok, personas, legal_officer, police_liaison):
    actors = {**personas.actors, "legal_officer": legal_officer, "police_liaison": police_liaison}
    p = ProceedingFactory(case=personas.case)
    visible = policy.scope(actors[who], Proceeding.objects.all(), action).filter(pk=p.pk).exists()
    assert visible is ok


def test_partner_sees_proceedings_only_through_a_share_whose_consent_covers_legal(personas):
    from setu.consent.models import CaseShare, Consent

    p = ProceedingFactory(case=personas.case)
    partner = personas["partner"]
    assert not policy.scope(partner, Proceeding.objects.all(), Action.VIEW).exists()
    share = CaseShare.objects.get(case=personas.case, organisation=personas.partner_org)
    share.scopes = [*share.scopes, "legal"]
    share.save()
    # The share names LEGAL but the consent behind it does not: still nothing.
    assert not policy.scope(partner, Proceeding.objects.all(), Action.VIEW).exists()
    Consent.objects.filter(pk=share.consent_id).update(scopes=["identity", "case_history", "legal"])
    assert policy.scope(partner, Proceeding.objects.all(), Action.VIEW).get() == p
    assert not policy.can(partner, Action.EDIT, p)
    Consent.objects.filter(pk=share.consent_id).update(withdrawn_on=D(2026, 1, 1))
    assert not policy.scope(partner, Proceeding.objects.all(), Action.VIEW).exists()


def test_a_caseworker_may_not_write_and_the_refusal_is_forbidden(personas):
    p = ProceedingFactory(case=personas.case)
    with pytest.raises(Forbidden):
        services.proceeding_update(actor=personas["lead"], proceeding=p, court="X")
    with pytest.raises(NotFound):
        services.proceeding_update(actor=personas["other_admin"], proceeding=p, court="X")


def test_another_org_cannot_open_a_proceeding_on_a_case_it_cannot_see(personas):
    with pytest.raises(NotFound):
        _create(personas["other_admin"], personas.case)


def test_detail_read_is_audited(personas, legal_officer):
    p = ProceedingFactory(case=personas.case)
    selectors.proceeding_get(actor=personas["lead"], proceeding_id=p.pk)
    assert AuditEntry.objects.filter(target_id=str(p.pk), action="view").count() == 1


# --- Deadlines, stale cases, calendar, reminders ---------------------------------------------


def test_default_bail_period_is_90_days_for_grave_sections_and_flagged(personas):
    today = datetime.date.today()
    p = ProceedingFactory(
        case=personas.case,
        sections=["BNS-143"],
        fir_date=today - datetime.timedelta(days=100),
        fir_number=f"0001/{(today - datetime.timedelta(days=100)).year}",
    )
    AccusedFactory(
        proceeding=p, custody=Custody.IN_CUSTODY, arrested_on=today - datetime.timedelta(days=80)
    )
    [d] = selectors.deadline_list(actor=personas["lead"])
    assert d.code == "default_bail_90" and d.days_left == 10 and d.status == "soon"
    assert "187" in d.source
    p.sections = ["ITPA-5"]
    p.save()
    [d] = selectors.deadline_list(actor=personas["lead"])
    assert d.code == "default_bail_60" and d.status == "overdue"
    p.chargesheet_on = today - datetime.timedelta(days=1)
    p.save()
    assert selectors.deadline_list(actor=personas["lead"]) == []


def test_appeal_window_after_an_acquittal(personas):
    today = datetime.date.today()
    p = ProceedingFactory(
        case=personas.case, judgment_on=today - datetime.timedelta(days=85), stage=Stage.JUDGMENT
    )
    a = AccusedFactory(proceeding=p)
    JudgmentFactory(accused=a, verdict=Verdict.ACQUITTED, decided_on=p.judgment_on)
    [d] = selectors.deadline_list(actor=personas["lead"])
    assert d.code == "appeal_acquittal" and d.days_left == 5


def test_stale_list(personas):
    today = datetime.date.today()
    fresh = ProceedingFactory(
        case=personas.case, next_hearing_on=today + datetime.timedelta(days=5)
    )
    HearingFactory(
        proceeding=fresh,
        on=today - datetime.timedelta(days=10),
        outcome="adjourned",
        adjournment_reason="witness_absent",
    )
    no_date = ProceedingFactory(case=personas.case)
    idle = ProceedingFactory(case=personas.case, next_hearing_on=today + datetime.timedelta(days=5))
    HearingFactory(proceeding=idle, on=today - datetime.timedelta(days=120), outcome="held")
    ProceedingFactory(case=personas.case, stage=Stage.JUDGMENT)  # finished
    found = {s.proceeding.pk: s for s in selectors.stale_list(actor=personas["lead"])}
    assert set(found) == {no_date.pk, idle.pk}
    assert found[no_date.pk].no_next_date and not found[idle.pk].no_next_date


def test_calendar_lists_only_her_hearings_in_the_month(personas, legal_officer):
    mine = ProceedingFactory(case=personas.case, legal_officer=legal_officer.user)
    other = ProceedingFactory(case=personas.case)
    HearingFactory(proceeding=mine, on=D(2026, 3, 2))
    HearingFactory(proceeding=mine, on=D(2026, 3, 2))
    HearingFactory(proceeding=mine, on=D(2026, 4, 1))
    HearingFactory(proceeding=other, on=D(2026, 3, 3))
    days = selectors.calendar_month(actor=legal_officer, year=2026, month=3)
    assert [(d.date, len(d.hearings)) for d in days] == [(D(2026, 3, 2), 2)]
    days = selectors.calendar_month(actor=legal_officer, year=2026, month=3, mine=False)
    assert [d.date for d in days] == [D(2026, 3, 2), D(2026, 3, 3)]


def test_reminders_go_once_and_to_the_survivor_only_with_consent(
    personas, legal_officer, django_capture_on_commit_callbacks, monkeypatch
):
    from setu.notifications import services as notifications
    from setu.notifications.models import Notification

    sent = []
    monkeypatch.setattr(
        notifications, "sms_send", lambda *, number, text: sent.append((number, text))
    )
    today = datetime.date.today()
    with_consent = ProceedingFactory(
        case=personas.case,
        legal_officer=legal_officer.user,
        reminder_consent_on=today,
        reminder_phone="9800000001",
        reminder_language="hi",
    )
    without = ProceedingFactory(
        case=personas.case, legal_officer=legal_officer.user, reminder_phone="9800000002"
    )
    HearingFactory(
        proceeding=with_consent, on=today + datetime.timedelta(days=2), survivor_needed=True
    )
    HearingFactory(proceeding=without, on=today + datetime.timedelta(days=1), survivor_needed=True)
    HearingFactory(proceeding=without, on=today + datetime.timedelta(days=10), survivor_needed=True)
    assert services.hearing_reminders_send() == 2
    assert services.hearing_reminders_send() == 0
    assert [n for n, _t in sent] == ["9800000001"]
    assert Notification.objects.filter(recipient=legal_officer.user).count() == 2
    assert "Mumbai" in sent[0][1]


def test_remind_command_sends_the_sweep(personas, legal_officer):
    from io import StringIO

    from django.core.management import call_command

    today = datetime.date.today()
    p = ProceedingFactory(case=personas.case, legal_officer=legal_officer.user)
    HearingFactory(proceeding=p, on=today + datetime.timedelta(days=1))
    out = StringIO()
    call_command("legal", "remind", stdout=out)
    assert "Reminded of 1 hearing(s)." in out.getvalue()
