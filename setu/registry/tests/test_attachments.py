"""Photos and documents of persons and cases (issue 28, promise 4): who may upload, see,
download and delete them; what is kept and audited; what a refusal leaves (nothing)."""

from __future__ import annotations

import io
import os
import re

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from setu.audit.models import AuditAction, AuditEntry, Outcome
from setu.consent import services as consent_services
from setu.core import uploads
from setu.core.changes import PERSONAL_MARK
from setu.core.errors import Forbidden, InvalidInput, NotFound
from setu.core.tests.apiclient import token_client
from setu.registry import selectors, services
from setu.registry.models import Attachment
from setu.registry.tests import uploadfiles as files

ALL_PERSONAS = (
    "lead",
    "org_admin",
    "counsellor",
    "analyst",
    "coordinator",
    "partner",
    "partner_admin",
    "other_org",
    "other_admin",
    "platform_admin",
)


def _kept() -> set[str]:
    return set(uploads.stored_names())


@pytest.fixture
def photo(personas):
    """A photo of the survivor, uploaded by the lead caseworker (with EXIF and GPS)."""
    return services.attachment_add(
        actor=personas["lead"],
        person=personas.person,
        kind="photo",
        upload=files.upload(files.photo() + files.PAYLOAD, name="Puja_Mondal_Gosaba.jpg"),
        title="Taken at the rescue",
    )


@pytest.fixture
def case_document(personas):
    """A PDF of the case (say, the FIR copy)."""
    return services.attachment_add(
        actor=personas["lead"],
        case=personas.case,
        kind="document",
        upload=files.upload(files.pdf(), name="FIR.pdf", content_type="application/pdf"),
    )


# --- services ------------------------------------------------------------------------------------


def test_an_upload_is_kept_under_a_random_name_outside_the_web_root_and_audited(personas, photo):
    assert re.fullmatch(r"[0-9a-f]{32}", photo.stored_name)
    path = uploads.stored_path(photo.stored_name)
    assert path.is_file() and path.suffix == ""
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    upload_dir = os.path.realpath(settings.SETU_UPLOAD_DIR)
    assert not upload_dir.startswith(os.path.realpath(settings.STATIC_ROOT))
    data = path.read_bytes()
    assert files.gps_of(data) == {} and files.PAYLOAD not in data
    assert photo.content_type == "image/jpeg" and photo.size == len(data)
    assert photo.owner_org_id == personas.own_org.pk
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, target_id=str(photo.pk))
    assert entry.target_org_id == personas.own_org.pk
    assert entry.changes["after"]["title"] == PERSONAL_MARK
    # The name the file had (her name, her village) is kept nowhere.
    assert "Puja" not in str(entry.changes) and "Gosaba" not in str(entry.changes)
    assert not Attachment.objects.filter(title__contains="Gosaba").exists()


@pytest.mark.parametrize(
    ("kind", "data", "reason", "message"),
    [
        ("photo", b"<html><script>x()</script></html>", "type", "not accepted here"),
        ("photo", files.pdf(), "type", "Accepted: JPG, PNG, WEBP"),
        ("document", files.pdf(b"<< /OpenAction << /S /JavaScript /JS (x) >> >>"), "pdf_active",
         "scripts, actions or embedded files"),
        ("document", files.photo()[:60], "damaged", "damaged"),
        ("photo", b"", "empty", "empty"),
    ],
)  # fmt: skip
def test_a_refused_file_leaves_nothing_but_an_audit_entry(personas, kind, data, reason, message):
    before = _kept()
    with pytest.raises(InvalidInput) as refused:
        services.attachment_add(
            actor=personas["lead"], person=personas.person, kind=kind, upload=files.upload(data)
        )
    assert message in refused.value.errors["file"][0]
    assert not Attachment.objects.exists()
    assert _kept() == before
    entry = AuditEntry.objects.get(outcome=Outcome.FAILED, target_id=str(personas.person.pk))
    assert entry.details == {"what": "attachment", "kind": kind, "refused": reason}


def test_a_file_over_the_limit_is_refused_before_it_is_read(personas, settings):
    settings.SETU_UPLOAD_MAX_MB = 1
    big = files.upload(files.photo() + b"\x00" * (1024 * 1024))
    with pytest.raises(InvalidInput) as refused:
        services.attachment_add(
            actor=personas["lead"], person=personas.person, kind="photo", upload=big
        )
    assert refused.value.errors["file"] == [
        "The file is larger than 1 MB. Choose a smaller file or take the photo again."
    ]
    assert big.file.tell() == 0  # not a byte read: the size alone refused it
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("who", "error"),
    [("counsellor", Forbidden), ("partner", Forbidden), ("other_org", NotFound),
     ("platform_admin", NotFound), ("analyst", NotFound)],
)  # fmt: skip
def test_only_the_owning_organisations_editors_upload(personas, who, error):
    with pytest.raises(error):
        services.attachment_add(
            actor=personas[who],
            person=personas.person,
            kind="photo",
            upload=files.upload(files.photo()),
        )
    assert not Attachment.objects.exists()


