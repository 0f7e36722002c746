"""The webhooks as gateways and RapidPro call them: secret, size, body, dispatch, answer."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditAction, AuditEntry, Outcome
from setu.channels.models import Delivery
from setu.channels.tests.conftest import AUTH, FEEDBACK_LINE, RAPIDPRO_FLOW_UUID

pytestmark = pytest.mark.django_db

NUMBER = "+919832017465"


def post(name: str, body: dict, *, headers: dict | None = None, form: bool = False):
    client = Client(raise_request_exception=False)
    extra = AUTH if headers is None else headers
    if form:
        from urllib.parse import urlencode

        return client.post(
            reverse(name), urlencode(body), content_type="application/x-www-form-urlencoded",
            **extra,
        )  # fmt: skip
    return client.post(reverse(name), json.dumps(body), content_type="application/json", **extra)


# RapidPro's "Call Webhook" default body (contact, flow, results) with the run added, as
# docs/channels.md asks; values as a real run of a feedback survey by IVR sends them.
RAPIDPRO_BODY = {
    "contact": {"uuid": "7c1f5a8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b", "name": "", "urn": f"tel:{NUMBER}"},
    "flow": {"uuid": RAPIDPRO_FLOW_UUID, "name": "Survivor feedback (IVR)"},
    "run": {"uuid": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"},
    "results": {
        "felt_safe": {"value": "1", "category": "Yes"},
        "rating": {"value": "4", "category": "Has Number"},
        "comment": {"value": "the staff were kind", "category": "All Responses"},
    },
}


# --- secret, rate, size ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["channels:sms", "channels:missed-call", "channels:rapidpro"])
@pytest.mark.parametrize("headers", [{}, {"HTTP_X_SETU_SECRET": "guess"}])
def test_a_missing_or_wrong_secret_is_refused_and_audited(name, headers, calls):
    response = post(name, {"sender": NUMBER, "text": "ZZCHECK 1"}, headers=headers)
    assert response.status_code == 403
    assert "X-Setu-Secret" in response.json()["error"]["message"]
    assert calls.messages == [] and calls.results == []
    entry = AuditEntry.objects.get(action=AuditAction.DENIED)
    assert entry.outcome == Outcome.DENIED
    assert entry.details["reason"] == ("missing secret" if not headers else "wrong secret")
    assert NUMBER not in json.dumps(entry.details)


def test_the_secret_may_come_as_a_bearer_token(calls):
    response = post(
        "channels:sms", {"sender": NUMBER, "text": "zzcheck 1"},
        headers={"HTTP_AUTHORIZATION": "Bearer test-only-channels-secret"},
    )  # fmt: skip
    assert response.status_code == 200, response.content


def test_without_a_configured_secret_the_webhooks_say_so(settings, calls):
    settings.SETU_CHANNELS_SECRET = ""
    response = post("channels:sms", {"sender": NUMBER, "text": "ZZCHECK 1"}, headers={})
    assert response.status_code == 503
    assert "SETU_CHANNELS_SECRET" in response.json()["error"]["message"]
    assert calls.messages == []


def test_rapidpro_may_have_its_own_secret(settings, calls):
    settings.SETU_CHANNELS_RAPIDPRO_SECRET = "rapidpro-only"
    assert post("channels:rapidpro", RAPIDPRO_BODY).status_code == 403
    ok = post("channels:rapidpro", RAPIDPRO_BODY, headers={"HTTP_X_SETU_SECRET": "rapidpro-only"})
    assert ok.status_code == 200
    # The gateway keeps the general one.
    assert post("channels:sms", {"sender": NUMBER, "text": "zzcheck"}).status_code == 200


def test_the_rate_limit_answers_429_before_anything_is_read(settings, calls):
    settings.SETU_CHANNELS_RATE = 2
    codes = [
        post("channels:sms", {"sender": NUMBER, "text": "zzcheck"}).status_code for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    assert len(calls.messages) == 2


def test_a_huge_body_is_refused_unread(settings, calls):
    settings.SETU_CHANNELS_MAX_BODY = 1000
    response = post("channels:sms", {"sender": NUMBER, "text": "ZZCHECK " + "x" * 2000})
    assert response.status_code == 413
    assert "1000 bytes" in response.json()["error"]["message"]
    assert calls.messages == []


def test_get_is_not_allowed():
    assert Client().get(reverse("channels:sms"), **AUTH).status_code == 405


# --- malformed bodies --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "ZZCHECK 1"}, "sender"),
        ({"sender": NUMBER}, "text"),
        ({"sender": "call me", "text": "ZZCHECK 1"}, "sender"),
        ({"sender": NUMBER, "text": ["ZZCHECK"]}, "text"),
        ({"sender": NUMBER, "text": "x" * 1601}, "text"),
    ],
)
def test_a_malformed_sms_is_refused_field_by_field_and_nothing_dispatched(body, field, calls):
    response = post("channels:sms", body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert field in error["fields"], error
    assert calls.messages == []
    assert Delivery.objects.count() == 0
    entry = AuditEntry.objects.get(action=AuditAction.INBOUND)
    assert entry.outcome == Outcome.FAILED and entry.details["fields"] == [field]


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        (b"<sms/>", "text/xml", 415),
    ],
)
def test_a_body_that_is_not_a_json_object_or_form_is_refused(raw, content_type, status, calls):
    response = Client().post(reverse("channels:sms"), raw, content_type=content_type, **AUTH)
    assert response.status_code == status
    assert response.json()["error"]["message"]
    assert calls.messages == []


def test_a_form_body_is_accepted(calls):
    response = post("channels:sms", {"from": "098320 17465", "text": "ZZCHECK 7"}, form=True)
    assert response.status_code == 200, response.content
    assert calls.messages[0].sender == NUMBER


# --- SMS keywords ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["ZZCHECK 1234", "zzcheck 1234", "ZzCheck   1234", " zzcheck: 1234"]
)
def test_the_keyword_is_found_in_any_case_and_the_rest_handed_over(text, calls):
    response = post("channels:sms", {"sender": "09832017465", "text": text, "id": "m1"})
    assert response.status_code == 200
    assert response.json() == {"status": "handled", "reply": "Checked in: 1234", "duplicate": False}
    (message,) = calls.messages
    assert (message.channel, message.sender, message.text) == ("sms", NUMBER, "1234")


def test_an_unknown_keyword_gets_the_help_reply_and_is_not_audited_by_word(calls):
    response = post("channels:sms", {"sender": NUMBER, "text": "Tulika wants help"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "help"
    assert "ZZCHECK" in body["reply"]
    assert calls.messages == []
    entry = AuditEntry.objects.get(action=AuditAction.INBOUND)
    assert entry.details == {
        "adapter": "gateway", "channel": "sms", "keyword": "", "status": "help", "duplicate": False
    }  # fmt: skip


def test_the_help_reply_speaks_the_configured_language(calls, settings):
    settings.SETU_CHANNELS_LANGUAGE = "hi"
    reply = post("channels:sms", {"sender": NUMBER, "text": "?"}).json()["reply"]
    assert reply.startswith("सेतु") and "ZZCHECK" in reply


def test_with_no_keyword_registered_the_help_says_so(tables):
    from setu.channels import hooks

    hooks._keywords.clear()
    reply = post("channels:sms", {"sender": NUMBER, "text": "hello"}).json()["reply"]
    assert reply == "Setu does not answer SMS on this number."


def test_a_repeated_delivery_is_handled_once_and_answered_the_same(calls):
    body = {"sender": NUMBER, "text": "ZZCHECK 1234", "id": "gw-42"}
    first, second = post("channels:sms", body), post("channels:sms", body)
    assert len(calls.messages) == 1
    assert second.json() == {**first.json(), "duplicate": True}
    delivery = Delivery.objects.get()
    # Neither the number nor the text nor the id is stored in clear.
    stored = json.dumps([delivery.digest, delivery.label, delivery.reply_sealed, delivery.status])
    assert "9832017465" not in stored and "1234" not in stored and "gw-42" not in stored
    entries = AuditEntry.objects.filter(action=AuditAction.INBOUND).order_by("seq")
    assert [e.details["duplicate"] for e in entries] == [False, True]
    assert [e.details["keyword"] for e in entries] == ["ZZCHECK", "ZZCHECK"]


def test_the_same_id_on_another_channel_is_another_delivery(calls):
    post("channels:sms", {"sender": NUMBER, "text": "ZZCHECK 1", "id": "x"})
    post("channels:missed-call", {"caller": NUMBER, "called": FEEDBACK_LINE, "id": "x"})
    assert len(calls.messages) == 2


def test_a_failing_handler_keeps_nothing_and_a_redelivery_is_handled_again(calls):
    from setu.channels import hooks

    attempts = []

    def broken(message):
        attempts.append(message)
        Delivery.objects.create(digest="written-by-the-handler", channel="sms", status="x")
        raise RuntimeError(f"cannot parse {message.text}")

    hooks.register_keyword("ZZBROKEN", broken)
    body = {"sender": NUMBER, "text": "ZZBROKEN 99", "id": "b1"}
    first = post("channels:sms", body)
    assert first.status_code == 500 and first.json()["status"] == "failed"
    assert not Delivery.objects.exists()  # neither the claim nor the handler's write
    assert post("channels:sms", body).status_code == 500
    assert len(attempts) == 2
    entry = AuditEntry.objects.filter(action=AuditAction.INBOUND).first()
    assert entry.outcome == Outcome.FAILED and entry.details["keyword"] == "ZZBROKEN"


# --- missed calls ------------------------------------------------------------------------------


@pytest.mark.parametrize("called", [FEEDBACK_LINE, "01234500001", "+91 12345 00001"])
def test_a_missed_call_goes_to_the_app_of_the_line_rung(called, calls):
    response = post("channels:missed-call", {"caller": "98320-17465", "called": called})
    assert response.status_code == 200
    assert response.json()["status"] == "handled"
    (message,) = calls.messages
    assert (message.channel, message.line, message.sender) == ("missed_call", "zzline", NUMBER)
    entry = AuditEntry.objects.get(action=AuditAction.INBOUND)
    assert entry.details["line"] == "zzline" and entry.details["channel"] == "missed_call"


@pytest.mark.parametrize("called", ["+911234599999", "+911234500009"])
def test_a_missed_call_to_an_unknown_or_unanswered_line_is_ignored(called, calls):
    response = post("channels:missed-call", {"from": NUMBER, "to": called})
    assert response.status_code == 200
    assert response.json()["status"] == "ignored"
    assert calls.messages == []


def test_a_missed_call_needs_the_number_rung(calls):
    response = post("channels:missed-call", {"caller": NUMBER})
    assert response.status_code == 400
    assert "called" in response.json()["error"]["fields"]


# --- RapidPro flow results ---------------------------------------------------------------------


def test_rapidpros_webhook_body_reaches_the_flows_app(calls):
    response = post("channels:rapidpro", RAPIDPRO_BODY)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "handled"
    (result,) = calls.results
    assert result.flow == "zzflow"
    assert result.sender == NUMBER
    assert result.run_id == RAPIDPRO_BODY["run"]["uuid"]
    # The category where it says something; the value behind a catch-all category.
    assert result.results == {"felt_safe": "Yes", "rating": "4", "comment": "the staff were kind"}
    entry = AuditEntry.objects.get(action=AuditAction.INBOUND)
    assert entry.details["flow"] == "zzflow"
    assert "kind" not in json.dumps(entry.details) and "9832017465" not in json.dumps(entry.details)


def test_a_run_delivered_twice_is_handled_once(calls):
    post("channels:rapidpro", RAPIDPRO_BODY)
    again = post("channels:rapidpro", RAPIDPRO_BODY)
    assert again.json()["duplicate"] is True
    assert len(calls.results) == 1


def test_a_flow_is_also_found_by_its_name(calls, settings):
    settings.SETU_CHANNELS_FLOWS = {"zzflow": "Survivor Feedback (IVR)"}
    body = {**RAPIDPRO_BODY, "flow": {"uuid": "another-uuid", "name": "Survivor feedback (IVR)"}}
    assert post("channels:rapidpro", body).json()["status"] == "handled"


def test_an_unmapped_flow_is_ignored(calls):
    body = {**RAPIDPRO_BODY, "flow": {"uuid": "not-mapped", "name": "Something else"}}
    assert post("channels:rapidpro", body).json()["status"] == "ignored"
    assert calls.results == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contact": {"urn": "whatsapp:919832017465"}}, "contact.urn"),
        ({"contact": {}}, "contact.urn"),
        ({"contact": "tel:+919832017465"}, "contact"),
        ({"flow": {}}, "flow"),
        ({"results": ["yes"]}, "results"),
        ({"results": {"felt_safe": {"value": ["1"], "category": "Yes"}}}, "results.felt_safe"),
        ({"contact": {"urn": "tel:12"}}, "contact.urn"),
    ],
)
def test_a_malformed_rapidpro_body_is_refused(change, field, calls):
    response = post("channels:rapidpro", {**RAPIDPRO_BODY, **change})
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert calls.results == []


def test_responses_are_not_cached(calls):
    response = post("channels:sms", {"sender": NUMBER, "text": "zzcheck"})
    assert "no-store" in response["Cache-Control"]
