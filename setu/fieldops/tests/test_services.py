"""Services of field operations: planning, timers, escalation, claim, duress, drill, checklist,
debrief and rescued persons."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from setu.audit.models import AuditEntry
from setu.core.errors import Forbidden, InvalidInput
from setu.fieldops import selectors, services
from setu.fieldops.models import (
    Alert,
    AlertReason,
    AlertStatus,
    CheckIn,
    ChecklistStep,
    EscalationStep,
    Operation,
    Rescued,
    StepState,
    TeamRole,
)
from setu.fieldops.tests.conftest import PLACE, seat
from setu.notifications.models import Notification
from setu.registry.models import Case, Person, TraffickingEvent

pytestmark = pytest.mark.django_db

MIN = datetime.timedelta(minutes=1)


@pytest.fixture
def sms(monkeypatch):
    """Texts sent by SMS, with their numbers."""
    from setu.notifications import services as notifications

    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(
        notifications, "sms_send", lambda *, number, text: sent.append((number, text))
    )
    return sent


def notices(user):
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def test_the_planner_leads_and_the_checklist_is_copied_from_the_sop(operation, personas):
    lead = seat(operation, personas, "lead")
    assert lead.role == TeamRole.LEAD and lead.phone == "9820011111"
    codes = list(operation.steps.values_list("code", flat=True))
    assert codes[0] == "legal_authority" and "production_cwc" in codes
    # A rescue gets no court-escort step; phases run before, during, after.
    assert "court_reached" not in codes
    phases = list(operation.steps.values_list("phase", flat=True))
    assert phases == sorted(phases, key=["before", "during", "after"].index)
    assert operation.sop_version == services.sop()["version"]


def test_the_place_never_reaches_the_audit_trail(operation):
    text = str(list(AuditEntry.objects.values_list("changes", "details")))
    assert "Kamathipura" not in text and "98200" not in text
    created = AuditEntry.objects.get(target_type="fieldops.operation", action="create")
    assert created.changes["after"]["target_place"].startswith("(personal data")


def test_the_end_must_follow_the_start_and_the_code_name_must_not_name_the_place(personas):
    now = timezone.now()
    with pytest.raises(InvalidInput) as exc:
        services.operation_create(
            actor=personas["lead"],
            kind="rescue",
            code_name="Kamathipura",
            target_place=PLACE,
            planned_start=now,
            expected_end=now - MIN,
        )
    assert set(exc.value.errors) == {"expected_end", "code_name"}
    assert not Operation.objects.exists()


@pytest.mark.parametrize(
    ("start_shift", "length", "field"),
    [
        (-365 * 30, 4, "planned_start"),  # a year like 1996 (or 0316): a typing slip
        (400, 4, "planned_start"),  # more than a year ahead
        (0, 24 * 31, "expected_end"),  # a month-long "operation"
    ],
)
def test_dates_far_outside_an_operation_s_span_are_refused(personas, start_shift, length, field):
    start = timezone.now() + datetime.timedelta(days=start_shift)
    with pytest.raises(InvalidInput) as exc:
        services.operation_create(
            actor=personas["lead"],
            kind="rescue",
            code_name="Dawn",
            target_place=PLACE,
            planned_start=start,
            expected_end=start + datetime.timedelta(hours=length),
        )
    assert set(exc.value.errors) == {field}
    assert not Operation.objects.exists()


def test_only_staff_of_the_lead_and_partner_organisations_join(operation, personas):
    with pytest.raises(InvalidInput) as exc:
        services.member_add(
            actor=personas["lead"],
            operation=operation,
            user_id=personas.users["other_org"].pk,
            role=TeamRole.MEMBER,
        )
    assert "user" in exc.value.errors


def test_buddies_come_in_pairs(operation, personas):
    lead, partner = seat(operation, personas, "lead"), seat(operation, personas, "partner")
    assert lead.buddy_id == partner.pk and partner.buddy_id == lead.pk


def test_start_needs_a_safety_contact(personas):
    now = timezone.now()
    op = services.operation_create(
        actor=personas["lead"],
        kind="home_visit",
        code_name="Peepal",
        target_place="A house",
        planned_start=now,
        expected_end=now + 60 * MIN,
    )
    with pytest.raises(InvalidInput) as exc:
        services.operation_start(actor=personas["lead"], operation=op)
    assert "team" in exc.value.errors


def test_start_freezes_the_escalation_policy_and_starts_every_timer(active, personas, police):
    lead, partner = seat(active, personas, "lead"), seat(active, personas, "partner")
    safety = seat(active, personas, "counsellor")
    frozen = active.escalation_policy["members"][str(lead.pk)]
    assert frozen["buddy"] == [str(partner.pk)]
    assert frozen["safety_contact"] == [str(safety.pk)]
    assert frozen["lead"] == []  # the lead is not paged about herself
    assert lead.next_due_at is not None and partner.next_due_at is not None
    assert safety.next_due_at is None  # the safety contact is at base, on no timer
    # Someone added later is not in the frozen policy.
    services.member_add(
        actor=personas["lead"],
        operation=active,
        user_id=personas.users["org_admin"].pk,
        role=TeamRole.SAFETY_CONTACT,
    )
    active.refresh_from_db()
    assert active.escalation_policy["members"][str(lead.pk)]["safety_contact"] == [str(safety.pk)]


def test_a_retried_checkin_is_recorded_once(active, personas):
    me = seat(active, personas, "lead")
    first = services.checkin_record(actor=personas["lead"], member=me, client_id="tap-1")
    again = services.checkin_record(actor=personas["lead"], member=me, client_id="tap-1")
    assert again.repeated and again.checkin.pk == first.checkin.pk
    assert CheckIn.objects.filter(member=me).count() == 1


def test_nobody_checks_in_for_someone_else(active, personas):
    with pytest.raises(Forbidden):
        services.checkin_record(
            actor=personas["lead"], member=seat(active, personas, "partner"), client_id="x"
        )


def _miss(active, personas, who="lead"):
    """``who`` and her deadline; everyone else's timer is pushed a day on."""
    me = seat(active, personas, who)
    active.team.exclude(pk=me.pk).exclude(next_due_at=None).update(
        next_due_at=me.next_due_at + datetime.timedelta(days=1)
    )
    return me, me.next_due_at


