"""Uploaded files, checked before anything keeps them: size as the bytes arrive, type from the
content, images rebuilt from their pixels, PDFs scanned for active content.

Nothing here knows Setu's apps or rules (``registry.services.attachments`` decides who may
upload what and where it is kept). What a refusal says is written for the person who chose
the file; ``Refused.reason`` is a short code for the audit trail.

* **Size.** ``SizeLimitUploadHandler`` (first in ``FILE_UPLOAD_HANDLERS``) counts each file's
  bytes as they arrive and stops handing them on past ``SETU_UPLOAD_MAX_MB``: the rest is
  discarded, never buffered or written, and the file arrives as a ``TooLargeUpload`` marker
  that ``read_limited`` refuses. ``read_limited`` also never reads past the limit from any
  other file-like (an API client's, a test's).
* **Type** comes from the first bytes (JPEG, PNG, WebP, PDF), never from the file name or the
  browser's content type. Pillow then opens the image with that one decoder only.
* **Images** are verified, turned upright by their EXIF orientation, then rebuilt from their
  pixels alone and encoded afresh: EXIF (with GPS), XMP, comments, text chunks and anything
  appended after the image are gone, because nothing but pixels is copied.
* **PDFs** pass two gates. First a conservative byte scan refuses any PDF whose names, in the
  file or inside its Flate-compressed streams, ask for JavaScript, an action on opening, a
  launch, embedded files, rich media, forms that submit, or encryption (which would hide the
  rest). Then pypdf parses it strictly, within bounds (pages, objects, seconds), and every
  object the document holds is walked for the same names, wherever the parser finds them: in
  object streams under any filter, in the newest revision of an incremental update, in the
  annotations' actions. A link may only lead to a web page or an e-mail address. A PDF is kept
  byte for byte; a refused one can be printed to a new PDF or photographed instead.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import struct
import time
import uuid
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Larger images are refused before their pixels are decoded (a "decompression bomb" is a small
# file that expands to gigabytes). 40 megapixels is more than any phone camera's default.
MAX_PIXELS = 40_000_000
# What all of a PDF's compressed streams may expand to while they are scanned.
MAX_PDF_INFLATED = 100 * 1024 * 1024
# How much of a PDF the parser walks before it calls the file too complex to check. A scanned
# FIR or court order runs to tens of pages; a PDF of the upload limit holds far fewer objects.
MAX_PDF_PAGES = 1000
MAX_PDF_OBJECTS = 200_000
MAX_PDF_SECONDS = 10.0

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf"}
_PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}


def max_bytes() -> int:
    """The largest file one upload may be (``SETU_UPLOAD_MAX_MB``)."""
    return int(settings.SETU_UPLOAD_MAX_MB) * 1024 * 1024


class Refused(Exception):
    """A file that is not kept: ``reason`` for the audit trail, the message for the person."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class TooLargeUpload(UploadedFile):
    """What arrives in ``request.FILES`` for a file past the limit: its name and the bytes
    counted, no content."""

    too_large = True

    def __init__(self, name: str, counted: int) -> None:
        super().__init__(io.BytesIO(b""), name=name, content_type="", size=counted)


class SizeLimitUploadHandler(FileUploadHandler):
    """Counts each uploaded file's bytes as they arrive; past ``SETU_UPLOAD_MAX_MB`` it hands
    no more on (so nothing buffers or stores the rest) and the file becomes a ``TooLargeUpload``."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.counted = 0
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.counted += len(raw_data)
        if self.counted > max_bytes():
            self.over = True
        return None if self.over else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.over:
            return TooLargeUpload(self.file_name or "", self.counted)
        return None


def _too_large() -> Refused:
    return Refused(
        "too_large",
        _("The file is larger than %(mb)d MB. Choose a smaller file or take the photo again.")
        % {"mb": settings.SETU_UPLOAD_MAX_MB},
    )


def read_limited(upload: IO[bytes] | Any) -> bytes:
    """The file's bytes, never reading more than the limit; refuses an empty or too large file."""
    limit = max_bytes()
    if getattr(upload, "too_large", False) or (getattr(upload, "size", 0) or 0) > limit:
        raise _too_large()
    # A stream that cannot seek is read once, from where it stands: its start.
    with contextlib.suppress(AttributeError, OSError):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large()
    if not data:
        raise Refused("empty", _("The file is empty."))
    return data


