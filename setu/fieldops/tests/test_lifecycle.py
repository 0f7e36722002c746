"""A team plans an operation, runs it with check-ins and escalation, and closes it: once through
the pages and once through the API, from the first form to the debrief (what resolves issue 27)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from setu.fieldops import services
from setu.fieldops.models import Alert, CheckIn, EscalationStep, Operation, OperationStatus
from setu.notifications.models import Notification

pytestmark = pytest.mark.django_db

PLACE = "Back room of the lodge near the bus stand"


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def _miss_deadline(operation: Operation, user) -> None:
    """Her deadline passed six minutes ago (prompt and buddy due, the team lead not yet);
    everyone else's is a day away."""
    now = timezone.now()
    team = operation.team.exclude(next_due_at=None)
    team.update(next_due_at=now + datetime.timedelta(days=1))
    team.filter(user=user).update(next_due_at=now - datetime.timedelta(minutes=6))


def test_a_team_plans_runs_and_closes_an_operation_through_the_pages(personas, police):
    lead_user, partner_user = personas.users["lead"], personas.users["partner"]
    lead, partner = _client(lead_user), _client(partner_user)
    start = timezone.localtime() + datetime.timedelta(hours=1)
    planned = lead.post(
        reverse("fieldops:operation-create"),
        {
            "kind": "rescue",
            "code_name": "Kadamba",
            "target_place": PLACE,
            "planned_start": start.strftime("%Y-%m-%dT%H:%M"),
            "expected_end": (start + datetime.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
            "partner_orgs": [str(personas.partner_org.pk)],
            "checkin_minutes": 30,
            "grace_minutes": 5,
            "step_minutes": 5,
        },
    )
    assert planned.status_code == 302, planned.content.decode()[:2000]
    op = Operation.objects.get(code_name="Kadamba")
    me = op.team.get(user=lead_user)
    team_url = reverse("fieldops:member-add", args=[op.pk])
    for user, role, buddy in [
        (partner_user, "member", str(me.pk)),
        (personas.users["counsellor"], "safety_contact", ""),
        (police.user, "police_liaison", ""),
    ]:
        added = lead.post(team_url, {"user": str(user.pk), "role": role, "buddy": buddy})
        assert added.status_code == 302, added.content.decode()[:2000]
    assert op.team.count() == 4

    assert lead.post(reverse("fieldops:operation-start", args=[op.pk])).status_code == 302
    op.refresh_from_db()
    assert op.status == OperationStatus.ACTIVE and op.escalation_policy

    checkin_url = reverse("fieldops:checkin", args=[op.pk])
    client_id = partner.get(checkin_url).context["form"].initial["client_id"]
    assert partner.post(checkin_url, {"client_id": client_id}).status_code == 302
    assert CheckIn.objects.filter(member__user=partner_user).count() == 1

    _miss_deadline(op, partner_user)
    services.checkin_sweep()
    alert = Alert.objects.get(member__user=partner_user)
    assert set(EscalationStep.objects.filter(alert=alert).values_list("step", flat=True)) == {0, 1}
    # The buddy's page names nobody and nothing of the operation.
    page = Notification.objects.get(recipient=lead_user, subject=f"fieldops.alert:{alert.pk}")
    assert page.message == "A team member needs help. Open Setu."

    # Closing with the alert open is refused; the lead claims it, resolves it, then closes.
    close_url = reverse("fieldops:operation-close", args=[op.pk])
    lead.post(close_url)
    op.refresh_from_db()
    assert op.status == OperationStatus.ACTIVE
    assert lead.post(reverse("fieldops:alert-claim", args=[alert.pk])).status_code == 302
    resolved = lead.post(reverse("fieldops:alert-resolve", args=[alert.pk]), {"resolution": "safe"})
    assert resolved.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.claimed_by_id == lead_user.pk
    assert lead.post(close_url).status_code == 302
    op.refresh_from_db()
    assert op.status == OperationStatus.CLOSED

    debrief = lead.post(
        reverse("fieldops:debrief", args=[op.pk]),
        {
            "went_well": "Buddy pairs held",
            "went_wrong": "One phone ran out of charge",
            "lesson": "Carry a power bank for every buddy pair.",
        },
    )
    assert debrief.status_code == 302
    lessons = partner.get(reverse("fieldops:lessons")).content.decode()
    assert "power bank" in lessons and "Kadamba" not in lessons


def test_a_team_plans_runs_and_closes_an_operation_through_the_api(personas, police):
    lead_user, partner_user = personas.users["lead"], personas.users["partner"]
    lead, partner = _client(lead_user), _client(partner_user)
    start = timezone.now() + datetime.timedelta(hours=1)
    created = lead.post(
        reverse("api:fieldops-operation-list"),
        {
            "kind": "interception",
            "code_name": "Ashoka",
            "target_place": PLACE,
            "planned_start": start.isoformat(),
            "expected_end": (start + datetime.timedelta(hours=4)).isoformat(),
            "partner_orgs": [str(personas.partner_org.pk)],
            "checkin_minutes": 30,
            "grace_minutes": 5,
            "step_minutes": 5,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content.decode()[:2000]
    op_id = created.json()["id"]
    assert created.json()["target_place"] == PLACE
    me = next(s for s in created.json()["team"] if s["role"] == "lead")

    team_url = reverse("api:fieldops-member-add", args=[op_id])
    for body in [
        {"user": str(partner_user.pk), "role": "member", "buddy": me["id"]},
        {"user": str(personas.users["counsellor"].pk), "role": "safety_contact"},
        {"user": str(police.user.pk), "role": "police_liaison"},
    ]:
        added = lead.post(team_url, body, content_type="application/json")
        assert added.status_code == 201, added.content.decode()[:2000]

    started = lead.post(reverse("api:fieldops-operation-start", args=[op_id]))
    assert started.status_code == 200 and started.json()["status"] == "active"

    checkin_url = reverse("api:fieldops-checkin", args=[op_id])
    checked = partner.post(checkin_url, {"client_id": "a1"}, content_type="application/json")
    assert checked.status_code == 200 and checked.json()["received"] is True

    op = Operation.objects.get(pk=op_id)
    _miss_deadline(op, partner_user)
    services.checkin_sweep()
    detail = lead.get(reverse("api:fieldops-operation-detail", args=[op_id])).json()
    (alert,) = detail["alerts"]
    assert alert["status"] == "open" and alert["reason"] == "missed"

    close_url = reverse("api:fieldops-operation-close", args=[op_id])
    assert lead.post(close_url).status_code == 400
    claimed = lead.post(reverse("api:fieldops-alert-claim", args=[alert["id"]]))
    assert claimed.status_code == 200 and claimed.json()["claimed_by_you"] is True
    # A second claim loses: the alert is already taken.
    again = _client(personas.users["counsellor"]).post(
        reverse("api:fieldops-alert-claim", args=[alert["id"]])
    )
    assert again.status_code == 200 and again.json()["claimed_by_you"] is False
    resolved = lead.post(
        reverse("api:fieldops-alert-resolve", args=[alert["id"]]),
        {"resolution": "false_alarm"},
        content_type="application/json",
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"

    closed = lead.post(close_url)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    late = partner.post(checkin_url, {"client_id": "a2"}, content_type="application/json")
    assert late.status_code in (400, 404)