def test_a_missed_checkin_prompts_then_escalates_buddy_lead_safety_police(
    active, personas, police, sms
):
    _me, due = _miss(active, personas, "partner")
    assert services.checkin_sweep(now=due - MIN).steps == 0
    first = services.checkin_sweep(now=due + datetime.timedelta(seconds=1))
    assert (first.missed, first.steps) == (1, 1)
    assert notices(personas.users["partner"]) == ["Check in now."]
    assert notices(personas.users["lead"]) == []
    # After the grace period her buddy, then the team lead one step later.
    services.checkin_sweep(now=due + 5 * MIN)
    alert = Alert.objects.get()
    assert list(alert.steps.values_list("tier", flat=True)) == ["self", "buddy"]
    services.checkin_sweep(now=due + 10 * MIN)
    assert list(alert.steps.values_list("tier", flat=True)) == ["self", "buddy", "lead"]
    # Then the safety contact and the police liaison, each step once.
    services.checkin_sweep(now=due + 20 * MIN)
    services.checkin_sweep(now=due + 20 * MIN)
    assert list(alert.steps.values_list("tier", flat=True)) == [
        "self",
        "buddy",
        "lead",
        "safety_contact",
        "police_liaison",
    ]
    assert notices(personas.users["counsellor"]) == ["A team member needs help. Open Setu."]
    assert notices(police.user) == ["A team member needs help. Open Setu."]
    # Texts say no more than that; never the code name or the place.
    assert {text for _n, text in sms} == {"Check in now.", "A team member needs help. Open Setu."}
    assert ("9820022222", "Check in now.") in sms


def test_the_sweep_selects_only_alerts_with_a_step_due(
    active, personas, django_assert_max_num_queries
):
    _me, due = _miss(active, personas, "partner")
    services.checkin_sweep(now=due + MIN)
    alert = Alert.objects.get()
    # The prompt is taken; the buddy's page falls due after the grace period.
    assert alert.next_step_at == due + 5 * MIN
    # A minute's sweep with the alert open but nothing due: two reads, no alert locked.
    with django_assert_max_num_queries(2):
        assert services.checkin_sweep(now=due + 2 * MIN).steps == 0
    services.checkin_sweep(now=due + 5 * MIN)
    alert.refresh_from_db()
    assert alert.next_step_at == due + 10 * MIN
    # Once every step is taken nothing is due; a claim stops it at once.
    services.checkin_sweep(now=due + 60 * MIN)
    alert.refresh_from_db()
    assert alert.steps.count() == 5 and alert.next_step_at is None
    assert services.checkin_sweep(now=due + 90 * MIN).steps == 0


