"""Feedback by SMS keyword, missed call and flow-engine results, through channels.hooks."""

from __future__ import annotations

import pytest
from django.utils import timezone

from setu.channels import hooks
from setu.feedback import phone
from setu.feedback.models import Feedback
from setu.feedback.tests.factories import invitation

pytestmark = pytest.mark.django_db

SENDER = "+919800000001"


def _sms(text: str, sender: str = SENDER) -> str | None:
    handler = hooks.keyword_handler("feedback")
    assert handler is phone.on_sms  # registered in FeedbackConfig.ready
    return handler(hooks.InboundMessage("sms", sender, text, timezone.now()))


def test_the_sms_keyword_stores_the_answers_and_replies_with_a_followup_code(network):
    _row, _token, code = invitation(network.body, subject=network.subject)
    reply = _sms(f"{code} 2 P N the constable shouted")
    assert "follow-up code" in reply
    feedback = Feedback.objects.get()
    assert (feedback.treated, feedback.entitled, feedback.felt_safe) == (2, "partly", "no")
    assert feedback.comment == "the constable shouted" and feedback.channel == "sms"
    assert SENDER not in str(Feedback.objects.values().get())
    # The code is used up.
    assert "does not work" in _sms(f"{code} 5 Y Y")


def test_an_sms_with_a_code_in_two_halves_and_bengali_digits_is_understood(network):
    _row, _token, code = invitation(network.body, subject=network.subject)
    first, second = code.split("-")
    _sms(f"{first.lower()} {second} ৪ y y")
    assert Feedback.objects.get().treated == 4


def test_a_bad_sms_answer_is_explained_and_the_code_still_works(network):
    _row, _token, code = invitation(network.body, subject=network.subject)
    reply = _sms(f"{code} 9 Y Y")
    assert "five faces" in reply
    assert not Feedback.objects.exists()
    _sms(f"{code} 3")
    assert Feedback.objects.count() == 1


def test_a_missed_call_asks_the_flow_engine_to_call_back(network, monkeypatch):
    calls = []
    monkeypatch.setattr(phone, "ivr_starter", calls.append)
    handler = hooks.missed_call_handler("feedback")
    message = hooks.InboundMessage("missed_call", SENDER, "", timezone.now(), line="feedback")
    for _n in range(5):
        assert handler(message) is None
    # Called back, but not more than three times a day however often she rings.
    assert calls == [SENDER] * phone.CALLBACKS_PER_DAY


def test_flow_results_become_feedback_once_per_run(network):
    handler = hooks.flow_handler("feedback")
    result = hooks.FlowResult(
        flow="feedback",
        sender=SENDER,
        results={"treated": "1", "entitled": "3", "safe": "2", "serious": "sexual_exploitation"},
        received_at=timezone.now(),
        run_id="rp-run-42",
        extra={"subject": str(network.subject.pk)},
    )
    handler(result)
    handler(result)  # the webhook delivered twice
    feedback = Feedback.objects.get()
    assert feedback.channel == "ivr" and feedback.run_id == "rp-run-42"
    assert (feedback.treated, feedback.entitled, feedback.felt_safe) == (1, "no", "no")
    assert feedback.lane == "serious" and feedback.handler == network.users["handler"]


def test_a_keypad_choice_of_kind_lands_on_the_general_subject_of_that_kind(network):
    handler = hooks.flow_handler("feedback")
    for run in ("a", "b"):
        handler(
            hooks.FlowResult(
                flow="feedback",
                sender=SENDER,
                results={"kind": "court", "treated": "4"},
                received_at=timezone.now(),
                run_id=run,
            )
        )
    subjects = {f.subject_id for f in Feedback.objects.all()}
    assert len(subjects) == 1 and Feedback.objects.first().kind == "court"


def test_a_run_without_usable_answers_is_dropped(network, caplog):
    hooks.flow_handler("feedback")(
        hooks.FlowResult("feedback", SENDER, {"kind": "nowhere"}, timezone.now(), run_id="x")
    )
    assert not Feedback.objects.exists()
    assert SENDER not in caplog.text


def test_a_missed_call_through_the_channels_app_starts_the_voice_call_back_and_its_answers_land(
    network, settings, django_capture_on_commit_callbacks
):
    from setu.channels import services as channels_services
    from setu.channels.adapters import ConsoleFlowStarter, ConsoleStart

    settings.SETU_CHANNELS_LINES = {"feedback": "+919876500001"}
    settings.SETU_CHANNELS_FLOWS = {"feedback_ivr": "0f1e2d3c-ivr"}
    ConsoleFlowStarter.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        channels_services.missed_call_receive(
            adapter="console", caller="098000 00001", called="098765 00001", call_id="c1"
        )
    assert ConsoleFlowStarter.outbox == [
        ConsoleStart("feedback_ivr", SENDER, {"purpose": "feedback"})
    ]
    ConsoleFlowStarter.outbox.clear()
    # The voice flow's answers come back under its own flow, as the engine's webhook sends them.
    channels_services.flow_result_receive(
        adapter="rapidpro",
        sender=SENDER,
        results={"treated": "4", "entitled": "1", "safe": "1"},
        flow_uuid="0f1e2d3c-ivr",
        run_id="rp-run-77",
        extra={"subject": str(network.subject.pk)},
    )
    feedback = Feedback.objects.get()
    assert feedback.channel == "ivr" and feedback.treated == 4