def test_deleting_removes_the_row_and_the_file_once_committed(
    personas, photo, django_capture_on_commit_callbacks
):
    path, pk = uploads.stored_path(photo.stored_name), photo.pk
    with pytest.raises(Forbidden):
        services.attachment_delete(actor=personas["partner"], attachment=photo)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(actor=personas["lead"], attachment=photo)
    assert not path.exists()
    assert not Attachment.objects.exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETE, target_id=str(pk))
    assert entry.changes["before"]["title"] == PERSONAL_MARK


def test_files_without_a_row_are_swept_but_an_attachments_file_is_not(personas, settings, tmp_path):
    settings.SETU_UPLOAD_DIR = tmp_path
    photo = services.attachment_add(
        actor=personas["lead"],
        person=personas.person,
        kind="photo",
        upload=files.upload(files.photo()),
    )
    orphan = uploads.store(b"left by a failed transaction")
    assert services.attachment_orphans_remove(older_than=0) == 1
    assert not uploads.stored_path(orphan).exists()
    assert uploads.stored_path(photo.stored_name).exists()


# --- who sees what -------------------------------------------------------------------------------

SEES_PHOTO = {"lead", "org_admin", "counsellor", "partner", "partner_admin"}


@pytest.mark.parametrize("who", ALL_PERSONAS)
def test_who_sees_the_survivors_photo_and_the_cases_document(personas, photo, case_document, who):
    seen = {a.pk for a in selectors.attachment_list(actor=personas[who], person=personas.person)}
    seen |= {a.pk for a in selectors.attachment_list(actor=personas[who], case=personas.case)}
    expected = {photo.pk, case_document.pk} if who in SEES_PHOTO else set()
    assert seen == expected
    if who not in SEES_PHOTO:
        with pytest.raises(NotFound):
            selectors.attachment_open(actor=personas[who], attachment_id=photo.pk)


def test_a_partner_needs_the_scope_each_attachment_belongs_to(personas, photo, case_document):
    share = personas.case.shares.get()
    share.scopes = ["identity"]  # her name and photo, not what happened
    share.save()
    partner = personas["partner"]
    assert list(selectors.attachment_list(actor=partner, person=personas.person)) == [photo]
    assert list(selectors.attachment_list(actor=partner, case=personas.case)) == []
    with pytest.raises(NotFound):
        selectors.attachment_get(actor=partner, attachment_id=case_document.pk)
    share.scopes = ["case_history"]
    share.save()
    assert list(selectors.attachment_list(actor=partner, person=personas.person)) == []
    assert list(selectors.attachment_list(actor=partner, case=personas.case)) == [case_document]


def test_withdrawn_consent_ends_the_partners_access_to_her_photo(personas, photo):
    consent = personas.case.shares.get().consent
    consent_services.consent_withdraw(
        actor=personas["lead"], consent=consent, withdrawn_on=consent.given_on
    )
    with pytest.raises(NotFound):
        selectors.attachment_open(actor=personas["partner"], attachment_id=photo.pk)
    assert selectors.attachment_open(actor=personas["lead"], attachment_id=photo.pk)[1].read()


def test_the_breach_report_counts_downloads_of_her_photo(personas, photo):
    selectors.attachment_open(actor=personas["partner"], attachment_id=photo.pk)[1].close()
    records = selectors.person_records_for_access_report(
        actor=personas["org_admin"], person_id=personas.person.pk
    )
    assert str(photo.pk) in records["registry.attachment"]
    entry = AuditEntry.objects.get(action=AuditAction.VIEW, target_id=str(photo.pk))
    assert entry.actor_org_id == personas.partner_org.pk
    assert entry.details == {"what": "attachment_file"}


# --- pages ---------------------------------------------------------------------------------------


def _client(client, personas, who):
    client.force_login(personas.users[who], backend=settings.AUTHENTICATION_BACKENDS[-1])
    return client