def test_a_claimed_alert_is_not_due_for_any_step(active, personas):
    _me, due = _miss(active, personas, "partner")
    services.checkin_sweep(now=due + MIN)
    alert, won = services.alert_claim(actor=personas["lead"], alert=Alert.objects.get())
    assert won and alert.next_step_at is None


def test_a_claim_stops_the_paging_and_only_one_claim_wins(active, personas, police):
    _me, due = _miss(active, personas, "partner")
    services.checkin_sweep(now=due + 5 * MIN)
    alert = Alert.objects.get()
    # Both loaded while the alert was open, as two phones would: the database decides.
    stale = Alert.objects.get(pk=alert.pk)
    alert, won = services.alert_claim(actor=personas["lead"], alert=alert)
    assert won and alert.status == AlertStatus.CLAIMED
    _again, second = services.alert_claim(actor=personas["counsellor"], alert=stale)
    assert not second and _again.claimed_by_id == personas.users["lead"].pk
    services.checkin_sweep(now=due + 60 * MIN)
    assert alert.steps.count() == 2  # the prompt and the buddy: nobody further was paged
    assert notices(police.user) == []


def test_a_safe_checkin_answers_the_missed_deadline(active, personas):
    me, due = _miss(active, personas, "partner")
    services.checkin_sweep(now=due + MIN)
    services.checkin_record(actor=personas["partner"], member=me, client_id="late")
    alert = Alert.objects.get()
    assert (alert.status, alert.resolution) == (AlertStatus.RESOLVED, "checked_in")
    me.refresh_from_db()
    assert me.next_due_at > due


def test_distress_pages_every_tier_at_once(active, personas, police):
    me, _due = _miss(active, personas, "partner")
    services.checkin_record(actor=personas["partner"], member=me, client_id="d1", distress=True)
    alert = Alert.objects.get()
    assert alert.reason == AlertReason.DISTRESS
    tiers = dict(alert.steps.values_list("tier", "skipped"))
    assert tiers == {
        "self": True,
        "buddy": False,
        "lead": False,
        "safety_contact": False,
        "police_liaison": False,
    }
    assert notices(police.user) == ["A team member needs help. Open Setu."]


def test_the_duress_pin_answers_like_a_safe_checkin_but_escalates_silently(
    active, personas, police
):
    me = seat(active, personas, "partner")
    services.member_settings(actor=personas["partner"], member=me, pin="2468", duress_pin="1357")
    safe = services.checkin_record(actor=personas["partner"], member=me, client_id="a", pin="2468")
    forced = services.checkin_record(
        actor=personas["partner"], member=me, client_id="b", pin="1357"
    )
    assert type(safe) is type(forced) and not forced.repeated
    assert forced.next_due_at > safe.next_due_at  # the timer restarts the same way
    alert = Alert.objects.get()
    assert alert.reason == AlertReason.DURESS
    assert notices(personas.users["partner"]) == []  # nothing on her own phone
    assert notices(personas.users["counsellor"]) == ["A team member needs help. Open Setu."]
    with pytest.raises(InvalidInput):
        services.checkin_record(actor=personas["partner"], member=me, client_id="c", pin="0000")


def test_a_drill_says_so_and_does_not_page_the_police(personas, police, operation):
    Operation.objects.filter(pk=operation.pk).update(is_drill=True)
    operation.refresh_from_db()
    services.operation_start(actor=personas["lead"], operation=operation)
    me = seat(operation, personas, "partner")
    services.checkin_record(actor=personas["partner"], member=me, client_id="d", distress=True)
    step = EscalationStep.objects.get(tier="police_liaison")
    assert step.skipped and step.recipients == 0
    assert notices(police.user) == []
    assert notices(personas.users["counsellor"]) == ["Drill: A team member needs help. Open Setu."]


