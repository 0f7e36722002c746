"""The API's edges (issue 28): page sizes, malformed ids and parameters, JSON errors everywhere,
statuses the schema declares, no session per token call, nothing cached."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from setu.core.tests.apiclient import token_client
from setu.orgs.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _list_paths(schema) -> list[str]:
    """Every GET under /api/v1/ without path parameters that answers a page."""
    return [
        path
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/")
        and "{" not in path
        and "get" in ops
        and any(p["name"] == "limit" for p in ops["get"].get("parameters", []))
    ]


def _is_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_a_huge_limit_is_capped_not_a_server_error(personas, schema):
    paths = _list_paths(schema)
    assert len(paths) >= 10
    client = token_client(personas.users["org_admin"])
    for path in paths:
        response = client.get(path, {"limit": 2**63})
        assert response.status_code in (200, 403), (path, response.status_code)


def test_limit_is_capped_at_the_maximum_page_size(personas, settings):
    settings.SETU_API_MAX_PAGE_SIZE = 2
    OrganisationFactory.create_batch(3)
    response = token_client(personas.users["lead"]).get(
        reverse("api:organisation-list"), {"limit": 100000}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] > 2 and len(body["results"]) == 2


@pytest.mark.parametrize(
    "params",
    [{"limit": "abc"}, {"limit": "0"}, {"limit": "-5"}, {"offset": "-1"}, {"offset": 2**63}],
)
def test_malformed_paging_is_a_400_in_the_error_shape(personas, params):
    response = token_client(personas.users["lead"]).get(reverse("api:organisation-list"), params)
    error = _is_error(response, 400, "invalid")
    assert set(error["fields"]) == set(params)


@pytest.mark.parametrize(
    "params",
    [
        {"colour": "red"},  # unknown
        {"status": "NotAStatus"},  # not in the enum
        {"opened_from": "yesterday"},  # not a date
        {"district": "abc"},  # not a number
    ],
)
def test_unknown_or_malformed_query_parameters_are_refused(personas, params):
    response = token_client(personas.users["lead"]).get(reverse("api:case-list"), params)
    error = _is_error(response, 400, "invalid")
    assert set(error["fields"]) == set(params)


def test_declared_query_parameters_still_work(personas):
    response = token_client(personas.users["lead"]).get(
        reverse("api:case-list"), {"status": "Active", "opened_from": "2020-01-01", "limit": 5}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/cases/not-a-uuid/", "/api/v1/persons/1/consents/", "/api/v1/nowhere/"]
)
def test_a_url_that_resolves_nowhere_answers_json(personas, path):
    response = token_client(personas.users["lead"]).get(path)
    _is_error(response, 404, "not_found")
    # The headers the inner middleware set survive the change of body.
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_a_server_error_under_the_api_answers_json(personas, monkeypatch):
    from setu.registry import selectors

    def crash(**kwargs):
        raise RuntimeError("boom with internals")

    monkeypatch.setattr(selectors, "case_get", crash)
    client = token_client(personas.users["lead"])
    client.raise_request_exception = False
    response = client.get(reverse("api:case-detail", args=[personas.case.pk]))
    error = _is_error(response, 500, "server_error")
    assert "boom" not in error["message"]


@pytest.mark.parametrize(
    "name,arg",
    [("api:case-event-list", "case"), ("api:person-consent-list", "person")],
)
def test_nested_lists_answer_the_page_the_schema_describes(personas, schema, name, arg):
    obj = getattr(personas, arg)
    url = reverse(name, args=[obj.pk])
    response = token_client(personas.users["lead"]).get(url)
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}
    template = url.replace(str(obj.pk), "{" + arg + "_id}")
    ok = schema["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]
    ref = ok["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {
        "count",
        "next",
        "previous",
        "results",
    }


def test_every_operation_declares_the_error_statuses(schema):
    for path, ops in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, op in ops.items():
            missing = {"400", "401", "403", "404", "429"} - set(op["responses"])
            assert not missing, (method, path, missing)
            assert op["responses"]["404"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }


def test_throttled_requests_get_429_in_the_error_shape(personas, settings):
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
    original = UserRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = {"user": "2/minute"}
    try:
        client = token_client(personas.users["lead"])
        url = reverse("api:organisation-list")
        statuses = [client.get(url).status_code for _ in range(3)]
        assert statuses[:2] == [200, 200]
        response = client.get(url)
        _is_error(response, 429, "throttled")
        assert "Retry-After" in response
    finally:
        UserRateThrottle.THROTTLE_RATES = original
        cache.clear()


def test_bearer_requests_create_no_session_and_set_no_cookie(personas):
    client = token_client(personas.users["lead"])
    before = Session.objects.count()
    for name in ("api:organisation-list", "api:case-list"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert not response.cookies, response.cookies
        assert "Set-Cookie" not in response
    assert Session.objects.count() == before


def test_a_browser_session_still_works_with_the_api(personas):
    client = APIClient()
    client.force_login(personas.users["lead"])
    assert client.get(reverse("api:organisation-list")).status_code == 200


def test_api_and_person_pages_are_not_cached(client, personas):
    response = token_client(personas.users["lead"]).get(reverse("api:organisation-list"))
    assert "no-store" in response["Cache-Control"]
    anonymous = APIClient().get(reverse("api:organisation-list"))
    assert "no-store" in anonymous["Cache-Control"]
    client.force_login(personas.users["lead"])
    for url in (
        reverse("registry:person-detail", args=[personas.person.pk]),
        reverse("registry:case-detail", args=[personas.case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url


def test_errors_of_list_items_answer_the_shape_the_schema_promises(personas):
    """Found by Schemathesis (promise 9): a bad item of a list field answered
    ``{"languages": {"0": [...]}}`` where the schema promises a list of messages per field; the
    messages now go to the field a client knows, ``languages``."""
    client = token_client(personas.users["lead"])
    response = client.post(
        "/api/v1/persons/", {"given_name": "Test", "languages": [""]}, format="json"
    )
    error = _is_error(response, 400, "invalid")
    assert error["fields"]
    for name, messages in error["fields"].items():
        assert isinstance(name, str)
        assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)
    assert error["fields"]["languages"] == ["This field may not be blank."]
