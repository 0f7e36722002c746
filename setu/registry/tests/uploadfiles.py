"""Files for upload tests, made in memory: photos with EXIF and GPS, PDFs clean and hostile."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

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
    body = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    for number, obj in enumerate(body, start=1):
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    out += b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
    return bytes(out)


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