def test_the_photo_form_opens_the_phone_camera(client, personas):
    page = _client(client, personas, "lead").get(
        reverse("registry:person-attachment-add", args=[personas.person.pk]) + "?kind=photo"
    )
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert re.search(
        r'<input type="file" name="file"[^>]*accept="image/\*"[^>]*capture="environment"', html
    )
    document = client.get(
        reverse("registry:case-attachment-add", args=[personas.case.pk]) + "?kind=document"
    )
    assert 'accept="image/*,application/pdf"' in document.content.decode()
    assert "capture" not in document.content.decode()


def test_upload_list_download_and_delete_through_the_pages(client, personas):
    client = _client(client, personas, "lead")
    url = reverse("registry:person-attachment-add", args=[personas.person.pk])
    sent = client.post(
        url, {"kind": "photo", "title": "", "file": files.upload(files.photo("PNG"), "her.png")}
    )
    assert sent.status_code == 302
    attachment = Attachment.objects.get()
    page = client.get(reverse("registry:person-detail", args=[personas.person.pk]))
    download = reverse("registry:attachment-download", args=[attachment.pk])
    assert download in page.content.decode()

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith('attachment; filename="photo-')
    assert "her" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == "PNG"

    delete = reverse("registry:attachment-delete", args=[attachment.pk])
    confirm = client.get(delete)
    assert "Delete this file?" in confirm.content.decode()
    assert Attachment.objects.exists()  # asking is not deleting
    assert client.post(delete).status_code == 302
    assert not Attachment.objects.exists()


def test_a_malformed_file_gets_a_clear_message_on_the_form_and_nothing_is_kept(client, personas):
    client = _client(client, personas, "lead")
    before = _kept()
    response = client.post(
        reverse("registry:case-attachment-add", args=[personas.case.pk]),
        {
            "kind": "document",
            "file": files.upload(b"MZ\x90\x00 not a document", "scan.pdf", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "This kind of file is not accepted here. Accepted: JPG, PDF, PNG, WEBP." in (
        response.content.decode()
    )
    assert not Attachment.objects.exists() and _kept() == before


def test_the_size_limit_holds_as_the_bytes_arrive(client, personas, settings):
    settings.SETU_UPLOAD_MAX_MB = 1
    client = _client(client, personas, "lead")
    response = client.post(
        reverse("registry:person-attachment-add", args=[personas.person.pk]),
        {"kind": "photo", "file": files.upload(files.photo() + b"\x00" * (2 * 1024 * 1024))},
    )
    assert response.status_code == 200
    assert "The file is larger than 1 MB." in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_size_handler_hands_nothing_on_past_the_limit(settings):
    settings.SETU_UPLOAD_MAX_MB = 1
    handler = uploads.SizeLimitUploadHandler()
    handler.new_file("file", "big.jpg", "image/jpeg", None)
    chunk = b"x" * (256 * 1024)
    passed = [handler.receive_data_chunk(chunk, i * len(chunk)) for i in range(6)]
    assert [p is not None for p in passed] == [True, True, True, True, False, False]
    marker = handler.file_complete(6 * len(chunk))
    assert marker.too_large and marker.size == 6 * len(chunk) and marker.read() == b""


# --- API -----------------------------------------------------------------------------------------


def test_the_api_uploads_lists_downloads_and_deletes(personas):
    lead = token_client(personas.users["lead"])
    url = reverse("api:case-attachment-list", args=[personas.case.pk])
    created = lead.post(
        url,
        {"kind": "document", "title": "FIR copy", "file": files.upload(files.pdf(), "fir.pdf")},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind"] == "document" and body["content_type"] == "application/pdf"
    assert body["case"] == str(personas.case.pk) and body["person"] is None
    listed = lead.get(url).json()
    assert [item["id"] for item in listed["results"]] == [body["id"]]

    partner = token_client(personas.users["partner"])
    file_url = reverse("api:attachment-file", args=[body["id"]])
    response = partner.get(file_url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == files.pdf()
    assert partner.delete(reverse("api:attachment-detail", args=[body["id"]])).status_code == 403
    other = token_client(personas.users["other_org"])
    assert other.get(file_url).status_code == 404
    assert lead.delete(reverse("api:attachment-detail", args=[body["id"]])).status_code == 204
    assert lead.get(file_url).status_code == 404


def test_the_api_refuses_a_malformed_file_naming_the_field(personas):
    lead = token_client(personas.users["lead"])
    response = lead.post(
        reverse("api:person-attachment-list", args=[personas.person.pk]),
        {"kind": "photo", "file": files.upload(files.photo()[:50], "x.jpg")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["file"] == [
        "The image could not be read: it is damaged or not really a JPEG, PNG or WebP."
    ]
    assert not Attachment.objects.exists()
