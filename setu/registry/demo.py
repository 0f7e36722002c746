"""Demo photos and documents: a drawn portrait placeholder (no real face) for about one survivor
in eight, and a one-page PDF for about one case in ten, each kept under ``SETU_UPLOAD_DIR`` as
an upload would be (re-encoded by ``core.uploads``, random names, checksums).

Runs inside ``setu.referrals.demo.load_network_demo`` (demo mode only).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import random

from django.utils import timezone
from PIL import Image, ImageDraw

from setu.core import uploads
from setu.registry.models import Attachment, AttachmentKind, CasePerson, CaseRole

MAX_PHOTOS = 40
MAX_DOCUMENTS = 20
BACKGROUNDS = ((222, 235, 247), (253, 235, 208), (229, 245, 224), (242, 230, 245))


def _portrait(rng: random.Random) -> bytes:
    """A head-and-shoulders outline on a soft background: plainly not a photograph."""
    image = Image.new("RGB", (240, 320), rng.choice(BACKGROUNDS))
    draw = ImageDraw.Draw(image)
    shade = tuple(rng.randint(90, 150) for _ in range(3))
    draw.ellipse((75, 60, 165, 160), fill=shade)
    draw.rounded_rectangle((40, 175, 200, 320), radius=60, fill=shade)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return uploads.reencode_image(out.getvalue(), uploads.JPEG)


def _document(title: str) -> bytes:
    """A one-page PDF with a line of text (no scripts, no actions)."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    content = b"BT /F1 14 Tf 40 750 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    # The cross-reference table the upload check's strict parser follows to each object.
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    data = bytes(out + b"startxref\n%d\n" % start + b"%%EOF\n")
    uploads.check_pdf(data)
    return data


def _attachment(data: bytes, content_type: str, **fields: object) -> Attachment:
    return Attachment(
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        stored_name=uploads.store(data),
        **fields,
    )


def load_demo(*, rng: random.Random, now: datetime.datetime) -> dict[str, int]:
    """Photos of some survivors and documents of some cases; returns the counts."""
    links = list(
        CasePerson.objects.filter(role=CaseRole.VICTIM, person__anonymised_at__isnull=True)
        .select_related("case", "person")
        .order_by("case__opened_on", "case__reference", "id")
    )
    rows: list[Attachment] = []
    photographed: set[object] = set()
    documented: set[object] = set()
    for link in links:
        person, case = link.person, link.case
        uploaded_by = case.case_owner_id
        # The first survivor and the first case always get one, so every demo shows them.
        chosen = not photographed or rng.random() < 0.125
        if person.pk not in photographed and len(photographed) < MAX_PHOTOS and chosen:
            photographed.add(person.pk)
            rows.append(
                _attachment(
                    _portrait(rng),
                    uploads.JPEG,
                    owner_org_id=person.owner_org_id,
                    person=person,
                    kind=AttachmentKind.PHOTO,
                    title="Photo taken at registration",
                    uploaded_by_id=uploaded_by,
                )
            )
        chosen = not documented or rng.random() < 0.1
        if case.pk not in documented and len(documented) < MAX_DOCUMENTS and chosen:
            documented.add(case.pk)
            rows.append(
                _attachment(
                    _document(f"Demo document of case {case.reference} (fictional)"),
                    uploads.PDF,
                    owner_org_id=case.owner_org_id,
                    case=case,
                    kind=AttachmentKind.DOCUMENT,
                    title="Copy of the FIR (fictional)",
                    uploaded_by_id=uploaded_by,
                )
            )
    Attachment.objects.bulk_create(rows)
    # Spread over the past: the day each was "uploaded" (created_at is set on insert).
    today = timezone.localtime(now)
    for row in rows:
        row.created_at = today - datetime.timedelta(days=rng.randint(1, 300))
    Attachment.objects.bulk_update(rows, ["created_at"])
    return {"attachment_photos": len(photographed), "attachment_documents": len(documented)}
