"""Starting IVR/SMS flows: queued after commit, sealed on the queue, and the RapidPro adapter
against a fake RapidPro on a local port."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditAction, AuditEntry
from setu.channels import hooks, services, tasks
from setu.channels.adapters import ConsoleStart, FlowStartError, RapidProFlowStarter
from setu.channels.tests.conftest import AUTH, FEEDBACK_LINE
from setu.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

NUMBER = "+919832017465"


def test_a_start_runs_on_the_task_queue_after_commit(
    calls, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.flow_start(flow="zzivr", number="09832017465", params={"line": "feedback"})
    assert outbox == []  # nothing starts before the caller's transaction commits
    for callback in pending:
        callback()
    assert outbox == [ConsoleStart("zzivr", NUMBER, {"line": "feedback"})]
    entry = AuditEntry.objects.get(action=AuditAction.FLOW_START)
    assert entry.details == {"flow": "zzivr"}


def test_the_queued_task_carries_the_number_sealed(
    calls, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    fake = type("FakeTask", (), {"enqueue": staticmethod(lambda **kw: queued.append(kw))})
    monkeypatch.setattr(tasks, "start_flow", fake)
    with django_capture_on_commit_callbacks(execute=True):
        services.flow_start(flow="zzivr", number=NUMBER, params={"case": "C-1"})
    (kwargs,) = queued
    assert kwargs["flow"] == "zzivr"
    assert "9832017465" not in json.dumps(kwargs) and "C-1" not in json.dumps(kwargs)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"flow": "not-configured", "number": NUMBER}, "flow"),
        ({"flow": "", "number": NUMBER}, "flow"),
        ({"flow": "zzivr", "number": "12345"}, "number"),
        ({"flow": "zzivr", "number": NUMBER, "params": {"n": 1}}, "params"),
    ],
)
def test_a_start_that_cannot_be_made_is_refused_at_once(kwargs, field, calls, outbox):
    with pytest.raises(InvalidInput) as exc:
        services.flow_start(**kwargs)
    assert field in exc.value.errors
    assert not AuditEntry.objects.filter(action=AuditAction.FLOW_START).exists()


def test_the_free_call_back_a_missed_call_starts_the_ivr_flow(
    calls, outbox, django_capture_on_commit_callbacks
):
    """The pattern of issue 26: the feedback app answers a missed call by starting its flow."""

    def call_back(message: hooks.InboundMessage) -> None:
        services.flow_start(flow="zzivr", number=message.sender, params={"line": message.line})

    hooks.register_missed_call("zzcallback", call_back)
    from django.conf import settings

    settings.SETU_CHANNELS_LINES = {"zzcallback": FEEDBACK_LINE}
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("channels:missed-call"),
            {"caller": "9832017465", "called": FEEDBACK_LINE},
            content_type="application/json",
            **AUTH,
        )
    assert response.status_code == 200, response.content
    assert outbox == [ConsoleStart("zzivr", NUMBER, {"line": "zzcallback"})]


# --- RapidPro, against a fake server -----------------------------------------------------------


class _FakeRapidPro(BaseHTTPRequestHandler):
    requests: list[dict] = []
    status = 201

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        _FakeRapidPro.requests.append(
            {
                "path": self.path,
                "authorization": self.headers["Authorization"],
                "body": json.loads(self.rfile.read(length)),
            }
        )
        self.send_response(_FakeRapidPro.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        # What RapidPro answers to a bad URN: it repeats the URN, which must not reach the error.
        self.wfile.write(json.dumps({"urns": [f"Invalid URN: tel:{NUMBER}"]}).encode())

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def rapidpro(settings, calls):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeRapidPro)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FakeRapidPro.requests, _FakeRapidPro.status = [], 201
    settings.SETU_RAPIDPRO_URL = f"http://127.0.0.1:{server.server_port}/"
    settings.SETU_RAPIDPRO_TOKEN = "rapidpro-api-token"
    settings.SETU_RAPIDPRO_TIMEOUT = 5
    settings.SETU_FLOW_STARTER = "setu.channels.adapters.RapidProFlowStarter"
    yield _FakeRapidPro
    server.shutdown()
    server.server_close()


def test_the_rapidpro_starter_posts_a_flow_start(rapidpro):
    RapidProFlowStarter().start("zzivr", NUMBER, {"line": "feedback"})
    (request,) = rapidpro.requests
    assert request["path"] == "/api/v2/flow_starts.json"
    assert request["authorization"] == "Token rapidpro-api-token"
    assert request["body"] == {
        "flow": "ivr-flow-uuid", "urns": [f"tel:{NUMBER}"], "params": {"line": "feedback"}
    }  # fmt: skip


def test_a_start_through_the_queue_reaches_rapidpro(rapidpro, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.flow_start(flow="zzivr", number=NUMBER)
    assert [r["body"]["urns"] for r in rapidpro.requests] == [[f"tel:{NUMBER}"]]


def test_a_refused_start_raises_without_the_number(rapidpro):
    rapidpro.status = 400
    with pytest.raises(FlowStartError) as exc:
        RapidProFlowStarter().start("zzivr", NUMBER, {})
    assert "HTTP 400" in str(exc.value)
    assert "9832017465" not in str(exc.value)


def test_an_unreachable_rapidpro_raises_clearly(rapidpro, settings):
    settings.SETU_RAPIDPRO_URL = "http://127.0.0.1:9"  # the discard port: nothing listens
    with pytest.raises(FlowStartError, match="could not be reached"):
        RapidProFlowStarter().start("zzivr", NUMBER, {})


def test_an_unmapped_flow_is_not_posted(rapidpro):
    with pytest.raises(FlowStartError, match="SETU_CHANNELS_FLOWS"):
        RapidProFlowStarter().start("unknown", NUMBER, {})
    assert rapidpro.requests == []


def test_the_rapidpro_starter_needs_its_url_and_token(settings):
    settings.SETU_RAPIDPRO_URL = ""
    with pytest.raises(ImproperlyConfigured, match="SETU_RAPIDPRO_URL"):
        RapidProFlowStarter()
