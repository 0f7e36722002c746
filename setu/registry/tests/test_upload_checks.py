"""What ``setu.core.uploads`` keeps and refuses (issue 28, promise 4): no database needed."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf.actions import JavaScript
from pypdf.annotations import Link

from setu.core import uploads
from setu.core.uploads import IMAGE_TYPES, PDF, Refused
from setu.registry.tests import uploadfiles as files

DOCUMENTS = IMAGE_TYPES | {PDF}


@pytest.mark.parametrize(("fmt", "content_type"), [("JPEG", uploads.JPEG), ("WEBP", uploads.WEBP)])
def test_gps_and_every_exif_field_are_gone_after_re_encoding(fmt, content_type):
    original = files.photo(fmt)
    assert files.gps_of(original)  # the test photo does carry a position
    clean = uploads.check(original, allowed=IMAGE_TYPES)
    assert clean.content_type == content_type
    assert files.gps_of(clean.data) == {}
    with Image.open(io.BytesIO(clean.data)) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (64, 48)
    assert b"PhoneCam" not in clean.data and b"Exif\x00\x00" not in clean.data


def test_bytes_appended_after_the_image_are_gone():
    for fmt in ("JPEG", "PNG", "WEBP"):
        smuggled = files.photo(fmt) + files.PAYLOAD
        clean = uploads.check(smuggled, allowed=IMAGE_TYPES)
        assert files.PAYLOAD not in clean.data, fmt
        assert b"alert" not in clean.data, fmt


def test_a_sideways_phone_photo_is_turned_upright_before_its_exif_is_dropped():
    clean = uploads.check(files.photo(orientation=6), allowed=IMAGE_TYPES)
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.size == (48, 64)


def test_the_type_comes_from_the_content_not_the_name():
    html = b"<html><script>steal()</script></html>"
    for data in (html, b"MZ\x90\x00 a Windows program", b"GIF89a...."):
        with pytest.raises(Refused) as refused:
            uploads.check(data, allowed=DOCUMENTS)
        assert refused.value.reason == "type"
        assert "Accepted: JPG, PDF, PNG, WEBP" in str(refused.value)


def test_a_pdf_is_not_a_photo():
    with pytest.raises(Refused, match="Accepted: JPG, PNG, WEBP") as refused:
        uploads.check(files.pdf(), allowed=IMAGE_TYPES)
    assert refused.value.reason == "type"


def test_a_damaged_image_is_refused_with_a_clear_message():
    broken = files.photo()[:40] + b"\x00" * 200
    with pytest.raises(Refused, match="damaged or not really a JPEG, PNG or WebP") as refused:
        uploads.check(broken, allowed=IMAGE_TYPES)
    assert refused.value.reason == "damaged"


def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded():
    with pytest.raises(Refused, match="100 megapixels; at most 40") as refused:
        uploads.check(files.png_claiming(10_000, 10_000), allowed=IMAGE_TYPES)
    assert refused.value.reason == "pixels"
    # Past Pillow's own guard (twice its 89 megapixels) the refusal says the same thing.
    with pytest.raises(Refused, match="too large") as refused:
        uploads.check(files.png_claiming(20_000, 20_000), allowed=IMAGE_TYPES)
    assert refused.value.reason == "pixels"


def test_a_plain_pdf_is_kept_as_it_is():
    data = files.pdf()
    clean = uploads.check(data, allowed=DOCUMENTS)
    assert clean.content_type == PDF and clean.data == data and clean.extension == "pdf"


@pytest.mark.parametrize(
    ("label", "extra"),
    [
        ("javascript on opening", b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
        ("the name spelt with #xx escapes", b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"),
        ("a launch action", b"<< /S /Launch /F (cmd.exe) >>"),
        ("an embedded file", b"<< /Type /EmbeddedFile /Length 3 >>"),
        ("additional actions", b"<< /AA << /O 9 0 R >> >>"),
        ("javascript inside a compressed object stream", files.flate_stream(b"<< /JS (x) >>")),
    ],
)
def test_a_pdf_with_scripts_actions_or_embedded_files_is_refused(label, extra):
    with pytest.raises(Refused, match="scripts, actions or embedded files") as refused:
        uploads.check(files.pdf(extra), allowed=DOCUMENTS)
    assert refused.value.reason == "pdf_active", label


def test_a_compressed_stream_without_active_content_passes():
    data = files.pdf(files.flate_stream(b"BT /F1 12 Tf (Hello) Tj ET"))
    assert uploads.check(data, allowed=DOCUMENTS).data == data


def test_an_encrypted_or_damaged_pdf_is_refused():
    with pytest.raises(Refused, match="password") as refused:
        uploads.check(files.pdf(b"<< /Encrypt 9 0 R >>"), allowed=DOCUMENTS)
    assert refused.value.reason == "pdf_encrypted"
    for damaged in (
        files.pdf()[:-30],
        b"%PDF-1.7\n nothing else",
        files.pdf().replace(b"%PDF-1.7", b"%PDF-x"),
    ):
        with pytest.raises(Refused, match="damaged or not really a PDF"):
            uploads.check(damaged, allowed=DOCUMENTS)


def test_objects_packed_under_an_encoding_the_scan_cannot_read_are_refused():
    hex_packed = b"<< /Type /ObjStm /Filter /ASCIIHexDecode /Length 4 >>\nstream\n2F4A53\nendstream"
    with pytest.raises(Refused, match="too complex to check") as refused:
        uploads.check(files.pdf(hex_packed), allowed=DOCUMENTS)
    assert refused.value.reason == "pdf_complex"


def test_a_broken_compressed_stream_is_refused_not_skipped():
    hidden = files.flate_stream(b"<< /JS (x) >>").replace(b"stream\nx", b"stream\n\x00\x01")
    with pytest.raises(Refused) as refused:
        uploads.check(files.pdf(hidden), allowed=DOCUMENTS)
    assert refused.value.reason == "pdf_damaged"


# --- PDFs: the parser, the second gate (pypdf, strict and bounded) -----------------------------


def _scan_only(monkeypatch):
    """The byte scan alone, as it was before the parser: what it lets through."""
    monkeypatch.setattr(uploads, "parse_pdf", lambda data: None)


PACKED_SCRIPT = files.pdf_with_packed_objects(
    b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A 6 0 R >>",
    b"<< /S /JavaScript /JS (app.alert(1)) >>",
)


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("a script in an object stream the scan cannot read", PACKED_SCRIPT),
        ("a javascript: link", files.written_pdf(link="javascript:app.alert(1)")),
        ("a link to a file", files.written_pdf(link="file:///C:/Windows/System32/cmd.exe")),
        ("a link to a network share", files.written_pdf(link="\\\\host\\share\\x.pdf")),
        (
            "a javascript: link added by an incremental update",
            files.updated_pdf(
                files.written_pdf(),
                lambda w: w.add_annotation(0, Link(rect=(0, 0, 9, 9), url="javascript:x()")),
            ),
        ),
    ],
)
def test_the_parser_refuses_what_the_byte_scan_lets_through(label, data, monkeypatch):
    with pytest.raises(Refused, match="scripts, actions or embedded files") as refused:
        uploads.check(data, allowed=DOCUMENTS)
    assert refused.value.reason == "pdf_active", label
    _scan_only(monkeypatch)
    assert uploads.check(data, allowed=DOCUMENTS).data == data, label


@pytest.mark.parametrize(
    ("label", "data"),
    [
        (
            "a script run on opening",
            files.written_pdf(build=lambda w: w.add_open_action(JavaScript("app.alert(1)"))),
        ),
        ("an attached file", files.written_pdf(build=lambda w: w.add_attachment("a.exe", b"MZ"))),
        (
            "a launch action in a link",
            files.pdf_with_packed_objects(
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A 6 0 R >>",
                b"<< /S /Launch /F (cmd.exe) >>",
            ),
        ),
        (
            "an action resolved through a reference",
            files.raw_pdf(
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] /Annots [4 0 R] >>",
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S 5 0 R /URI 6 0 R >> >>",
                b"/URI",
                b"<6a617661736372697074 3a782829>",
            ),
        ),
    ],
)
def test_the_parser_alone_refuses_active_content(label, data):
    """The second gate holds on its own, whatever the first one caught."""
    with pytest.raises(Refused) as refused:
        uploads.parse_pdf(data)
    assert refused.value.reason == "pdf_active", label


def test_web_and_mail_links_and_plain_updates_are_kept_byte_for_byte():
    for data in (
        files.written_pdf(link="https://ecourts.gov.in/"),
        files.written_pdf(link="mailto:help@example.org"),
        files.updated_pdf(files.written_pdf(), lambda w: w.add_metadata({"/Title": "FIR"})),
        files.pdf_with_packed_objects(b"<< /Type /Annot /Subtype /Text /Rect [0 0 9 9] >>"),
    ):
        assert uploads.check(data, allowed=DOCUMENTS).data == data


def test_a_pdf_a_strict_parser_cannot_follow_is_damaged(monkeypatch):
    """Its cross-reference table points at nothing: a lenient reader would guess, and two
    readers guessing differently is how a file shows one thing to a check and another to a
    viewer."""
    data = files.pdf().replace(b"startxref\n", b"startxref\n1")
    with pytest.raises(Refused, match="damaged or not really a PDF") as refused:
        uploads.check(data, allowed=DOCUMENTS)
    assert refused.value.reason == "pdf_damaged"
    _scan_only(monkeypatch)
    assert uploads.check(data, allowed=DOCUMENTS).data == data


@pytest.mark.parametrize("error", [RecursionError, KeyError, MemoryError, ValueError])
def test_whatever_the_parser_raises_the_pdf_is_refused_as_damaged(error, monkeypatch):
    def explode(*args, **kwargs):
        raise error("hostile input")

    monkeypatch.setattr(uploads, "PdfReader", explode)
    with pytest.raises(Refused) as refused:
        uploads.check(files.pdf(), allowed=DOCUMENTS)
    assert refused.value.reason == "pdf_damaged"


@pytest.mark.parametrize(
    ("bound", "value"), [("MAX_PDF_PAGES", 2), ("MAX_PDF_OBJECTS", 5), ("MAX_PDF_SECONDS", -1)]
)
def test_a_pdf_past_the_parsers_bounds_is_too_complex(bound, value, monkeypatch):
    data = files.written_pdf(pages=3)
    assert uploads.check(data, allowed=DOCUMENTS).data == data
    monkeypatch.setattr(uploads, bound, value)
    with pytest.raises(Refused, match="too complex to check") as refused:
        uploads.check(data, allowed=DOCUMENTS)
    assert refused.value.reason == "pdf_complex"


def test_reading_stops_at_the_limit(settings):
    settings.SETU_UPLOAD_MAX_MB = 1
    limit = 1024 * 1024
    assert len(uploads.read_limited(io.BytesIO(b"x" * limit))) == limit

    class Endless(io.RawIOBase):
        asked = 0

        def read(self, n=-1):
            Endless.asked += n
            return b"x" * n

    with pytest.raises(Refused, match="larger than 1 MB") as refused:
        uploads.read_limited(Endless())
    assert refused.value.reason == "too_large"
    assert Endless.asked == limit + 1  # never more than one byte past the limit
    with pytest.raises(Refused, match="empty"):
        uploads.read_limited(io.BytesIO(b""))


def test_stored_names_cannot_reach_outside_the_upload_directory():
    for name in ("../../etc/passwd", "a" * 31, "A" * 32, "", "0" * 32 + "/x"):
        with pytest.raises(ValueError):
            uploads.stored_path(name)
