"""Files for upload tests, made in memory: photos with EXIF and GPS, PDFs clean and hostile."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image
from pypdf import PdfWriter
from pypdf.annotations import Link

# Where the photo says it was taken (a survivor's village, say): must never be kept.
LATITUDE = (22.0, 34.0, 12.0)
LONGITUDE = (88.0, 21.0, 5.0)
# Bytes smuggled after the end of an image.
PAYLOAD = b"<script>alert('hidden after the image')</script>"


def photo(fmt: str = "JPEG", *, size: tuple[int, int] = (64, 48), orientation: int = 1) -> bytes:
    """A small photo with a camera make, a GPS position and an orientation in its EXIF."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCam"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = LONGITUDE
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + _png_chunk(b"IEND", b"")
    )


def pdf(*objects: bytes) -> bytes:
    """A one-page PDF; ``objects`` are added as further numbered objects."""
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *objects,
    )


def raw_pdf(*objects: bytes, trailer: bytes = b"/Root 1 0 R") -> bytes:
    """``objects`` numbered from 1, with a cross-reference table that finds each of them."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d " % (len(objects) + 1) + trailer + b" >>\n"
    return bytes(out + b"startxref\n%d\n" % start + b"%%EOF\n")


def pdf_with_packed_objects(*packed: bytes) -> bytes:
    """A one-page PDF (PDF 1.5) whose page's annotations and their actions (``packed``: objects
    5, 6, …; the page lists object 5 as its annotation) sit in an object stream written in hex
    and typed with an escaped name, so no byte scan reads them."""
    offsets, body = [], b""
    for obj in packed:
        offsets.append(len(body))
        body += obj + b" "
    header = b"".join(b"%d %d " % (5 + i, o) for i, o in enumerate(offsets))
    hexed = (header + body).hex().encode() + b">"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R] >>",
        b"<< /Type /Obj#53tm /N %d /First %d /Filter /ASCIIHexDecode /Length %d >>\nstream\n"
        % (len(packed), len(header), len(hexed))
        + hexed
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    positions = []
    for number, obj in enumerate(objects, start=1):
        positions.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref_number = len(objects) + len(packed) + 1
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, p, 0) for p in positions]
    rows += [struct.pack(">BIH", 2, 4, i) for i in range(len(packed))]
    start = len(out)
    rows.append(struct.pack(">BIH", 1, start, 0))
    table = b"".join(rows)
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_number, xref_number + 1, len(table))
        + table
        + b"\nendstream\nendobj\n"
    )
    return bytes(out + b"startxref\n%d\n" % start + b"%%EOF\n")


def written_pdf(*, pages: int = 1, link: str = "", build=None) -> bytes:
    """A PDF as pypdf's writer makes it: blank pages, a link annotation on the first one, and
    whatever ``build(writer)`` adds."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(200, 200)
    if link:
        writer.add_annotation(0, Link(rect=(10, 10, 100, 30), url=link))
    if build is not None:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def updated_pdf(original: bytes, build) -> bytes:
    """``original`` with an incremental update appended (its bytes unchanged, a new revision
    after them), made by ``build(writer)``."""
    writer = PdfWriter(io.BytesIO(original), incremental=True)
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def flate_stream(content: bytes) -> bytes:
    """A compressed stream object (as an object stream hides its objects from a byte scan)."""
    packed = zlib.compress(content)
    return (
        b"<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream"
    )


def upload(data: bytes, name: str = "upload.jpg", content_type: str = "image/jpeg"):
    """What a browser sends: the name and type are the client's word, never trusted."""
    return SimpleUploadedFile(name, data, content_type=content_type)
