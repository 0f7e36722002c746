"""Each audited act leaves exactly the entry it should, and the chain still verifies."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry, Outcome
from setu.core.changes import PERSONAL_MARK
from setu.core.tests.apiclient import token_client
from setu.orgs.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _client(personas, who: str) -> Client:
    client = Client()
    client.force_login(personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def _only(**lookup) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(**lookup))
    assert len(entries) == 1, entries
    return entries[0]


@pytest.fixture(autouse=True)
def _chain_verifies_afterwards():
    yield
    _, problems = audit.verify()
    assert problems == []


def test_login_logout_and_failed_login(personas):
    client = Client()
    user = personas.users["lead"]
    bad = client.post(reverse("account_login"), {"login": "lead", "password": "wrong-password"})
    assert bad.status_code == 200
    failed = _only(action=AuditAction.LOGIN_FAILED)
    assert failed.outcome == Outcome.FAILED
    assert "lead" not in str(failed.details) and failed.actor_user_id is None
    ok = client.post(reverse("account_login"), {"login": "lead", "password": TEST_PASSWORD})
    assert ok.status_code == 302
    assert _only(action=AuditAction.LOGIN).actor_user_id == user.pk
    client.post(reverse("account_logout"))
    assert _only(action=AuditAction.LOGOUT).actor_user_id == user.pk


def test_viewing_a_person_and_a_case(personas):
    client = _client(personas, "lead")
    assert (
        client.get(reverse("registry:person-detail", args=[personas.person.pk])).status_code == 200
    )
    person_view = _only(action=AuditAction.VIEW, target_type="registry.person")
    assert person_view.target_id == str(personas.person.pk)
    assert person_view.target_org_id == personas.own_org.pk
    assert client.get(reverse("registry:case-detail", args=[personas.case.pk])).status_code == 200
    case_view = _only(action=AuditAction.VIEW, target_type="registry.case")
    assert case_view.target_id == str(personas.case.pk)


def test_partner_view_is_in_both_organisations_trails(personas):
    _client(personas, "partner").get(reverse("registry:case-detail", args=[personas.case.pk]))
    entry = _only(action=AuditAction.VIEW, target_type="registry.case")
    assert entry.actor_org_id == personas.partner_org.pk
    assert entry.target_org_id == personas.own_org.pk
    from setu.audit import selectors

    for admin in ("org_admin", "partner_admin"):
        assert selectors.entry_list(actor=personas[admin]).filter(pk=entry.pk).exists()
    assert not selectors.entry_list(actor=personas["other_admin"]).filter(pk=entry.pk).exists()


def test_create_and_update_record_before_and_after(personas):
    client = token_client(personas.users["lead"])
    created = client.post(reverse("api:person-list"), {"given_name": "Rina"}, format="json")
    person_id = created.json()["id"]
    create = _only(action=AuditAction.CREATE, target_id=person_id)
    assert create.changes["before"] is None
    # Personal values stay in the record; the append-only trail names the field (retention).
    assert create.changes["after"]["given_name"] == PERSONAL_MARK
    client.patch(
        reverse("api:person-detail", args=[person_id]), {"given_name": "Reena"}, format="json"
    )
    update = _only(action=AuditAction.UPDATE, target_id=person_id)
    assert update.changes == {
        "before": {"given_name": PERSONAL_MARK},
        "after": {"given_name": PERSONAL_MARK},
    }
    assert "Rina" not in str(create.changes) + str(update.changes)


def test_export(personas):
    password = "a strong export password"
    response = _client(personas, "org_admin").post(
        reverse("audit:entry-export"), {"password": password, "password_again": password}
    )
    b"".join(response.streaming_content)
    assert _only(action=AuditAction.EXPORT).actor_user_id == personas.users["org_admin"].pk


@pytest.mark.parametrize("channel", ["ui", "api"])
def test_denial(personas, channel):
    if channel == "ui":
        url = reverse("registry:case-detail", args=[personas.case.pk])
        response = _client(personas, "other_org").get(url)
    else:
        url = reverse("api:case-detail", args=[personas.case.pk])
        response = token_client(personas.users["other_org"]).get(url)
    assert response.status_code == 404
    denied = _only(action=AuditAction.DENIED)
    assert denied.outcome == Outcome.DENIED
    assert denied.actor_user_id == personas.users["other_org"].pk
    assert denied.target_id == str(personas.case.pk)
    assert denied.details["path"] == url
