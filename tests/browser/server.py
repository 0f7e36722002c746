"""A Setu server for the browser suite: a fresh SQLite database with the demo network, served by
`runserver` on a free loopback port, with the settings a demo deployment uses (DEBUG off)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The demo's published password (README): the server runs in demo mode only.
DEMO_PASSWORD = "setu-demo-2026"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SETU_", "DJANGO_"))}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "SETU_DEMO_MODE": "true",
            "SETU_DEBUG": "false",
            # Matching and notices happen while the request is answered, as a worker would do
            # them moments later; the journeys need their results on the next page.
            "SETU_TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "SETU_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The demo's photos and documents go beside the database, never into var/.
            "SETU_UPLOAD_DIR": str(database.parent / "uploads"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@dataclass
class LiveSetu:
    """A running Setu: its base URL, its database and where its log goes."""

    url: str
    database: Path
    log: Path
    timings: dict[str, float] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def to_json(self) -> str:
        return json.dumps(
            {"url": self.url, "database": str(self.database), "log": str(self.log)}
            | {"timings": self.timings}
        )

    @classmethod
    def from_json(cls, text: str) -> LiveSetu:
        """A server another process started and stops (``process`` is None here)."""
        data = json.loads(text)
        return cls(data["url"], Path(data["database"]), Path(data["log"]), data["timings"])

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _run(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a", encoding="utf-8") as out:
        subprocess.run(  # noqa: S603 - our own interpreter and management commands
            [sys.executable, "-m", "setu.cli", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )


def start(
    *, persons: int | None = None, rematch: bool = False, migrated: Path | None = None
) -> LiveSetu:
    """Migrate a new database, load the demo network into it and serve it.

    ``migrated``: a migrated, empty SQLite database to start from instead of migrating (a copy
    is served; ``scripts/test`` hands over the template its database runs are copied from,
    ``SETU_BROWSER_MIGRATED``), which saves ``migrate``'s 20 s of CPU.

    The story-line persons are matched as the demo is loaded (``--match-story-lines``: a few
    dozen records, seconds): their pairs are real, and a record a journey saves is checked
    against them. With ``rematch``, the whole demo is matched too (``setu matching rematch``,
    what ``make run`` starts in the background; minutes of CPU): the match queues and the
    check before creating then show every pair and record of the demo. The journeys do
    without it, which keeps the suite's start-up short.
    """
    workdir = Path(tempfile.mkdtemp(prefix="setu-browser-"))
    database, log = workdir / "setu.sqlite3", workdir / "server.log"
    env = _environment(database)
    timings = {}
    started = time.monotonic()
    if migrated:
        shutil.copyfile(migrated, database)
    else:
        _run(["migrate", "--noinput"], env, log)
    timings["migrate"] = time.monotonic() - started
    started = time.monotonic()
    sizes = ["--persons", str(persons)] if persons else []
    _run(["demo", "load", "--match-story-lines", *sizes], env, log)
    timings["demo load"] = time.monotonic() - started
    if rematch:
        started = time.monotonic()
        _run(["matching", "rematch"], env, log)
        timings["rematch"] = time.monotonic() - started
    return serve(database, timings=timings)


def serve(database: Path, *, timings: dict[str, float] | None = None) -> LiveSetu:
    """Serve an existing database (made by ``start``) as a demo deployment."""
    env = _environment(database)
    log = database.parent / "server.log"
    timings = timings or {}
    port = _free_port()
    out = log.open("a", encoding="utf-8")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and management command
        [sys.executable, "-m", "setu.cli", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    live = LiveSetu(f"http://127.0.0.1:{port}", database, log, timings, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start-up:\n{live.log_tail()}")
        try:
            with urllib.request.urlopen(f"{live.url}/health", timeout=2):  # noqa: S310 - loopback
                return live
        except OSError:
            time.sleep(0.2)
    live.stop()
    raise RuntimeError(f"the server did not answer within 60 s:\n{live.log_tail()}")


# Under pytest-xdist the controller starts one server for every worker and names, in this
# variable, a directory where it writes the server's address once it answers (``publish``).
SHARED_ENV = "SETU_BROWSER_SHARED"
_READY, _FAILED = "server.json", "server.error"


def publish(directory: Path, live: LiveSetu | None, error: str = "") -> None:
    """Tell the workers waiting in ``directory`` where the server is, or why there is none."""
    name, text = (_READY, live.to_json()) if live else (_FAILED, error)
    partial = directory / f".{name}"
    partial.write_text(text, encoding="utf-8")
    partial.rename(directory / name)  # whole or absent: a worker never reads half of it


def wait_for_shared(directory: Path, *, timeout: float = 1800) -> LiveSetu:
    """The server the controller is starting (the demo load takes minutes on a busy machine)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (directory / _READY).exists():
            return LiveSetu.from_json((directory / _READY).read_text(encoding="utf-8"))
        if (directory / _FAILED).exists():
            raise RuntimeError((directory / _FAILED).read_text(encoding="utf-8"))
        time.sleep(0.2)
    raise RuntimeError(f"no browser server within {timeout:.0f} s")