def test_the_false_alarm_rate_counts_resolved_alerts_of_the_organisation(active, personas):
    me = seat(active, personas, "partner")
    services.checkin_record(actor=personas["partner"], member=me, client_id="1", distress=True)
    services.alert_resolve(
        actor=personas["lead"], alert=Alert.objects.get(), resolution="false_alarm"
    )
    services.checkin_record(actor=personas["partner"], member=me, client_id="2", distress=True)
    services.alert_resolve(
        actor=personas["lead"], alert=Alert.objects.get(status="open"), resolution="emergency"
    )
    rate = selectors.false_alarm_rate(actor=personas["org_admin"])
    assert (rate.false_alarms, rate.resolved, rate.percent) == (1, 2, 50)


def test_an_operation_with_an_open_alert_cannot_close(active, personas):
    me = seat(active, personas, "partner")
    services.checkin_record(actor=personas["partner"], member=me, client_id="1", distress=True)
    with pytest.raises(InvalidInput):
        services.operation_close(actor=personas["lead"], operation=active)
    services.alert_resolve(actor=personas["lead"], alert=Alert.objects.get(), resolution="safe")
    closed = services.operation_close(actor=personas["lead"], operation=active)
    assert closed.status == "closed"
    assert not active.team.exclude(next_due_at=None).exists()


def test_a_skipped_step_needs_a_reason_and_a_done_step_records_who_and_when(active, personas):
    step = active.steps.get(code="witnesses")
    with pytest.raises(InvalidInput) as exc:
        services.step_tick(actor=personas["partner"], step=step, skip=True)
    assert "skip_reason" in exc.value.errors
    services.step_tick(
        actor=personas["partner"], step=step, skip=True, skip_reason="No one would come forward"
    )
    done = services.step_tick(actor=personas["lead"], step=active.steps.get(code="fir"))
    assert done.state == StepState.DONE and done.done_by == personas.users["lead"]
    assert ChecklistStep.objects.get(pk=step.pk).state == StepState.SKIPPED


def test_an_organisation_adapts_its_sop_copy(personas):
    services.sop_adapt(
        actor=personas["org_admin"],
        omitted=["witnesses"],
        added=[{"phase": "after", "title": "Call the district legal services authority"}],
    )
    steps = services.sop_steps_for(personas.own_org.pk, "rescue")
    codes = [s["code"] for s in steps]
    assert "witnesses" not in codes and steps[-1]["title"].startswith("Call the district")
    with pytest.raises(InvalidInput):
        services.sop_adapt(actor=personas["org_admin"], omitted=["nonsense"], added=[])


def test_the_lesson_may_not_name_the_place_or_the_team(active, personas):
    closed = services.operation_close(actor=personas["lead"], operation=active)
    with pytest.raises(InvalidInput) as exc:
        services.debrief_record(
            actor=personas["lead"],
            operation=closed,
            went_well="ok",
            went_wrong="late",
            lesson="Approach Kamathipura from the back lane",
        )
    assert "lesson" in exc.value.errors
    services.debrief_record(
        actor=personas["lead"],
        operation=closed,
        went_well="Quiet approach",
        went_wrong="The van was late",
        lesson="Keep a second vehicle on standby.",
    )
    lessons = selectors.lesson_list(actor=personas["other_org"])
    assert [lesson.text for lesson in lessons] == ["Keep a second vehicle on standby."]


def test_a_rescued_person_becomes_a_person_and_a_case_in_one_step(active, personas):
    rescued = services.rescued_record(
        actor=personas["lead"], operation=active, given_name="Sunita", gender="Feminine"
    )
    assert rescued.case.owner_org == personas.own_org
    assert rescued.case.participants.filter(person_id=rescued.person_id, role="victim").exists()
    event = TraffickingEvent.objects.get(case=rescued.case)
    assert event.kind == "IN:Rescue" and event.place == ""  # the place stays with the team


