"""Every URL × every persona: allowed or refused. A URL without an entry fails the suite."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import setu
from tests.authz import PERSONAS, Entry

LOGIN_PATH = "/accounts/login/"

# On PostgreSQL every request of the matrix runs as setu_app, under row-level security, as the
# web servers do: a rule the policy and the database disagree on fails here
# (docs/row-level-security.md, "The authorisation matrix under the plugin").
pytestmark = pytest.mark.app_role


def _all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                child_ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern, child_ns)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL pattern {pattern.pattern} has no name"
                names.add(namespace + pattern.name)

    walk(get_resolver(), "")
    return names


def _all_entries() -> dict[tuple[str, str], Entry]:
    """Entries by URL name and method: a page that takes a form (a GET page and its POST) may
    have one entry per method."""
    entries: dict[tuple[str, str], Entry] = {}
    for module in pkgutil.iter_modules(setu.__path__):
        try:
            authz = importlib.import_module(f"setu.{module.name}.tests.authz")
        except ModuleNotFoundError:
            continue
        for entry in authz.ENTRIES:
            key = (entry.url_name, entry.method)
            assert key not in entries, f"{entry.url_name} has two {entry.method} matrix entries"
            entries[key] = entry
    return entries


ENTRIES = _all_entries()
COVERED = {name for name, _method in ENTRIES}


def test_every_url_has_a_matrix_entry():
    missing = _all_url_names() - COVERED
    assert not missing, f"URLs with no authorization-matrix entry: {sorted(missing)}"


def test_matrix_has_no_stale_entries():
    stale = COVERED - _all_url_names()
    assert not stale, f"Matrix entries for URLs that no longer exist: {sorted(stale)}"


@pytest.fixture(scope="module")
def sessions(module_personas) -> dict[str, str]:
    """Each signed-in persona's session key, made once per module: every request below runs in
    a savepoint that is rolled back, so the session rows (and the login's audit entry) stay as
    they were made, and a fresh client carrying the key is that persona."""
    keys = {}
    for who in PERSONAS:
        if who != "anonymous":
            client = Client()
            client.force_login(
                module_personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1]
            )
            keys[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def _client_for(sessions: dict[str, str], who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[who]
    return client


# One test per URL and method. The personas are built and signed in once per module (and xdist
# worker), and each persona's request runs in a savepoint that is rolled back, so every request
# still meets the same untouched data (a POST one persona may make cannot change what the next
# one sees, or what the next URL's test sees). Rate-limit counters and other cache entries are
# not rolled back: the cache is cleared before each URL.
CASES = sorted(ENTRIES)


def _verdict(entry: Entry, who: str, response) -> str | None:
    """Why the response breaks the entry's rule for this persona, or None when it keeps it."""
    status = response.status_code
    went_to_login = status == 302 and response["Location"].startswith(LOGIN_PATH)
    if who in entry.allowed:
        if not (status < 400 or status in entry.ok_statuses):
            return f"{who} should reach {entry.url_name}: got {status}"
        if went_to_login:
            return f"{who} was sent to log in at {entry.url_name}"
    elif who == "anonymous":
        if entry.is_api and status not in (401, 403):
            return f"anonymous got {status} from API {entry.url_name}"
        if not entry.is_api and not went_to_login:
            return f"anonymous got {status} from {entry.url_name}, not a login redirect"
    elif status not in (403, 404):
        return f"{who} should be refused at {entry.url_name}: got {status}"
    return None


@pytest.mark.parametrize(("url_name", "method"), CASES)
def test_authorization_matrix(url_name, method, module_personas, sessions, db):
    personas = module_personas
    cache.clear()
    entry = ENTRIES[url_name, method]
    # PATCH and PUT carry JSON (the test client sends form encoding only with POST).
    json_body = {"content_type": "application/json"} if entry.method in ("patch", "put") else {}
    broken: list[str] = []
    for who in PERSONAS:
        with transaction.atomic():
            url = reverse(url_name, kwargs=entry.kwargs(personas) if entry.kwargs else None)
            data = entry.data(personas) if entry.data else None
            response = getattr(_client_for(sessions, who), entry.method)(
                url, data=data, **json_body
            )
            problem = _verdict(entry, who, response)
            transaction.set_rollback(True)
        if problem:
            broken.append(problem)
    assert broken == [], "\n".join(broken)
