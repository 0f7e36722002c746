"""Check-ins from a feature phone, end to end through the channels webhooks as the SMS gateway,
the missed-call provider and RapidPro call them: SMS keywords, a missed call, and the voice
call-back whose keypad answer (safe, help, or the unspoken duress key) comes back as a flow
result."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEntry
from setu.channels.adapters import ConsoleFlowStarter, ConsoleStart
from setu.fieldops import services
from setu.fieldops.models import Alert, AlertReason, CheckIn
from setu.fieldops.tests.conftest import seat
from setu.notifications.models import Notification

pytestmark = pytest.mark.django_db

AUTH = {"HTTP_X_SETU_SECRET": "test-only-channels-secret"}  # setu/test_settings.py
CHECKIN_LINE = "+911234500002"
CALLBACK_LINE = "+911234500003"
IVR_UUID = "5b9e7d0c-1f2a-4c3b-8d4e-6f7a8b9c0d1e"
PARTNER = "+919820022222"  # the partner's seat on the operation (conftest: 09820022222)


@pytest.fixture
def phones(settings):
    """The check-in lines and the voice flow mapped as in production; a clean call-back count
    and an empty console outbox."""
    settings.SETU_CHANNELS_LINES = {"checkin": CHECKIN_LINE, "checkin_call": CALLBACK_LINE}
    settings.SETU_CHANNELS_FLOWS = {"checkin_ivr": IVR_UUID}
    cache.clear()
    ConsoleFlowStarter.outbox.clear()
    yield ConsoleFlowStarter.outbox
    ConsoleFlowStarter.outbox.clear()


def post(name: str, body: dict) -> dict:
    response = Client(raise_request_exception=False).post(
        reverse(name), json.dumps(body), content_type="application/json", **AUTH
    )
    assert response.status_code == 200, response.content
    return response.json()


def ivr_result(key: str, run: str, sender: str = PARTNER, **more: dict) -> dict:
    """The body of RapidPro's Call Webhook at the end of the voice check-in flow."""
    return post(
        "channels:rapidpro",
        {
            "contact": {"uuid": "c0ffee00-0000-4000-8000-000000000001", "urn": f"tel:{sender}"},
            "flow": {"uuid": IVR_UUID, "name": "Field check-in (voice)"},
            "run": {"uuid": run},
            "results": {"checkin": {"value": key, "category": "Has Number"}, **more},
        },
    )


def test_sms_keywords_through_the_gateway_webhook(personas, active, phones):
    me = seat(active, personas, "partner")
    services.member_settings(actor=personas["partner"], member=me, pin="2468", duress_pin="1357")
    body = {"from": "09820022222", "text": "SAFE", "id": "gw-1"}
    assert post("channels:sms", body)["reply"] == "Received."
    again = post("channels:sms", body)  # the gateway's retry
    assert again["duplicate"] is True and again["reply"] == "Received."
    assert CheckIn.objects.filter(member=me, channel="sms").count() == 1
    # The duress PIN gets the very same answer; the alert it raises pages nobody on her phone.
    forced = post("channels:sms", {"from": PARTNER, "text": "checkin 1357", "id": "gw-2"})
    assert forced["reply"] == "Received."
    assert Alert.objects.get().reason == AlertReason.DURESS
    assert not Notification.objects.filter(recipient=personas.users["partner"]).exists()
    stranger = post("channels:sms", {"from": "+919999900000", "text": "SAFE", "id": "gw-3"})
    assert stranger["reply"] == "Not recognised."
    # Neither the number nor the text reaches the audit trail.
    assert "9820022222" not in json.dumps(list(AuditEntry.objects.values("details", "changes")))


def test_a_missed_call_on_the_checkin_line_checks_in(personas, active, phones):
    me = seat(active, personas, "partner")
    answer = post("channels:missed-call", {"caller": "9820022222", "called": CHECKIN_LINE})
    assert answer["status"] == "handled" and answer["reply"] == ""
    checkin = CheckIn.objects.get(member=me)
    assert (checkin.channel, checkin.kind) == ("missed_call", "ok")
    me.refresh_from_db()
    assert me.last_checkin_at == checkin.at


def test_a_missed_call_on_the_voice_line_is_called_back_and_1_checks_in(
    personas, active, phones, django_capture_on_commit_callbacks
):
    me = seat(active, personas, "partner")
    with django_capture_on_commit_callbacks(execute=True):
        post("channels:missed-call", {"caller": "098200 22222", "called": CALLBACK_LINE})
    assert phones == [ConsoleStart("checkin_ivr", PARTNER, {"purpose": "checkin"})]
    assert ivr_result("1", "run-safe")["status"] == "handled"
    assert ivr_result("1", "run-safe")["duplicate"] is True  # RapidPro's retry: once
    checkin = CheckIn.objects.get(member=me)
    assert (checkin.channel, checkin.kind) == ("ivr", "ok")
    assert not Alert.objects.exists()


def test_a_stranger_ringing_the_voice_line_is_not_called_back(
    personas, active, phones, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post("channels:missed-call", {"caller": "+919999900000", "called": CALLBACK_LINE})
    assert phones == []


def test_the_voice_line_calls_back_a_few_times_an_hour_at_most(
    personas, active, phones, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(8):
            post(
                "channels:missed-call", {"caller": PARTNER, "called": CALLBACK_LINE, "id": f"c{n}"}
            )
    assert len(phones) == 6


def test_2_on_the_voice_call_pages_the_whole_team_at_once(personas, active, police, phones):
    ivr_result("2", "run-help")
    alert = Alert.objects.get()
    assert alert.reason == AlertReason.DISTRESS
    assert set(alert.steps.filter(skipped=False).values_list("tier", flat=True)) == {
        "buddy",
        "lead",
        "safety_contact",
        "police_liaison",
    }


def test_the_duress_key_answers_like_1_but_raises_a_silent_alert(personas, active, phones):
    me = seat(active, personas, "partner")
    before = me.next_due_at
    assert ivr_result("5", "run-forced") == ivr_result("1", "run-fine")
    kinds = sorted(CheckIn.objects.filter(member=me).values_list("kind", flat=True))
    assert kinds == ["duress", "ok"]
    me.refresh_from_db()
    assert me.next_due_at > before  # her timer restarts as after any safe check-in
    alert = Alert.objects.get()
    assert alert.reason == AlertReason.DURESS
    assert not alert.steps.filter(tier="self", skipped=False).exists()
    assert not Notification.objects.filter(recipient=personas.users["partner"]).exists()
    assert Notification.objects.filter(recipient=personas.users["counsellor"]).exists()


def test_a_pin_asked_by_the_voice_flow_is_checked_like_checkin_by_sms(personas, active, phones):
    me = seat(active, personas, "partner")
    services.member_settings(actor=personas["partner"], member=me, pin="2468", duress_pin="1357")
    pin = {"value": "1357", "category": "Has Number"}
    ivr_result("1", "run-pin-duress", pin=pin)
    assert Alert.objects.get().reason == AlertReason.DURESS
    ivr_result("1", "run-pin-wrong", pin={"value": "0000", "category": "Has Number"})
    assert CheckIn.objects.filter(member=me).count() == 1  # a wrong PIN checks nobody in


def test_an_unusable_keypad_answer_checks_nobody_in(personas, active, phones, caplog):
    assert ivr_result("7", "run-odd")["status"] == "handled"
    assert not CheckIn.objects.exists()
    assert "9820022222" not in caplog.text
