"""The organisation admin's audit trail: filters, pages, one entry, CSV export."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import pyzipper
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from setu.audit import services as audit
from setu.audit.models import AuditAction, AuditEntry, Outcome

pytestmark = pytest.mark.django_db


def _client(personas, who: str) -> Client:
    client = Client()
    client.force_login(personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def _seqs(response) -> set[int]:
    return {e.seq for e in response.context["page"].object_list}


@pytest.fixture
def trail(personas):
    """A few entries about the own organisation, the partner and the unrelated organisation."""
    view = audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    update = audit.record(
        actor=personas["lead"],
        action=AuditAction.UPDATE,
        target=personas.person,
        changes={"before": {"father_name": ""}, "after": {"father_name": "Gopal"}},
    )
    # A partner member's act on the own organisation's record (as through a share).
    partner_edit = audit.record(
        actor=personas["partner"],
        action=AuditAction.UPDATE,
        target=personas.case,
        changes={"before": {"summary": "old"}, "after": {"summary": "Found in transit"}},
    )
    denied = audit.record(
        actor=personas["other_org"],
        action=AuditAction.DENIED,
        outcome=Outcome.DENIED,
        target=personas.case,
    )
    elsewhere = audit.record(
        actor=personas["other_admin"], action=AuditAction.ADMIN, target=personas.other_org
    )
    return {
        "view": view,
        "update": update,
        "partner_edit": partner_edit,
        "denied": denied,
        "elsewhere": elsewhere,
    }


def test_admin_sees_own_org_entries_only(personas, trail):
    response = _client(personas, "org_admin").get(reverse("audit:entry-list"))
    seqs = _seqs(response)
    mine = {"view", "update", "partner_edit", "denied"}
    assert {trail[k].seq for k in mine} <= seqs
    assert trail["elsewhere"].seq not in seqs


def test_partner_admin_sees_what_their_member_did_elsewhere(personas, trail):
    seqs = _seqs(_client(personas, "partner_admin").get(reverse("audit:entry-list")))
    assert trail["partner_edit"].seq in seqs
    assert trail["view"].seq not in seqs


def test_caseworkers_cannot_read_the_trail(personas):
    assert _client(personas, "lead").get(reverse("audit:entry-list")).status_code == 403


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "update"}, {"update", "partner_edit"}),
        ({"outcome": "denied"}, {"denied"}),
        ({"record_type": "registry.person"}, {"update"}),
    ],
)
def test_filters(personas, trail, params, expected):
    response = _client(personas, "org_admin").get(reverse("audit:entry-list"), params)
    seqs = _seqs(response) & {e.seq for e in trail.values()}
    assert seqs == {trail[k].seq for k in expected}


def test_filter_by_member(personas, trail):
    params = {"actor": str(personas.users["lead"].pk)}
    seqs = _seqs(_client(personas, "org_admin").get(reverse("audit:entry-list"), params))
    assert seqs == {trail["view"].seq, trail["update"].seq}


def test_filter_by_someone_outside_the_org_is_refused(personas, trail):
    params = {"actor": str(personas.users["partner"].pk)}
    response = _client(personas, "org_admin").get(reverse("audit:entry-list"), params)
    assert "actor" in response.context["filter_form"].errors


def test_filter_by_date_range(personas, trail):
    today = timezone.localdate()
    client = _client(personas, "org_admin")
    in_range = {"date_from": today.isoformat(), "date_to": today.isoformat()}
    assert trail["view"].seq in _seqs(client.get(reverse("audit:entry-list"), in_range))
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert _seqs(client.get(reverse("audit:entry-list"), {"date_from": tomorrow})) == set()
    backwards = client.get(reverse("audit:entry-list"), {"date_from": tomorrow, "date_to": today})
    assert "date_to" in backwards.context["filter_form"].errors


def _queries(client, url, **params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_pages_with_a_flat_query_count(personas):
    client = _client(personas, "org_admin")
    url = reverse("audit:entry-list")
    audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    client.get(url)  # warm the session
    few = _queries(client, url)
    for _ in range(60):
        audit.record(actor=personas["partner"], action=AuditAction.VIEW, target=personas.case)
    many = _queries(client, url)
    assert many == few  # not one query per entry or per organisation on the page
    first = client.get(url)
    assert len(first.context["page"].object_list) == 50
    second = client.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == 11
    assert 'rel="next"' in first.content.decode()


def test_detail_shows_changes_to_the_owning_admin(personas, trail):
    url = reverse("audit:entry-detail", args=[trail["update"].entry_hash])
    response = _client(personas, "org_admin").get(url)
    assert response.status_code == 200
    assert response.context["changes"] == [("father_name", "", "Gopal")]
    assert "Gopal" in response.content.decode()


def test_detail_hides_another_orgs_changes_from_the_actors_admin(personas, trail):
    url = reverse("audit:entry-detail", args=[trail["partner_edit"].entry_hash])
    partner_view = _client(personas, "partner_admin").get(url)
    assert partner_view.status_code == 200
    assert partner_view.context["show_changes"] is False
    assert "Found in transit" not in partner_view.content.decode()
    owner_view = _client(personas, "org_admin").get(url)
    assert "Found in transit" in owner_view.content.decode()
    assert owner_view.context["show_ip"] is False  # the partner's member's IP stays theirs


def test_detail_of_another_orgs_entry_is_404_and_audited(personas, trail):
    url = reverse("audit:entry-detail", args=[trail["elsewhere"].entry_hash])
    assert _client(personas, "org_admin").get(url).status_code == 404
    assert AuditEntry.objects.filter(
        action=AuditAction.DENIED, actor_user_id=personas.users["org_admin"].pk
    ).exists()


PASSWORD = "a strong export password"


def _export(client, query=None, password=PASSWORD):
    url = reverse("audit:entry-export")
    if query:
        url += "?" + urlencode(query)
    return client.post(url, {"password": password, "password_again": password})


def _export_rows(response, password=PASSWORD):
    """The CSV inside the encrypted ZIP, without its watermark line; and the watermark."""
    archive = pyzipper.AESZipFile(io.BytesIO(b"".join(response.streaming_content)))
    archive.setpassword(password.encode())
    (name,) = [n for n in archive.namelist() if n.endswith(".csv")]
    text = archive.read(name).decode()
    mark, _, body = text.partition("\n")
    return list(csv.reader(io.StringIO(body))), mark, archive


def test_export_is_filtered_audited_and_leaves_out_values(personas, trail):
    response = _export(_client(personas, "org_admin"), {"action": "update"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    rows, _mark, _archive = _export_rows(response)
    header, body = rows[0], rows[1:]
    assert header[0] == "seq"
    assert {int(r[0]) for r in body} == {trail["update"].seq, trail["partner_edit"].seq}
    text = "\n".join(",".join(r) for r in rows)
    assert "Gopal" not in text and "Found in transit" not in text
    by_seq = {int(r[0]): dict(zip(header, r, strict=True)) for r in body}
    assert by_seq[trail["update"].seq]["changed_fields"] == "father_name"
    export = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert export.actor_user_id == personas.users["org_admin"].pk
    assert export.details["filters"] == {"action": "update"}
    assert export.details["rows"] == 2
    assert export.details["format"] == "audit_trail_csv"
    assert export.details["encryption"] == "zip-aes-256"
    _, problems = audit.verify()
    assert problems == []


def test_export_is_encrypted_with_the_users_password_and_watermarked(personas, trail):
    response = _export(_client(personas, "org_admin"))
    blob = b"".join(response.streaming_content)
    assert b"seq,at,actor" not in blob  # nothing readable without the password
    archive = pyzipper.AESZipFile(io.BytesIO(blob))
    archive.setpassword(b"not the password")
    with pytest.raises(RuntimeError):
        archive.read("WATERMARK.txt")
    archive.setpassword(PASSWORD.encode())
    mark = archive.read("WATERMARK.txt").decode()
    export = AuditEntry.objects.get(action=AuditAction.EXPORT)
    today = timezone.localtime(export.at).strftime("%d-%m-%Y")
    assert "org_admin" in mark and str(personas.own_org) in mark and today in mark
    assert export.details["export_id"] in mark
    assert archive.comment.decode() == mark.strip()
    _rows, first_line, _ = _export_rows(type("R", (), {"streaming_content": [blob]})())
    assert first_line == "# " + mark.strip()


def test_export_asks_for_a_password_first_and_refuses_a_short_or_mismatched_one(personas):
    client = _client(personas, "org_admin")
    page = client.get(reverse("audit:entry-export"), {"action": "update"})
    assert page.status_code == 200
    assert b'type="password"' in page.content and b"?action=update" in page.content
    short = _export(client, password="short")
    assert short.status_code == 200 and b"errorlist" in short.content
    differ = client.post(
        reverse("audit:entry-export"), {"password": PASSWORD, "password_again": PASSWORD + "x"}
    )
    assert differ.status_code == 200 and b"errorlist" in differ.content
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("who", ["lead", "counsellor", "analyst", "platform_admin"])
def test_export_format_is_refused_to_other_roles(personas, who):
    response = _export(_client(personas, who))
    assert response.status_code in (403, 404)
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_export_escapes_spreadsheet_formulas(personas):
    audit.record(
        actor=personas["lead"],
        action=AuditAction.VIEW,
        target=personas.case,
        details={"x": 1},
    )
    personas.users["lead"].username = "=HYPERLINK(1)"
    personas.users["lead"].save()
    audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    rows, _mark, _ = _export_rows(_export(_client(personas, "org_admin")))
    content = "\n".join(",".join(r) for r in rows)
    assert "'=HYPERLINK(1)" in content
    assert "\n=HYPERLINK" not in content and ",=HYPERLINK" not in content


# --- a trail an admin can read (issue 22.8) ------------------------------------------------------


def _line(response, entry):
    return next(line for line in response.context["lines"] if line.entry.seq == entry.seq)


def test_entries_read_as_sentences_with_a_link_to_the_record(personas, trail):
    response = _client(personas, "org_admin").get(reverse("audit:entry-list"))
    case_url = reverse("registry:case-detail", args=[personas.case.pk])
    viewed = str(_line(response, trail["view"]).sentence)
    assert viewed == f'Viewed <a href="{case_url}">case {personas.case.reference}</a>'
    changed = str(_line(response, trail["update"]).sentence)
    assert personas.person.display_name in changed and changed.startswith("Changed ")


def test_refusals_are_worded_as_refusals(personas, trail):
    entry = audit.record(
        actor=personas["other_org"],
        action=AuditAction.DENIED,
        outcome=Outcome.DENIED,
        target=personas.case,
        details={"attempted": "edit"},
    )
    response = _client(personas, "org_admin").get(reverse("audit:entry-list"))
    assert str(_line(response, entry).sentence).startswith("Was refused when trying to change ")
    assert "Refused" in response.content.decode()


def test_a_person_is_named_only_to_readers_who_may_see_who_they_are(personas):
    entry = audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.person)
    from setu.audit import selectors

    own = selectors.entry_record_labels(actor=personas["org_admin"], entries=[entry])
    other = selectors.entry_record_labels(actor=personas["other_admin"], entries=[entry])
    key = ("registry.person", str(personas.person.pk))
    assert own[key] == personas.person.display_name and key not in other


def test_times_are_day_month_year_in_24_hours(personas):
    entry = audit.record(actor=personas["lead"], action=AuditAction.VIEW, target=personas.case)
    at = timezone.localtime(entry.at)
    html = _client(personas, "org_admin").get(reverse("audit:entry-list")).content.decode()
    assert f"{at.day} {at:%b} {at.year}, {at:%H:%M}" in html
    assert "a.m." not in html and "p.m." not in html


def test_the_trail_filters_by_case_and_by_person(personas, trail):
    client = _client(personas, "org_admin")
    by_case = _seqs(client.get(reverse("audit:entry-list"), {"case": personas.case.pk}))
    assert {trail["view"].seq, trail["partner_edit"].seq, trail["denied"].seq} <= by_case
    assert trail["update"].seq not in by_case
    by_person = _seqs(client.get(reverse("audit:entry-list"), {"person": personas.person.pk}))
    assert by_person == {trail["update"].seq}


def test_a_case_reference_is_looked_up_by_post_and_becomes_a_uuid_filter(personas, trail):
    response = _client(personas, "org_admin").post(
        reverse("audit:entry-list"), {"reference": personas.case.reference}
    )
    assert response.status_code == 302
    assert response.url.endswith(f"?case={personas.case.pk}")
    assert personas.case.reference not in response.url


def test_case_and_person_pages_link_their_own_trail_for_those_who_may_read_it(personas):
    case_page = reverse("registry:case-detail", args=[personas.case.pk])
    person_page = reverse("registry:person-detail", args=[personas.person.pk])
    case_trail = f"{reverse('audit:entry-list')}?case={personas.case.pk}"
    person_trail = f"{reverse('audit:entry-list')}?person={personas.person.pk}"
    admin, lead = _client(personas, "org_admin"), _client(personas, "lead")
    assert case_trail in admin.get(case_page).content.decode()
    assert person_trail in admin.get(person_page).content.decode()
    assert case_trail not in lead.get(case_page).content.decode()
