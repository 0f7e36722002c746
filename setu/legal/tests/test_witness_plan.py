"""Inter-state witness plans: travel, escort, allowance and video link for one hearing, and the
flag on a hearing within a week whose plan is not ready."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from setu.audit.models import AuditEntry
from setu.core.errors import Forbidden, InvalidInput, NotFound
from setu.legal import selectors, services
from setu.legal.models import WitnessPlan, WitnessPlanStatus
from setu.legal.tests.factories import HearingFactory, ProceedingFactory, WitnessPlanFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def _hearing(personas, legal_officer, days_ahead: int = 5):
    proceeding = ProceedingFactory(case=personas.case, legal_officer=legal_officer.user)
    return HearingFactory(proceeding=proceeding, on=TODAY + datetime.timedelta(days=days_ahead))


READY_BY_TRAIN = {
    "status": WitnessPlanStatus.READY,
    "travel_from": "Murshidabad",
    "travel_to": "Mumbai",
    "travel_mode": "train",
    "escort_name": "SI Rekha Das",
    "escort_org": "Jiaganj PS",
}


def test_a_plan_is_made_then_changed_and_both_writes_are_audited_without_her_place(
    personas, legal_officer
):
    hearing = _hearing(personas, legal_officer)
    plan = services.witness_plan_save(
        actor=legal_officer, hearing=hearing, travel_from="Murshidabad", allowance_rupees=2500
    )
    assert plan.status == WitnessPlanStatus.NOT_STARTED and plan.proceeding == hearing.proceeding
    again = services.witness_plan_save(
        actor=legal_officer,
        hearing=hearing,
        **READY_BY_TRAIN,
        travel_on=hearing.on - datetime.timedelta(days=2),
        allowance_paid=True,
    )
    assert again.pk == plan.pk and WitnessPlan.objects.count() == 1
    entries = AuditEntry.objects.filter(target_type="legal.witnessplan").order_by("at")
    assert [e.action for e in entries] == ["create", "update"]
    trail = str(list(entries.values_list("changes", flat=True)))
    # Where she comes from and who escorts her stay out of the trail; the status is in it.
    assert "Murshidabad" not in trail and "Rekha" not in trail and "ready" in trail


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"travel_on": "after"}, "travel_on"),
        ({"video_granted": True}, "video_granted"),
        ({"allowance_paid": True}, "allowance_rupees"),
        ({"status": WitnessPlanStatus.READY, "travel_from": "Murshidabad"}, "escort_name"),
    ],
)
def test_a_plan_that_cannot_work_is_refused_naming_the_field(
    personas, legal_officer, fields, field
):
    hearing = _hearing(personas, legal_officer)
    if fields.get("travel_on") == "after":
        fields = {"travel_on": hearing.on + datetime.timedelta(days=1)}
    with pytest.raises(InvalidInput) as exc:
        services.witness_plan_save(actor=legal_officer, hearing=hearing, **fields)
    assert field in exc.value.errors
    assert not WitnessPlan.objects.exists()


def test_a_granted_video_link_makes_a_plan_ready_without_travel(personas, legal_officer):
    hearing = _hearing(personas, legal_officer)
    plan = services.witness_plan_save(
        actor=legal_officer,
        hearing=hearing,
        status=WitnessPlanStatus.READY,
        video_requested=True,
        video_granted=True,
    )
    assert plan.status == WitnessPlanStatus.READY


def test_readers_see_the_plan_but_only_writers_change_it(personas, legal_officer, police_liaison):
    hearing = _hearing(personas, legal_officer)
    WitnessPlanFactory(hearing=hearing)
    _hearing_read, plan = selectors.witness_plan_get(actor=police_liaison, hearing_id=hearing.pk)
    assert plan is not None
    assert AuditEntry.objects.filter(target_type="legal.witnessplan", action="view").exists()
    with pytest.raises(Forbidden):
        services.witness_plan_save(actor=police_liaison, hearing=hearing, allowance_rupees=10)
    with pytest.raises(NotFound):
        selectors.witness_plan_get(actor=personas["other_org"], hearing_id=hearing.pk)


@pytest.mark.parametrize(
    ("days_ahead", "status", "outcome", "flagged"),
    [
        (5, "not_started", "scheduled", True),
        (7, "not_started", "scheduled", True),
        (8, "not_started", "scheduled", False),
        (5, "ready", "scheduled", False),
        (5, None, "scheduled", False),
        (-1, "not_started", "scheduled", False),
        (0, "not_started", "adjourned", False),
    ],
)
def test_the_flag_is_for_a_scheduled_hearing_within_a_week_whose_plan_is_not_ready(
    days_ahead, status, outcome, flagged
):
    on = TODAY + datetime.timedelta(days=days_ahead)
    assert selectors.witness_unready(status, on=on, outcome=outcome, today=TODAY) is flagged


def test_the_calendar_and_the_hearing_list_flag_an_unready_plan(personas, legal_officer):
    soon = _hearing(personas, legal_officer, days_ahead=3)
    WitnessPlanFactory(hearing=soon)
    ready = HearingFactory(proceeding=soon.proceeding, on=soon.on)
    WitnessPlanFactory(hearing=ready, status=WitnessPlanStatus.READY)
    client = _client(legal_officer.user)
    month = client.get(reverse("legal:calendar") + f"?month={soon.on:%Y-%m}&all=1")
    assert month.content.decode().count("witness plan not ready") == 1
    api = APIClient()
    api.force_login(legal_officer.user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    rows = api.get(reverse("api:legal-calendar") + f"?month={soon.on:%Y-%m}&all=1").json()
    assert sorted(r["witness_unready"] for r in rows) == [False, True]
    page = client.get(reverse("legal:proceeding-detail", args=[soon.proceeding_id]))
    html = page.content.decode()
    assert html.count("plan not ready") == 1
    assert html.count(reverse("legal:witness-plan", args=[soon.pk])) == 1


def test_legal_officer_makes_the_plan_on_its_page_with_money_in_lakhs(personas, legal_officer):
    hearing = _hearing(personas, legal_officer)
    client = _client(legal_officer.user)
    url = reverse("legal:witness-plan", args=[hearing.pk])
    assert b"Make a plan" in client.get(url).content
    response = client.post(
        url,
        {
            **READY_BY_TRAIN,
            "travel_on": (hearing.on - datetime.timedelta(days=1)).isoformat(),
            "allowance_rupees": "125000",
            "video_requested": "on",
        },
    )
    assert response.status_code == 302
    plan = WitnessPlan.objects.get()
    assert plan.status == WitnessPlanStatus.READY and plan.allowance_rupees == 125000
    shown = client.get(url).content.decode()
    assert "₹1,25,000" in shown and "requested, not granted yet" in shown
    refused = client.post(url, {"status": "not_started", "video_granted": "on"})
    assert refused.status_code == 200 and refused.context["form"].errors["video_granted"]


def test_a_caseworker_reads_the_plan_page_without_a_form(personas, legal_officer):
    hearing = _hearing(personas, legal_officer)
    WitnessPlanFactory(hearing=hearing, escort_org="Jiaganj PS")
    client = _client(personas.users["lead"])
    url = reverse("legal:witness-plan", args=[hearing.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Jiaganj PS" in page.content
    assert b'<form method="post" class="panel stacked"' not in page.content
    assert client.post(url, {"status": "ready"}).status_code == 403


def test_the_api_puts_and_gets_a_plan(personas, legal_officer):
    hearing = _hearing(personas, legal_officer)
    api = APIClient()
    api.force_login(legal_officer.user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    url = reverse("api:legal-witness-plan", args=[hearing.pk])
    assert api.get(url).status_code == 404
    put = api.put(url, {"video_requested": True, "allowance_rupees": 3000}, format="json")
    assert put.status_code == 200, put.content
    bad = api.put(url, {"allowance_paid": True, "allowance_rupees": 0}, format="json")
    assert bad.status_code == 400 and "allowance_rupees" in bad.content.decode()
    got = api.get(url).json()
    assert got["allowance_rupees"] == 3000 and got["video_requested"] is True
    assert got["status"] == "not_started"


# --- Carried to the next date -----------------------------------------------------------------


def _past_hearing_with_plan(personas, legal_officer, **plan):
    proceeding = ProceedingFactory(case=personas.case, legal_officer=legal_officer.user)
    hearing = HearingFactory(proceeding=proceeding, on=TODAY - datetime.timedelta(days=1))
    fields = {
        **READY_BY_TRAIN,
        "travel_on": TODAY - datetime.timedelta(days=3),
        "allowance_rupees": 2500,
        "allowance_paid": True,
        **plan,
    }
    return hearing, WitnessPlanFactory(hearing=hearing, **fields)


def test_an_adjournment_carries_the_plan_to_the_next_date_to_be_confirmed_again(
    personas, legal_officer
):
    hearing, plan = _past_hearing_with_plan(personas, legal_officer)
    next_on = TODAY + datetime.timedelta(days=20)
    services.hearing_record(
        actor=legal_officer,
        hearing=hearing,
        outcome="adjourned",
        adjournment_reason="witness_absent",
        next_on=next_on,
    )
    carried = WitnessPlan.objects.get(hearing__on=next_on)
    assert carried.carried_from == plan and carried.proceeding == hearing.proceeding
    # The journey and escort are kept; the booking for the old date is not.
    assert (carried.travel_from, carried.escort_name, carried.allowance_rupees) == (
        "Murshidabad",
        "SI Rekha Das",
        2500,
    )
    assert carried.status == WitnessPlanStatus.NOT_STARTED
    assert carried.travel_on is None and carried.allowance_paid is False
    plan.refresh_from_db()
    assert plan.status == WitnessPlanStatus.READY  # the old hearing keeps its own
    entry = AuditEntry.objects.get(target_type="legal.witnessplan", target_id=str(carried.pk))
    assert entry.details["carried_from"] == str(plan.pk)
    assert "Murshidabad" not in str(entry.changes)


def test_a_ready_plan_of_a_hearing_that_was_held_stays_behind(personas, legal_officer):
    hearing, _plan = _past_hearing_with_plan(personas, legal_officer)
    services.hearing_record(
        actor=legal_officer,
        hearing=hearing,
        outcome="evidence",
        next_on=TODAY + datetime.timedelta(days=20),
    )
    assert WitnessPlan.objects.count() == 1


def test_an_open_plan_moves_on_even_when_the_hearing_was_held(personas, legal_officer):
    hearing, _plan = _past_hearing_with_plan(
        personas, legal_officer, status=WitnessPlanStatus.NOT_STARTED
    )
    services.hearing_record(
        actor=legal_officer, hearing=hearing, outcome="held", next_on=TODAY + datetime.timedelta(5)
    )
    assert WitnessPlan.objects.count() == 2


def test_the_next_date_added_on_its_own_after_an_adjournment_gets_the_plan_once(
    personas, legal_officer
):
    hearing, plan = _past_hearing_with_plan(personas, legal_officer)
    services.hearing_record(
        actor=legal_officer, hearing=hearing, outcome="adjourned", adjournment_reason="no_escort"
    )
    first = services.hearing_add(
        actor=legal_officer, proceeding=hearing.proceeding, on=TODAY + datetime.timedelta(days=9)
    )
    assert WitnessPlan.objects.get(hearing=first).carried_from == plan
    later = services.hearing_add(
        actor=legal_officer, proceeding=hearing.proceeding, on=TODAY + datetime.timedelta(days=30)
    )
    # The adjourned hearing's plan went to the first next date only.
    assert not WitnessPlan.objects.filter(hearing=later).exists()


def test_the_reminder_to_the_legal_officer_names_a_plan_that_is_not_ready(personas, legal_officer):
    from setu.notifications.models import Notification

    unready = _hearing(personas, legal_officer, days_ahead=2)
    WitnessPlanFactory(hearing=unready)
    ready = _hearing(personas, legal_officer, days_ahead=1)
    WitnessPlanFactory(hearing=ready, **READY_BY_TRAIN, travel_on=TODAY)
    assert services.hearing_reminders_send() == 2
    messages = Notification.objects.filter(recipient=legal_officer.user).values_list(
        "message", flat=True
    )
    flagged = [m for m in messages if "witness plan is not ready" in m]
    assert len(flagged) == 1 and unready.on.strftime("%d-%m-%Y") in flagged[0]
