"""Fixtures of the browser suite: one demo server and one Chromium per run, a fresh browser
context per test in each language and viewport, and a page that fails the test on any console
error, uncaught exception, failed request or 4xx/5xx response."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser import server

try:
    from playwright import sync_api
except ImportError:  # the dev extra is not installed: nothing here can run
    sync_api = None
    collect_ignore_glob = ["test_*.py"]
else:
    # As long as the pages' own timeout (``_open_page``): an assertion that waits for what a
    # page shows must not give up sooner on a busy machine than a click does.
    sync_api.expect.set_options(timeout=30_000)

CHROMIUM = os.environ.get("SETU_CHROMIUM", "/usr/bin/chromium")


@dataclass(frozen=True)
class Variant:
    """A language and a viewport the journeys run in."""

    language: str
    device: str
    width: int
    height: int

    @property
    def phone(self) -> bool:
        return self.device == "phone"

    def __str__(self) -> str:
        return f"{self.language}-{self.device}"


DESKTOP, PHONE = ("desktop", 1280, 800), ("phone", 390, 844)
VARIANTS = [Variant(lang, *vp) for lang in ("en", "bn") for vp in (DESKTOP, PHONE)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "variant" in metafunc.fixturenames:
        metafunc.parametrize("variant", VARIANTS, ids=str, scope="function")


# The modules by the time their journeys take, longest first (docs/testing.md). Under
# `--dist loadfile` a worker takes the next module when it is done with one: the short ones
# left for last even out the end, instead of one worker walking a long journey while the other
# has nothing left (xdist's own order, by number of tests, which scripts/test-browser turns
# off, counts skipped variants and sent the longest near the end). Unnamed modules come after.
LONGEST_FIRST = [
    "test_registry.py",
    "test_legal.py",
    "test_matching.py",
    "test_referrals.py",
    "test_shelter.py",
    "test_navigation.py",
    "test_security_pages.py",
    "test_entitlements.py",
    "test_network_overview.py",
    "test_audit.py",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole run's items: only this directory's trade places, among the
    # places they already hold.
    here = Path(__file__).parent
    places = [i for i, item in enumerate(items) if item.path.parent == here]
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    # A stable sort: a module's own tests (its variants) keep their order.
    ordered = sorted((items[i] for i in places), key=lambda it: rank.get(it.path.name, len(rank)))
    for i, item in zip(places, ordered, strict=True):
        items[i] = item


FAILURES = Path(__file__).resolve().parents[2] / "var" / "browser-failures"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed


_CALL_FAILED = pytest.StashKey[bool]()


def _start_server() -> server.LiveSetu:
    prepared = os.environ.get("SETU_BROWSER_DATABASE")
    if prepared:
        # Iterating on a journey: serve a copy of a database an earlier run kept
        # (SETU_BROWSER_KEEP=true), instead of loading the demo again (minutes when busy).
        workdir = Path(tempfile.mkdtemp(prefix="setu-browser-"))
        shutil.copyfile(prepared, workdir / "setu.sqlite3")
        return server.serve(workdir / "setu.sqlite3")
    migrated = os.environ.get("SETU_BROWSER_MIGRATED")
    return server.start(migrated=Path(migrated) if migrated else None)


def _stop_server(live: server.LiveSetu) -> None:
    live.stop()
    if os.environ.get("SETU_BROWSER_KEEP") != "true":
        shutil.rmtree(live.database.parent, ignore_errors=True)


def _runs_browser_tests(config: pytest.Config) -> bool:
    """Whether this run selects the browser suite (``-m browser``; ``pyproject.toml`` leaves it
    out of ordinary runs)."""
    from _pytest.mark.expression import Expression

    markexpr = config.getoption("markexpr", "") or ""
    return bool(markexpr) and Expression.compile(markexpr).evaluate(
        lambda name, **_: name == "browser"
    )


class SharedServer:
    """Under pytest-xdist: one demo server for every worker, started by the controller.

    Each worker would otherwise load its own demo (the largest part of the suite's start). The
    server starts in the background, so the workers start Python, collect and launch Chromium
    meanwhile; they find its address in the directory named by ``server.SHARED_ENV``, which
    they inherit (``wait_for_shared``)."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="setu-browser-shared-"))
        os.environ[server.SHARED_ENV] = str(self.directory)
        self.live: server.LiveSetu | None = None
        self.thread = threading.Thread(target=self._start, name="setu-browser-server")
        self.thread.start()

    def _start(self) -> None:
        try:
            self.live = _start_server()
        except Exception as exc:  # reported to every worker, which fails with it
            server.publish(self.directory, None, f"the browser server did not start: {exc}")
        else:
            server.publish(self.directory, self.live)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.live and self.live.timings:
            spent = ", ".join(f"{k} {v:.1f} s" for k, v in self.live.timings.items())
            terminalreporter.write_line(f"browser server start (wall): {spent}")

    def close(self) -> None:
        self.thread.join()
        if self.live:
            _stop_server(self.live)
        shutil.rmtree(self.directory, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    # Only the xdist controller (which runs no test) starts the shared server; a run without
    # xdist starts its own in ``live_setu``.
    workers = getattr(config.option, "numprocesses", None)
    if hasattr(config, "workerinput") or not workers or sync_api is None:
        return
    if Path(CHROMIUM).exists() and _runs_browser_tests(config):
        config.pluginmanager.register(SharedServer(), "setu-browser-server")


def pytest_unconfigure(config: pytest.Config) -> None:
    shared = config.pluginmanager.get_plugin("setu-browser-server")
    if shared:
        shared.close()


@pytest.fixture(scope="session")
def live_setu() -> Iterator[server.LiveSetu]:
    """The demo network served by a real server, shared by every test of the run (and by
    every xdist worker: the controller's, ``SharedServer``)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's 'chromium' package")
    shared = os.environ.get(server.SHARED_ENV)
    if shared:
        yield server.wait_for_shared(Path(shared))
        return
    live = _start_server()
    yield live
    _stop_server(live)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium per process; it needs no server, so under xdist it starts while
    the controller's server loads the demo."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's 'chromium' package")
    with sync_api.sync_playwright() as playwright:
        # No GPU (SwiftShader, in software anyway): with it an idle headless Chromium with four
        # pages open spent about 5 % of a core ticking frames (1.0 s of CPU in 20 s; 0.06 s
        # without), and the journeys mostly wait on the server. Layout is the same.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        yield browser
        browser.close()


@dataclass
class Problems:
    """Everything that went wrong in the page while a test ran."""

    found: list[str] = field(default_factory=list)
    expected: list[tuple[re.Pattern[str], int]] = field(default_factory=list)
    downloads: list[re.Pattern[str]] = field(default_factory=list)

    def expect(self, url_pattern: str, status: int) -> None:
        """A response the journey provokes on purpose (e.g. an outsider's 404)."""
        self.expected.append((re.compile(url_pattern), status))

    def expect_download(self, url_pattern: str) -> None:
        """A request that answers with a file: the browser ends its navigation there (it
        reports the request as aborted) and saves the file instead."""
        self.downloads.append(re.compile(url_pattern))

    def request_failed(self, request: Any) -> None:
        # The one exception, and why: an XHR the page itself aborts (htmx dropping a check that
        # a newer keystroke superseded, or the page being left while one is in flight) is the
        # client changing its mind, not a failure. Its server side is still checked: any 4xx
        # or 5xx response is reported by `response` below.
        if request.resource_type in ("xhr", "fetch") and request.failure == "net::ERR_ABORTED":
            return
        # The browser's own favicon fetch, cut off when the test closes the page: no page asked
        # for it, and its server side is still checked by `response` below.
        if request.failure == "net::ERR_ABORTED" and request.url.endswith("/favicon.svg"):
            return
        # A download the journey asked for: the navigation stops where the file begins.
        if request.failure == "net::ERR_ABORTED" and any(
            p.search(request.url) for p in self.downloads
        ):
            return
        self.found.append(f"request failed: {request.method} {request.url} {request.failure}")

    def response(self, response: Any) -> None:
        if response.status < 400:
            return
        if any(p.search(response.url) and s == response.status for p, s in self.expected):
            return
        self.found.append(f"HTTP {response.status} {response.request.method} {response.url}")


@pytest.fixture
def problems() -> Problems:
    return Problems()


@pytest.fixture(scope="session")
def variant_pages(chromium, live_setu) -> Iterator[dict[Variant, Any]]:
    """One browser context and page per variant for the whole run, opened when first needed.

    A new context per test cost Chromium a new page and renderer each time (about a fifth of
    its CPU in the suite) and the server the static files again. Each test still starts as a
    new visitor: no cookies, no storage, a blank page, only its own listeners (``page``)."""
    pages: dict[Variant, Any] = {}
    yield pages
    for page in pages.values():
        page.context.close()


def _open_page(chromium, live_setu, variant: Variant) -> Any:
    context = chromium.new_context(
        base_url=live_setu.url,
        viewport={"width": variant.width, "height": variant.height},
        device_scale_factor=1,
        is_mobile=variant.phone,
        has_touch=variant.phone,
        locale=variant.language,
    )
    # Generous: seven engineers share two cores; a healthy page answers in well under a second.
    context.set_default_timeout(30_000)
    return context.new_page()


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    chromium,
    live_setu,
    variant_pages: dict[Variant, Any],
    variant: Variant,
    problems: Problems,
) -> Iterator[Any]:
    """The variant's page, blank, with no cookies but the language's, reporting to this test."""
    if variant not in variant_pages or variant_pages[variant].is_closed():
        variant_pages[variant] = _open_page(chromium, live_setu, variant)
    page = variant_pages[variant]
    context = page.context
    context.clear_cookies()
    context.add_cookies(
        [{"name": "django_language", "value": variant.language, "url": live_setu.url}]
    )
    listeners = {
        "console": lambda m: m.type == "error" and problems.found.append(f"console: {m.text}"),
        "pageerror": lambda exc: problems.found.append(f"uncaught: {exc}"),
        "requestfailed": problems.request_failed,
        "response": problems.response,
    }
    for event, listener in listeners.items():
        page.on(event, listener)
    yield page
    if request.node.stash.get(_CALL_FAILED, False):
        # What the browser showed when the journey failed (var/ is not committed).
        FAILURES.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        page.screenshot(path=FAILURES / f"{name}.png", full_page=True)
        (FAILURES / f"{name}.html").write_text(page.content(), encoding="utf-8")
    for event, listener in listeners.items():
        page.remove_listener(event, listener)
    # Nothing of this test reaches the next one: its storage goes (htmx keeps its history in
    # sessionStorage), then the page itself, with any request still in flight.
    if page.url.startswith(live_setu.url):
        page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    page.goto("about:blank")
    context.clear_cookies()
    assert not problems.found, (
        "the browser saw problems:\n"
        + "\n".join(problems.found)
        + f"\n--- server log ---\n{live_setu.log_tail()}"
    )
