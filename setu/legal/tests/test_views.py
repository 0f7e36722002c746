"""Pages of the legal context: a legal officer's day, from a case to a hearing outcome."""

from __future__ import annotations

import datetime
import io
import json

import pytest
import pyzipper
from django.conf import settings
from django.test import Client
from django.urls import reverse

from setu.audit.models import AuditEntry
from setu.legal.models import Proceeding
from setu.legal.tests.factories import AccusedFactory, HearingFactory, ProceedingFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_legal_officer_opens_a_proceeding_from_the_case_page(personas, legal_officer):
    client = _client(legal_officer.user)
    url = reverse("legal:case", args=[personas.case.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Open a proceeding" in page.content
    response = client.post(
        url,
        {
            "track": "criminal",
            "police_station": "Sonagachi PS",
            "fir_number": "0077/2026",
            "fir_date": "2026-02-01",
            "sections": ["BNS-143", "ITPA-5"],
            "cnr_number": "WBKO010000772026",
        },
    )
    proceeding = Proceeding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("legal:proceeding-detail", args=[proceeding.pk])
    assert proceeding.legal_officer == legal_officer.user
    assert proceeding.sections == ["BNS-143", "ITPA-5"]


def test_a_bad_fir_number_is_shown_next_to_its_field(personas, legal_officer):
    client = _client(legal_officer.user)
    response = client.post(
        reverse("legal:case", args=[personas.case.pk]),
        {"track": "criminal", "fir_number": "77-2026", "fir_date": "2026-02-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["fir_number"]
    assert not Proceeding.objects.exists()


def test_caseworker_reads_but_gets_no_forms(personas):
    p = ProceedingFactory(case=personas.case)
    page = _client(personas.users["lead"]).get(reverse("legal:proceeding-detail", args=[p.pk]))
    assert page.status_code == 200
    assert b"Add a hearing" not in page.content
    assert AuditEntry.objects.filter(target_id=str(p.pk), action="view").exists()


def test_police_liaison_reads_and_may_not_write(personas, police_liaison):
    p = ProceedingFactory(case=personas.case)
    client = _client(police_liaison.user)
    assert client.get(reverse("legal:proceeding-detail", args=[p.pk])).status_code == 200
    assert client.get(reverse("legal:proceeding-edit", args=[p.pk])).status_code == 403


def test_hearing_outcome_with_next_date(personas, legal_officer):
    p = ProceedingFactory(case=personas.case, legal_officer=legal_officer.user)
    h = HearingFactory(proceeding=p, on=datetime.date(2026, 3, 2))
    nxt = datetime.date.today() + datetime.timedelta(days=30)
    response = _client(legal_officer.user).post(
        reverse("legal:hearing-outcome", args=[h.pk]),
        {"outcome": "adjourned", "adjournment_reason": "no_escort", "next_on": nxt.isoformat()},
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.next_hearing_on == nxt


def test_add_forms_report_errors_and_save(personas, legal_officer):
    p = ProceedingFactory(case=personas.case)
    client = _client(legal_officer.user)
    url = reverse("legal:proceeding-add", args=[p.pk, "hearing"])
    client.post(url, {"h-on": "2026-01-01"})  # before the FIR of 10-01-2026
    assert not p.hearings.exists()
    client.post(url, {"h-on": "2026-02-01", "h-court": "Sessions Court"})
    assert p.hearings.get().court == "Sessions Court"
    a = AccusedFactory(proceeding=p)
    client.post(
        reverse("legal:proceeding-add", args=[p.pk, "judgment"]),
        {
            "j-accused": str(a.pk),
            "j-section": "BNS-143",
            "j-verdict": "convicted",
            "j-decided_on": "2026-06-01",
        },
    )
    assert not a.judgments.exists()  # no charges framed yet


def test_calendar_agenda_and_htmx_partial(personas, legal_officer, django_assert_max_num_queries):
    p = ProceedingFactory(case=personas.case, legal_officer=legal_officer.user)
    for day in range(1, 21):
        HearingFactory(proceeding=p, on=datetime.date(2026, 3, day))
    client = _client(legal_officer.user)
    url = reverse("legal:calendar") + "?month=2026-03"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("Sessions Court, Mumbai") == 20
    assert html.count("Monday, 2 Mar 2026") == 1
    with django_assert_max_num_queries(20):
        partial = client.get(url, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"Next month" in partial.content


def test_calendar_shows_each_hearing_once(personas, legal_officer):
    """The grid (wide screens) and the agenda (phones) are one table laid out by CSS, so a
    hearing is in the page once: not downloaded twice, nor read twice by a screen reader."""
    p = ProceedingFactory(case=personas.case, legal_officer=legal_officer.user)
    courts = [f"Court of the Additional Sessions Judge No. {n}" for n in range(1, 8)]
    for n, court in enumerate(courts):
        HearingFactory(proceeding=p, on=datetime.date(2026, 3, 2 + n % 3), court=court)
    html = _client(legal_officer.user).get(reverse("legal:calendar") + "?month=2026-03")
    html = html.content.decode()
    link = reverse("legal:proceeding-detail", args=[p.pk])
    assert html.count(f'href="{link}"') == len(courts)
    assert {court: html.count(court) for court in courts} == dict.fromkeys(courts, 1)
    # Every day with hearings is headed once by its full date (the phone's agenda).
    assert [html.count(f"{day}, {n} Mar 2026") for n, day in ((2, "Monday"), (3, "Tuesday"))] == [
        1,
        1,
    ]
    assert "No hearing this month." not in html
    empty = _client(legal_officer.user).get(reverse("legal:calendar") + "?month=2026-05")
    assert "No hearing this month." in empty.content.decode()


def test_desk_shows_flagged_periods_with_their_source(personas, legal_officer):
    today = datetime.date.today()
    p = ProceedingFactory(
        case=personas.case,
        legal_officer=legal_officer.user,
        fir_date=today - datetime.timedelta(days=70),
        fir_number=f"0009/{(today - datetime.timedelta(days=70)).year}",
        sections=["ITPA-5"],
    )
    AccusedFactory(proceeding=p, custody="custody", arrested_on=today - datetime.timedelta(days=65))
    page = _client(legal_officer.user).get(reverse("legal:desk"))
    assert b"187(3)" in page.content
    assert b"a lawyer must check" in page.content


PASSWORD = "a strong export password"


def _bundle(client, p, fmt: str, password: str = PASSWORD):
    url = reverse("legal:bundle-export", args=[p.pk, fmt])
    return client.post(url, {"password": password, "password_again": password})


def _unzip(response, fmt: str, password: str = PASSWORD) -> tuple[bytes, str]:
    """The bundle file inside the encrypted ZIP, and the package's watermark; a wrong
    password opens nothing."""
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = pyzipper.AESZipFile(io.BytesIO(b"".join(response.streaming_content)))
    (name,) = [n for n in archive.namelist() if n.endswith("." + fmt)]
    archive.setpassword(b"not the password")
    with pytest.raises(RuntimeError):
        archive.read(name)
    archive.setpassword(password.encode())
    return archive.read(name), archive.read("WATERMARK.txt").decode().strip()


def test_bundle_is_encrypted_watermarked_and_audited(personas, legal_officer):
    p = ProceedingFactory(case=personas.case)
    HearingFactory(
        proceeding=p,
        on=datetime.date(2026, 3, 2),
        outcome="adjourned",
        adjournment_reason="witness_absent",
    )
    client = _client(legal_officer.user)
    page = client.get(reverse("legal:bundle-export", args=[p.pk, "json"]))
    assert page.status_code == 200 and b'type="password"' in page.content
    assert not AuditEntry.objects.filter(target_id=str(p.pk), action="export").exists()
    body, mark = _unzip(_bundle(client, p, "json"), "json")
    assert body.decode().startswith('{\n  "watermark": ' + json.dumps(mark, ensure_ascii=False))
    assert legal_officer.user.username in mark
    data = json.loads(body)
    assert [e["day"] for e in data["timeline"]] == ["10-01-2026", "02-03-2026"]
    assert data["case"] == personas.case.reference
    page = client.get(reverse("legal:bundle-print", args=[p.pk]))
    assert legal_officer.user.username.encode() in page.content
    entries = AuditEntry.objects.filter(target_id=str(p.pk), action="export")
    assert sorted(e.details["format"] for e in entries) == ["legal_bundle_json", "print"]
    export = entries.get(details__format="legal_bundle_json")
    assert export.details["encryption"] == "zip-aes-256" and export.details["export_id"] in mark


def test_bundle_pdf_is_an_encrypted_watermarked_pdf_and_audited(personas, legal_officer):
    pytest.importorskip("weasyprint")
    p = ProceedingFactory(case=personas.case)
    body, mark = _unzip(_bundle(_client(legal_officer.user), p, "pdf"), "pdf")
    assert body.startswith(b"%PDF")
    # The whole watermark is in the PDF's metadata; every page also carries user and time.
    assert _pdf_subject(body) == mark
    entry = AuditEntry.objects.get(target_id=str(p.pk), action="export")
    assert entry.details["format"] == "legal_bundle_pdf"
    assert entry.details["export_id"] in mark


def _pdf_subject(pdf: bytes) -> str:
    """The PDF's Subject (the page's description), from its deflated object streams: a literal
    string when ASCII, else UTF-16 in hex."""
    import re
    import zlib

    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            data = zlib.decompress(stream)
        except zlib.error:
            continue
        hexed = re.search(rb"/Subject\s*<feff([0-9a-fA-F]+)>", data)
        if hexed:
            return bytes.fromhex(hexed.group(1).decode()).decode("utf-16-be")
        literal = re.search(rb"/Subject\s*\(((?:\\.|[^\\)])*)\)", data)
        if literal:
            return re.sub(rb"\\(.)", rb"\1", literal.group(1)).decode("latin-1")
    return ""


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_bundle_refuses_a_short_password_and_other_roles(personas, legal_officer, fmt):
    p = ProceedingFactory(case=personas.case)
    short = _bundle(_client(legal_officer.user), p, fmt, password="short")
    assert short.status_code in (200, 503)
    assert b"errorlist" in short.content or short.status_code == 503
    for who in ("counsellor", "analyst", "partner", "partner_admin", "other_admin"):
        client = _client(personas.users[who])
        assert client.get(reverse("legal:bundle-export", args=[p.pk, fmt])).status_code in (
            403,
            404,
        )
        assert _bundle(client, p, fmt).status_code in (403, 404)
    assert not AuditEntry.objects.filter(target_id=str(p.pk), action="export").exists()


def test_bundle_format_is_its_own_permission(personas, legal_officer, monkeypatch):
    from setu.access import policy

    p = ProceedingFactory(case=personas.case)
    key = ("export.legal_bundle_json", policy.Action.EXPORT)
    monkeypatch.setitem(policy.CLASS_RULES, key, lambda a: False)
    client = _client(legal_officer.user)
    assert client.get(reverse("legal:bundle-export", args=[p.pk, "xml"])).status_code == 404
    assert _bundle(client, p, "json").status_code == 403


def test_desk_shows_her_own_proceedings_and_a_caseworker_all(personas, legal_officer):
    mine = ProceedingFactory(
        case=personas.case, legal_officer=legal_officer.user, fir_number="0001/2026"
    )
    other = ProceedingFactory(case=personas.case, fir_number="0002/2026")
    officer_page = _client(legal_officer.user).get(reverse("legal:desk")).content.decode()
    assert "0001/2026" in officer_page and "0002/2026" not in officer_page
    everything = _client(legal_officer.user).get(reverse("legal:desk") + "?all=1").content.decode()
    assert "0002/2026" in everything
    caseworker_page = _client(personas.users["lead"]).get(reverse("legal:desk")).content.decode()
    assert "0001/2026" in caseworker_page and "0002/2026" in caseworker_page
    assert mine.pk != other.pk


def test_calendar_month_grid_for_wide_screens(personas, legal_officer):
    p = ProceedingFactory(case=personas.case, legal_officer=legal_officer.user)
    HearingFactory(proceeding=p, on=datetime.date(2026, 3, 2))
    for _ in range(6):  # a busy day scrolls in its cell, reachable by keyboard
        HearingFactory(proceeding=p, on=datetime.date(2026, 3, 31))
    client = _client(legal_officer.user)
    page = client.get(reverse("legal:calendar") + "?month=2026-03")
    html = page.content.decode()
    weeks = page.context["weeks"]
    # March 2026 begins on a Sunday: five weeks, every day of the month once, in order.
    assert len(weeks) == 5 and all(len(week) == 7 for week in weeks)
    dates = [day.date for week in weeks for day in week if day]
    assert dates == [datetime.date(2026, 3, d) for d in range(1, 32)]
    assert len(weeks[0][1].hearings) == 1 and len(weeks[4][2].hearings) == 6
    assert 'class="month-grid"' in html and 'abbr title="Monday"' in html
    assert 'class="many" tabindex="0" aria-label="6 hearings on 31 Mar 2026"' in html
    # Month links work without script, and keep their ids so htmx can keep the focus on them.
    assert 'id="month-previous"' in html and 'href="?month=2026-02"' in html
    assert 'id="month-next"' in html and 'href="?month=2026-04"' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"
    bengali = client.get(reverse("legal:calendar") + "?month=2026-03").content.decode()
    assert "মার্চ" in bengali and "সোমবার" in bengali and "Monday" not in bengali
