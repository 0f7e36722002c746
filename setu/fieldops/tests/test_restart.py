"""Escalation survives a restart: the sweep is killed (SIGKILL) in the middle of paging for a
missed check-in, a new sweep runs, and every step of the escalation has happened exactly once.
Once as cron runs it (``setu fieldops sweep``), once as the task queue runs it (``setu
db_worker`` on the database backend, the worker itself killed and started again).

The sweeps run as real processes against the test database (on SQLite a file copy of it, made
with ``VACUUM INTO``; on PostgreSQL the test database itself), as cron or the worker run them.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from setu.fieldops import services
from setu.fieldops.tests.conftest import seat

ROOT = Path(__file__).resolve().parents[3]

# Run in the killed process: the real sweep, with paging slowed down after the buddy's notice
# is written (inside the step's transaction), so the kill lands half-way through escalation.
KILLED = """
import os, sys, time
import django
django.setup()
from setu.fieldops import services
real = services._page
def paging(alert, step, members):
    sent = real(alert, step, members)
    if step == 1:
        with open(sys.argv[1], "w") as marker:
            marker.write("paging the buddy")
        time.sleep(300)
    return sent
services._page = paging
from django.core.management import call_command
call_command("fieldops", "sweep")
"""

# The task queue's worker, with the same slowed paging: it runs the queued sweep task.
KILLED_WORKER = """
import os, sys, time
import django
django.setup()
from setu.fieldops import services
real = services._page
def paging(alert, step, members):
    sent = real(alert, step, members)
    if step == 1:
        with open(sys.argv[1], "w") as marker:
            marker.write("paging the buddy")
        time.sleep(300)
    return sent
services._page = paging
from django.core.management import call_command
call_command("db_worker", "--no-startup-delay", "--interval", "0.2")
"""

# What the database holds afterwards, as JSON.
COUNT = """
import json, sys
import django
django.setup()
from setu.fieldops.models import Alert, EscalationStep
from setu.notifications.models import Notification
print(json.dumps({
    "alerts": Alert.objects.count(),
    "steps": sorted(EscalationStep.objects.values_list("step", flat=True)),
    "notices": Notification.objects.filter(subject__startswith="fieldops.alert:").count(),
}))
"""


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE")}
    env.update(
        DJANGO_SETTINGS_MODULE="setu.test_settings",
        DATABASE_URL=url,
        PYTHONPATH=str(ROOT),
        SETU_TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
    )
    return env


def _database_url(tmp_path: Path) -> str:
    """A URL another process can open and that holds this test's committed rows."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "fieldops.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        return f"sqlite:///{copy}"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def _counts(env: dict[str, str]) -> dict:
    done = _run(env, "-c", COUNT)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _miss_her_deadline(operation, personas) -> None:
    """Her deadline passed ten minutes ago (everyone else's is a day off): the prompt and the
    buddy's page are both due."""
    me = seat(operation, personas, "partner")
    missed = timezone.now() - datetime.timedelta(minutes=10)
    operation.team.exclude(next_due_at=None).update(next_due_at=missed + datetime.timedelta(days=1))
    operation.team.filter(pk=me.pk).update(next_due_at=missed)


def _kill_while_paging(script: str, what: str, env: dict[str, str], marker: Path) -> None:
    """Run ``script`` (which touches ``marker`` as it pages the buddy) and SIGKILL it there."""
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", script, str(marker)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 240
    while not marker.exists():
        if process.poll() is not None:
            pytest.fail(f"{what} ended before paging: {process.stderr.read()[-2000:]}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{what} never reached the buddy's page")
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.django_db(transaction=True)
def test_escalation_killed_half_way_happens_exactly_once_after_a_restart(
    transactional_db, personas, police, operation, tmp_path
):
    services.operation_start(actor=personas["lead"], operation=operation)
    # Steps after the buddy an hour apart, so a slow machine sees only the first two due.
    operation.refresh_from_db()
    operation.escalation_policy["step_minutes"] = 60
    operation.save(update_fields=["escalation_policy"])
    _miss_her_deadline(operation, personas)
    env = _env(_database_url(tmp_path))

    _kill_while_paging(KILLED, "the sweep", env, tmp_path / "paging")

    # The alert for the missed deadline was committed before the kill; the steps were not.
    assert _counts(env) == {"alerts": 1, "steps": [], "notices": 0}

    restarted = _run(env, "-m", "setu.cli", "fieldops", "sweep")
    assert restarted.returncode == 0, restarted.stderr[-2000:]
    assert "escalation steps taken: 2" in restarted.stdout
    again = _run(env, "-m", "setu.cli", "fieldops", "sweep")
    assert "Missed check-ins: 0; escalation steps taken: 0" in again.stdout

    # Prompt (to her) and buddy (the lead), each exactly once.
    assert _counts(env) == {"alerts": 1, "steps": [0, 1], "notices": 2}


def _worker_env(url: str) -> dict[str, str]:
    return {**_env(url), "SETU_TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}


@pytest.mark.django_db(transaction=True)
def test_worker_killed_between_missed_deadline_and_escalation_escalates_once_after_restart(
    transactional_db, personas, police, operation, tmp_path
):
    services.operation_start(actor=personas["lead"], operation=operation)
    operation.refresh_from_db()
    operation.escalation_policy["step_minutes"] = 60
    operation.save(update_fields=["escalation_policy"])
    _miss_her_deadline(operation, personas)
    env = _worker_env(_database_url(tmp_path))

    # Cron's minute: the sweep goes on the database task queue, for the worker.
    queued = _run(env, "-m", "setu.cli", "fieldops", "sweep", "--enqueue")
    assert queued.returncode == 0, queued.stderr[-2000:]
    assert "Enqueued check-in sweep" in queued.stdout

    _kill_while_paging(KILLED_WORKER, "the worker", env, tmp_path / "paging")

    # The missed deadline's alert is committed; no step of its escalation is.
    assert _counts(env) == {"alerts": 1, "steps": [], "notices": 0}

    # The killed task is left claimed by the dead worker, so the next minute's enqueue is what
    # the restarted worker runs: the escalation happens then, and only once.
    for _minute in range(2):
        queued = _run(env, "-m", "setu.cli", "fieldops", "sweep", "--enqueue")
        assert queued.returncode == 0, queued.stderr[-2000:]
        restarted = _run(env, "-m", "setu.cli", "db_worker", "--batch", "--no-startup-delay")
        assert restarted.returncode == 0, restarted.stderr[-2000:]

    assert _counts(env) == {"alerts": 1, "steps": [0, 1], "notices": 2}
