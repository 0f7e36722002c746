"""The API as a whole: authentication, the one error shape, denials audited, schema and docs."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from setu.audit.models import AuditAction, AuditEntry, Outcome
from setu.core.tests.apiclient import token_client

pytestmark = pytest.mark.django_db


def test_no_token_is_401_in_the_error_shape():
    response = APIClient().get(reverse("api:organisation-list"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_bad_token_is_401_and_audited_as_failed_sign_in():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer setu_not-a-real-token")
    response = client.get(reverse("api:organisation-list"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.outcome == Outcome.FAILED
    assert "setu_not" not in str(entry.details)  # the token itself is never kept


def test_revoked_token_is_401(personas):
    from django.utils import timezone

    from setu.accounts.models import ApiToken

    client = token_client(personas.users["lead"])
    ApiToken.objects.filter(user=personas.users["lead"]).update(revoked_at=timezone.now())
    assert client.get(reverse("api:organisation-list")).status_code == 401


def test_token_works_and_session_works(personas):
    assert (
        token_client(personas.users["lead"]).get(reverse("api:organisation-list")).status_code
        == 200
    )
    session = APIClient()
    session.force_login(personas.users["lead"])
    assert session.get(reverse("api:organisation-list")).status_code == 200


def test_out_of_scope_is_404_and_the_denial_is_audited(personas):
    url = reverse("api:organisation-member-list", args=[personas.own_org.pk])
    response = token_client(personas.users["other_admin"]).get(url)
    assert response.status_code == 403
    assert response.json() == {"error": {"code": "forbidden", "message": "Not allowed."}}
    entry = AuditEntry.objects.get(action=AuditAction.DENIED)
    assert entry.outcome == Outcome.DENIED
    assert entry.actor_user_id == personas.users["other_admin"].pk
    assert entry.target_org_id == personas.own_org.pk
    assert entry.details["path"] == url
    assert entry.details["method"] == "GET"


def test_unknown_organisation_is_404_and_audited(personas):
    import uuid

    url = reverse("api:organisation-detail", args=[uuid.uuid4()])
    response = token_client(personas.users["lead"]).get(url)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, outcome=Outcome.DENIED).exists()


def test_schema_is_served_and_valid(personas):
    from drf_spectacular.validation import validate_schema

    client = APIClient()
    client.force_login(personas.users["lead"])
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert "/api/v1/organisations/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


OWN_API_MODULES = ("setu/core/", "setu/orgs/", "setu/registry/", "setu/audit/")


def test_spectacular_command_validates(tmp_path, capsys):
    """``setu spectacular --validate``: the schema is valid OpenAPI, and the core, orgs and
    registry endpoints produce no generator warning or error (each app answers for its own)."""
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--file", str(out))
    assert "openapi:" in out.read_text()
    complaints = [
        line
        for line in capsys.readouterr().err.splitlines()
        if any(module in line for module in OWN_API_MODULES)
    ]
    assert not complaints, "\n".join(complaints)


@pytest.mark.parametrize("name", ["api-docs", "api-redoc"])
def test_docs_pages_load_nothing_from_another_host(personas, name):
    client = APIClient()
    client.force_login(personas.users["lead"])
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), html
    assert "cdn" not in html.lower()