@dataclass(frozen=True)
class CleanFile:
    """A file that passed: the bytes to keep (images re-encoded), their type and extension."""

    data: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def sniff(data: bytes) -> str | None:
    """The type the content says, from its first bytes; ``None`` for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"%PDF-"):
        return PDF
    return None


def check(data: bytes, *, allowed: frozenset[str]) -> CleanFile:
    """``data`` made safe to keep, or ``Refused`` saying what is wrong with it."""
    found = sniff(data)
    if found is None or found not in allowed:
        names = ", ".join(sorted(EXTENSIONS[t].upper() for t in allowed))
        raise Refused(
            "type",
            _("This kind of file is not accepted here. Accepted: %(types)s.") % {"types": names},
        )
    if found == PDF:
        check_pdf(data)
        return CleanFile(data, PDF)
    return CleanFile(reencode_image(data, found), found)


# --- Images ---------------------------------------------------------------------------------

# What a damaged, truncated or disguised image makes Pillow raise.
_IMAGE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    struct.error,
    zlib.error,
)


def _damaged() -> Refused:
    return Refused(
        "damaged",
        _("The image could not be read: it is damaged or not really a JPEG, PNG or WebP."),
    )


def reencode_image(data: bytes, content_type: str) -> bytes:
    """The image's pixels, upright, in a new file of the same type: no metadata, nothing after."""
    fmt = _PILLOW_FORMAT[content_type]
    with warnings.catch_warnings():
        # Pillow's own guard only warns below twice its limit; ours (MAX_PIXELS) is lower.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise Refused(
                        "pixels",
                        _("The image is too large (%(mp)d megapixels; at most %(max)d).")
                        % {"mp": width * height // 1_000_000, "max": MAX_PIXELS // 1_000_000},
                    )
                probe.verify()
            with Image.open(io.BytesIO(data), formats=[fmt]) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                mode = "RGBA" if transparent and fmt != "JPEG" else "RGB"
                pixels = upright.convert(mode)
                # A new image given the pixels alone: none of the file's metadata comes along.
                clean = Image.new(mode, pixels.size)
                clean.paste(pixels)
        except Refused:
            raise
        except Image.DecompressionBombError as exc:
            raise Refused(
                "pixels",
                _("The image is too large (at most %(max)d megapixels).")
                % {"max": MAX_PIXELS // 1_000_000},
            ) from exc
        except _IMAGE_ERRORS as exc:
            raise _damaged() from exc
    out = io.BytesIO()
    if fmt == "PNG":
        clean.save(out, format="PNG")
    else:
        clean.save(out, format=fmt, quality=85)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------------

# Names that make a PDF do something when opened or carry other files.
PDF_ACTIVE_NAMES = frozenset(
    {
        "JavaScript",
        "JS",
        "OpenAction",
        "AA",  # additional actions: on page open, on focus, …
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "RichMedia",
        "XFA",
        "SubmitForm",
        "ImportData",
        "GoToE",
        "GoToR",  # opens another file, which may sit on a network share (leaking credentials)
        "Rendition",  # plays media, which may carry its own script
    }
)
# Where a link (a /URI action, followed only on a click) may lead: web pages and e-mail. A
# ``javascript:`` or ``file:`` link, or a path to a network share, is refused.
PDF_LINK_SCHEMES = ("http://", "https://", "mailto:")
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_HEADER = re.compile(rb"%PDF-[12]\.\d")


def _names(data: bytes) -> set[str]:
    """Every name in ``data``, with ``#xx`` escapes decoded (``/J#53`` is ``/JS``)."""
    found = set()
    for raw in _NAME.findall(data):
        name = _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        found.add(name.decode("latin-1"))
    return found


def _pdf_refused(reason: str) -> Refused:
    messages = {
        "pdf_damaged": _("The PDF could not be read: it is damaged or not really a PDF."),
        "pdf_active": _(
            "The PDF contains scripts, actions or embedded files, which are not accepted. "
            "Print it to a new PDF, or photograph the pages, and upload that."
        ),
        "pdf_encrypted": _(
            "The PDF is encrypted or password-protected. Upload a copy without a password."
        ),
        "pdf_complex": _("The PDF is too complex to check. Print it to a new PDF and upload that."),
    }
    return Refused(reason, messages[reason])


def _streams(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Each stream's dictionary (what precedes ``stream``, from its ``obj``) and raw contents;
    the search resumes after each ``endstream``, so a stream's bytes are never searched."""
    position = 0
    while (found := data.find(b"stream", position)) >= 0:
        after = found + len(b"stream")
        if data[found - 3 : found] == b"end":
            position = after
            continue
        if data[after : after + 2] == b"\r\n":
            start = after + 2
        elif data[after : after + 1] == b"\n":
            start = after + 1
        else:
            position = after
            continue
        end = data.find(b"endstream", start)
        if end < 0:
            raise _pdf_refused("pdf_damaged")
        header = data[max(0, found - 512) : found]
        if b"obj" in header:
            header = header[header.rfind(b"obj") + 3 :]
        yield header, data[start:end]
        position = end + len(b"endstream")


def _inflated_streams(data: bytes) -> list[bytes]:
    """The contents of the PDF's Flate-compressed streams (object streams included), within
    ``MAX_PDF_INFLATED`` altogether."""
    out = []
    budget = MAX_PDF_INFLATED
    for header, raw in _streams(data):
        if b"/FlateDecode" not in header and b"/Fl " not in header and b"/Fl]" not in header:
            # Objects packed in a stream under another encoding would hide their names.
            if b"/ObjStm" in header:
                raise _pdf_refused("pdf_complex")
            continue
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(raw, budget + 1)
        except zlib.error as exc:
            raise _pdf_refused("pdf_damaged") from exc
        if len(chunk) > budget:
            raise _pdf_refused("pdf_complex")
        budget -= len(chunk)
        out.append(chunk)
    return out


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that is damaged, encrypted or holds active content (see the module)."""
    if not _HEADER.match(data) or b"%%EOF" not in data[-2048:] or b"startxref" not in data:
        raise _pdf_refused("pdf_damaged")
    if not re.search(rb"\d+\s+\d+\s+obj\b", data):
        raise _pdf_refused("pdf_damaged")
    names = _names(data)
    if "Encrypt" in names:
        raise _pdf_refused("pdf_encrypted")
    for content in _inflated_streams(data):
        names |= _names(content)
    if names & PDF_ACTIVE_NAMES:
        raise _pdf_refused("pdf_active")
    parse_pdf(data)


def parse_pdf(data: bytes) -> None:
    """The second gate: pypdf parses the PDF strictly and within bounds, and every object it
    holds is walked for active content the byte scan could not see. Any failure to parse is
    a refusal (the file is damaged, or built to confuse a parser)."""
    deadline = time.monotonic() + MAX_PDF_SECONDS
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            raise _pdf_refused("pdf_encrypted")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise _pdf_refused("pdf_complex")
        _walk_pdf(reader, deadline)
    except Refused:
        raise
    # Hostile input may make a parser raise anything; whatever it is, the file is not kept.
    except Exception as exc:
        raise _pdf_refused("pdf_damaged") from exc


# What the walk follows; numbers and strings cannot hold a name.
_WALKED = (IndirectObject, DictionaryObject, ArrayObject, NameObject)


def _walk_pdf(reader: Any, deadline: float) -> None:
    """Every object of the PDF, from its trailer (the document catalog: pages, annotations,
    name trees, forms, outlines) and from each entry of its cross-reference table, reachable or
    not, objects packed in object streams included; iterative, so deep nesting cannot exhaust
    the stack."""
    pending: list[Any] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending.extend(IndirectObject(number, generation, reader) for number in numbers)
    pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    visited = 0
    while pending:
        visited += 1
        if visited > MAX_PDF_OBJECTS or time.monotonic() > deadline:
            raise _pdf_refused("pdf_complex")
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            entries = dict.items(item)
            for key, _value in entries:
                _refuse_active_name(key)
            if _resolved(dict.get(item, "/S")) == "/URI":
                _refuse_link(_resolved(dict.get(item, "/URI")))
            pending.extend(value for _key, value in entries if isinstance(value, _WALKED))
        elif isinstance(item, ArrayObject):
            pending.extend(value for value in list.__iter__(item) if isinstance(value, _WALKED))
        elif isinstance(item, NameObject):
            _refuse_active_name(item)


def _resolved(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _refuse_active_name(name: str) -> None:
    if name[1:] in PDF_ACTIVE_NAMES:
        raise _pdf_refused("pdf_active")


def _refuse_link(target: Any) -> None:
    """A link that leads anywhere but a web page or an e-mail address is refused."""
    if isinstance(target, bytes):
        target = target.decode("latin-1")
    if not isinstance(target, str) or not target.lower().startswith(PDF_LINK_SCHEMES):
        raise _pdf_refused("pdf_active")


# --- Storage: files under SETU_UPLOAD_DIR, by random name -------------------------------------

_STORED_NAME = re.compile(r"[0-9a-f]{32}")


def upload_dir() -> Path:
    """Where checked files are kept (``SETU_UPLOAD_DIR``): outside the static files, never
    served by the proxy."""
    return Path(settings.SETU_UPLOAD_DIR)


def stored_path(name: str) -> Path:
    """The path of a kept file; ``name`` must be one ``store`` made (32 hex digits), so no
    name can reach outside the upload directory."""
    if not _STORED_NAME.fullmatch(name or ""):
        raise ValueError("not a stored file name")
    return upload_dir() / name[:2] / name


def store(data: bytes) -> str:
    """Keep ``data`` under a new random name (no extension) readable only by Setu's user;
    written to a temporary name first, so a file is either whole or absent."""
    name = uuid.uuid4().hex
    path = stored_path(name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{name}.part")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return name


def store_as(name: str, data: bytes) -> None:
    """Keep ``data`` under a name a backup carried (restore)."""
    path = stored_path(name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{name}.part")
    with open(temporary, "wb") as out:
        os.chmod(temporary, 0o600)
        out.write(data)
    os.replace(temporary, path)


def open_stored(name: str) -> IO[bytes]:
    """A kept file, opened for reading; ``FileNotFoundError`` when it is gone."""
    return open(stored_path(name), "rb")


def remove_stored(name: str) -> None:
    """Remove a kept file (nothing happens when it is already gone)."""
    stored_path(name).unlink(missing_ok=True)


def stored_names(*, older_than: float = 0) -> Iterator[str]:
    """Names of the kept files last changed more than ``older_than`` seconds ago."""
    root = upload_dir()
    if not root.is_dir():
        return
    cutoff = time.time() - older_than
    for path in sorted(root.glob("??/*")):
        if _STORED_NAME.fullmatch(path.name) and path.stat().st_mtime <= cutoff:
            yield path.name


def file_response(handle: IO[bytes], *, content_type: str, filename: str) -> FileResponse:
    """A kept file as a download (``Content-Disposition: attachment``, never shown inline),
    with the type its content was checked to be, no type sniffing and no caching."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
