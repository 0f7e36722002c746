"""Promise 10 of issue 28: breach readiness. An organisation admin lists every access to one
person's records, from every organisation, and exports it (CSV, JSON) for the 72-hour notice of
India's DPDP Rules; listing and exporting are audited."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditAction, AuditEntry, Outcome
from setu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _as(personas, who: str) -> Client:
    client = Client()
    client.force_login(personas.users[who])
    return client


def _touch(personas) -> dict[str, int]:
    """Accesses by three organisations: the lead, the partner through the share, a refused probe."""
    person = personas.person
    _as(personas, "lead").get(reverse("registry:person-detail", args=[person.pk]))
    _as(personas, "lead").get(reverse("registry:case-detail", args=[personas.case.pk]))
    _as(personas, "partner").get(reverse("registry:case-detail", args=[personas.case.pk]))
    probe = _as(personas, "other_org").get(reverse("registry:person-detail", args=[person.pk]))
    assert probe.status_code == 404
    # Someone else's person: must not appear in her report.
    stranger = PersonFactory(owner_org=personas.own_org)
    _as(personas, "lead").get(reverse("registry:person-detail", args=[stranger.pk]))
    return {"stranger": stranger.pk}


def test_the_admin_lists_every_access_to_a_person_from_every_organisation(personas):
    extra = _touch(personas)
    response = _as(personas, "org_admin").get(
        reverse("audit:person-access", args=[personas.person.pk])
    )
    assert response.status_code == 200
    entries = [line.entry for line in response.context["lines"]]
    who = {(e.actor_label, e.outcome) for e in entries}
    assert ("lead", Outcome.OK) in who
    assert ("partner", Outcome.OK) in who  # through the share, on the case she is in
    assert ("other_org", Outcome.DENIED) in who  # the refused probe
    assert all(e.target_id != str(extra["stranger"]) for e in entries)
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    # Opening the report is itself recorded.
    assert AuditEntry.objects.filter(
        action=AuditAction.LIST,
        actor_user_id=personas.users["org_admin"].pk,
        details__what="person_access_report",
    ).exists()


def _accesses(body: str) -> list[dict]:
    return json.loads(body)["accesses"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_report_downloads_as_csv_and_json_and_the_download_is_audited(personas, fmt):
    _touch(personas)
    response = _as(personas, "org_admin").get(
        reverse("audit:person-access-export", args=[personas.person.pk, fmt])
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert str(personas.person.pk) not in response["Content-Disposition"]
    body = response.content.decode()
    parse = {"csv": lambda b: list(csv.DictReader(io.StringIO(b))), "json": _accesses}
    rows = parse[fmt](body)
    actors = {r["actor"] for r in rows}
    assert {"lead", "partner", "other_org"} <= actors
    assert all(r["entry_hash"] for r in rows)
    # A name given to the person travels in no row: values of changes are left out.
    assert personas.person.given_name not in body
    export = AuditEntry.objects.get(action=AuditAction.EXPORT, details__what="person_access_report")
    assert export.details["format"] == fmt and export.details["rows"] == len(rows)
    assert export.target_id == str(personas.person.pk)


@pytest.mark.parametrize("who", ["lead", "counsellor", "analyst", "partner_admin", "other_admin"])
def test_only_the_owning_organisations_admin_gets_the_report(personas, who):
    client = _as(personas, who)
    for url in (
        reverse("audit:person-access", args=[personas.person.pk]),
        reverse("audit:person-access-export", args=[personas.person.pk, "csv"]),
    ):
        assert client.get(url).status_code in (403, 404)
    assert not AuditEntry.objects.filter(details__what="person_access_report").exists()


def test_an_unknown_format_is_not_found(personas):
    response = _as(personas, "org_admin").get(
        reverse("audit:person-access-export", args=[personas.person.pk, "xlsx"])
    )
    assert response.status_code == 404
