"""``setu channels …``: every phone path from the console, through the webhooks' services."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from setu.channels.adapters import ConsoleStart
from setu.channels.models import Delivery

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("channels", *args, stdout=out)
    return out.getvalue()


def test_an_sms_from_the_console(calls):
    out = run("sms", "--from", "+91 98320 17465", "CHECKIN 1234".replace("CHECKIN", "zzcheck"))
    assert "status: handled" in out and "reply: Checked in: 1234" in out
    assert calls.messages[0].sender == "+919832017465"


def test_a_repeated_console_delivery_is_answered_as_before(calls):
    run("sms", "--from", "9832017465", "--id", "c1", "ZZCHECK 1")
    assert "a repeat" in run("sms", "--from", "9832017465", "--id", "c1", "ZZCHECK 1")
    assert len(calls.messages) == 1


def test_a_missed_call_from_the_console_by_line_or_number(calls):
    assert "status: handled" in run("missed-call", "--from", "9832017465", "--line", "zzline")
    assert "status: handled" in run("missed-call", "--from", "9832017465", "--to", "01234500001")
    assert [m.line for m in calls.messages] == ["zzline", "zzline"]


def test_a_flow_result_from_the_console(calls):
    out = run(
        "flow-result", "--flow", "zzflow", "--from", "9832017465", "felt_safe=Yes", "rating=4"
    )
    assert "status: handled" in out
    assert calls.results[0].results == {"felt_safe": "Yes", "rating": "4"}


def test_a_start_from_the_console(calls, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        out = run("start", "--flow", "zzivr", "--to", "9832017465", "line=feedback")
    assert "9832017465" not in out
    assert outbox == [ConsoleStart("zzivr", "+919832017465", {"line": "feedback"})]


def test_bad_console_input_is_a_clear_error(calls):
    with pytest.raises(CommandError, match="sender"):
        run("sms", "--from", "not a number", "ZZCHECK")
    with pytest.raises(CommandError, match="key=value"):
        run("flow-result", "--flow", "zzflow", "--from", "9832017465", "oops")


def test_prune_forgets_old_deliveries_only(calls):
    run("sms", "--from", "9832017465", "--id", "old", "ZZCHECK")
    run("sms", "--from", "9832017465", "--id", "new", "ZZCHECK")
    Delivery.objects.filter(pk=Delivery.objects.order_by("created_at").first().pk).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    assert "Forgot 1" in run("prune")
    assert Delivery.objects.count() == 1