def test_the_check_before_create_names_a_likely_record_and_writes_nothing(
    active, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the match index is kept on commit
        services.rescued_record(
            actor=personas["lead"], operation=active, given_name="Sunita", family_name="Devi",
            gender="Feminine", estimated_age=16,
        )  # fmt: skip
    persons, cases = Person.objects.count(), Case.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.rescued_record(
            actor=personas["lead"], operation=active, given_name="Sunita", family_name="Devi",
            gender="Feminine", estimated_age=16,
        )  # fmt: skip
    assert "create_reason" in exc.value.errors
    assert (Person.objects.count(), Case.objects.count()) == (persons, cases)
    assert Rescued.objects.count() == 1


def test_the_case_timeline_shows_the_operation_to_the_lead_organisation_only(active, personas):
    from setu.fieldops.selectors import case_timeline_items

    rescued = services.rescued_record(
        actor=personas["lead"], operation=active, given_name="Asha", gender="Feminine"
    )
    mine = case_timeline_items(personas["lead"], rescued.case, None, True)
    assert [i.title for i in mine] == ["Field operation: Rescue"]
    assert case_timeline_items(personas["partner"], rescued.case, None, True) == []


# --- A bed held from the plan -------------------------------------------------------------------


@pytest.fixture
def beds(operation):
    """Two girls' beds at a shelter named on the plan as the receiving shelter."""
    from setu.shelters.tests.factories import BedGroupFactory

    group = BedGroupFactory(total=2)
    Operation.objects.filter(pk=operation.pk).update(receiving_shelter=group.shelter)
    operation.refresh_from_db()
    return group


def test_the_plan_holds_a_bed_in_one_step_and_closing_without_admission_gives_it_back(
    active, personas, beds
):
    from setu.shelters.models import BedHold

    services.operation_hold_bed(actor=personas["lead"], operation=active, bed_group_id=beds.pk)
    active.refresh_from_db()
    hold = BedHold.objects.get(pk=active.bed_hold_id)
    assert hold.referral_id is None and hold.status == "active"
    assert hold.held_for == "Rescue (field operation)"  # no code name, no place
    assert hold.expires_at > active.expected_end
    beds.refresh_from_db()
    assert beds.held == 1
    with pytest.raises(InvalidInput):  # one bed hold per operation
        services.operation_hold_bed(actor=personas["lead"], operation=active, bed_group_id=beds.pk)
    services.operation_close(actor=personas["lead"], operation=active)
    hold.refresh_from_db()
    beds.refresh_from_db()
    assert (hold.status, hold.release_reason, beds.held) == ("released", "by_holder", 0)


def test_a_bed_the_shelter_admitted_to_stays_taken_when_the_operation_closes(
    active, personas, beds
):
    from setu.orgs.models import Role
    from setu.orgs.tests.factories import MembershipFactory
    from setu.shelters import services as shelters
    from setu.shelters.models import BedHold

    services.operation_hold_bed(actor=personas["lead"], operation=active, bed_group_id=beds.pk)
    active.refresh_from_db()
    manager = MembershipFactory(organisation=beds.shelter, role=Role.SHELTER_MANAGER).user
    from setu.access.actor import actor_for_user

    hold = BedHold.objects.get(pk=active.bed_hold_id)
    shelters.bed_hold_admit(actor=actor_for_user(manager), hold=hold)
    services.operation_close(actor=personas["lead"], operation=active)
    hold.refresh_from_db()
    beds.refresh_from_db()
    assert (hold.status, beds.held, beds.occupied) == ("admitted", 0, 1)


def test_a_bed_is_held_only_at_the_receiving_shelter_and_by_the_lead_organisation(
    operation, personas, beds
):
    from setu.shelters.tests.factories import BedGroupFactory

    elsewhere = BedGroupFactory()
    with pytest.raises(InvalidInput):
        services.operation_hold_bed(
            actor=personas["lead"], operation=operation, bed_group_id=elsewhere.pk
        )
    with pytest.raises((Forbidden, InvalidInput)):  # the partner is on the team, not its lead
        services.operation_hold_bed(
            actor=personas["partner"], operation=operation, bed_group_id=beds.pk
        )
    beds.refresh_from_db()
    assert beds.held == 0


def test_cancelling_a_plan_gives_its_bed_back(operation, personas, beds):
    services.operation_hold_bed(actor=personas["lead"], operation=operation, bed_group_id=beds.pk)
    services.operation_close(actor=personas["lead"], operation=operation, cancel=True)
    beds.refresh_from_db()
    assert beds.held == 0
