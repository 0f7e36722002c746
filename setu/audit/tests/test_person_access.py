"""Promise 10 of issue 28: breach readiness. An organisation admin lists every access to one
person's records, from every organisation, and exports it (CSV, JSON) for the 72-hour notice of
India's DPDP Rules; listing and exporting are audited."""

from __future__ import annotations

import csv
import io
import json

import pytest
import pyzipper
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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


PASSWORD = "a strong export password"


def _download(client, person_id, fmt: str, password: str = PASSWORD):
    url = reverse("audit:person-access-export", args=[person_id, fmt])
    return client.post(url, {"password": password, "password_again": password})


def _open(response, password: str = PASSWORD) -> tuple[str, str]:
    """The one report file inside the encrypted ZIP (its text) and the package's watermark."""
    archive = pyzipper.AESZipFile(io.BytesIO(b"".join(response.streaming_content)))
    archive.setpassword(password.encode())
    (name,) = [n for n in archive.namelist() if n != "WATERMARK.txt"]
    return archive.read(name).decode(), archive.read("WATERMARK.txt").decode().strip()


def _rows(fmt: str, text: str, mark: str) -> list[dict]:
    if fmt == "json":
        data = json.loads(text)
        assert data["watermark"] == mark
        return data["accesses"]
    first, _, body = text.partition("\n")
    assert first == "# " + mark
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_report_downloads_encrypted_watermarked_and_audited(personas, fmt):
    _touch(personas)
    client = _as(personas, "org_admin")
    page = client.get(reverse("audit:person-access-export", args=[personas.person.pk, fmt]))
    assert page.status_code == 200 and b'type="password"' in page.content
    response = _download(client, personas.person.pk, fmt)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert str(personas.person.pk) not in response["Content-Disposition"]
    blob = b"".join(response.streaming_content)
    assert b"entry_hash" not in blob and b"lead" not in blob  # nothing readable without it
    locked = pyzipper.AESZipFile(io.BytesIO(blob))
    locked.setpassword(b"not the password")
    with pytest.raises(RuntimeError):
        locked.read(next(n for n in locked.namelist() if n.endswith(fmt)))
    text, mark = _open(type("R", (), {"streaming_content": [blob]})())
    assert text.startswith("# " + mark if fmt == "csv" else '{\n "watermark": ')
    assert "org_admin" in mark and timezone.localtime().strftime("%d-%m-%Y") in mark
    rows = _rows(fmt, text, mark)
    actors = {r["actor"] for r in rows}
    assert {"lead", "partner", "other_org"} <= actors
    assert all(r["entry_hash"] for r in rows)
    # A name given to the person travels in no row: values of changes are left out.
    assert personas.person.given_name not in text
    export = AuditEntry.objects.get(action=AuditAction.EXPORT, details__what="person_access_report")
    assert export.details["format"] == f"person_access_{fmt}"
    assert export.details["rows"] == len(rows)
    assert export.details["encryption"] == "zip-aes-256"
    assert export.details["export_id"] in mark
    assert export.target_id == str(personas.person.pk)


def test_a_short_or_mismatched_password_sends_nothing(personas):
    client = _as(personas, "org_admin")
    short = _download(client, personas.person.pk, "csv", password="short")
    assert short.status_code == 200 and b"errorlist" in short.content
    url = reverse("audit:person-access-export", args=[personas.person.pk, "json"])
    differ = client.post(url, {"password": PASSWORD, "password_again": PASSWORD + "x"})
    assert differ.status_code == 200 and b"errorlist" in differ.content
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("who", ["lead", "counsellor", "analyst", "partner_admin", "other_admin"])
def test_only_the_owning_organisations_admin_gets_the_report(personas, who):
    client = _as(personas, who)
    for fmt in ("csv", "json"):
        url = reverse("audit:person-access-export", args=[personas.person.pk, fmt])
        assert client.get(url).status_code in (403, 404)
        assert _download(client, personas.person.pk, fmt).status_code in (403, 404)
    page = client.get(reverse("audit:person-access", args=[personas.person.pk]))
    assert page.status_code in (403, 404)
    assert not AuditEntry.objects.filter(details__what="person_access_report").exists()


def test_each_format_is_its_own_permission(personas, monkeypatch):
    """The policy's export table decides per format: taking JSON away leaves CSV."""
    from setu.access import policy

    key = ("export.person_access_json", policy.Action.EXPORT)
    monkeypatch.setitem(policy.CLASS_RULES, key, lambda a: False)
    client = _as(personas, "org_admin")
    assert _download(client, personas.person.pk, "json").status_code == 403
    assert _download(client, personas.person.pk, "csv").status_code == 200


def test_an_unknown_format_is_not_found(personas):
    client = _as(personas, "org_admin")
    response = _download(client, personas.person.pk, "xlsx")
    assert response.status_code == 404
