"""Streaming authenticated encryption of a byte stream under a passphrase (AES-256-GCM).

Used by ``setu backup``/``setu restore``: a dump of any size is written and read in chunks, so
neither side holds it in memory. The construction is the "STREAM" one of Hoang, Reyhanitabar,
Rogaway and Vizár: each chunk is sealed with AES-GCM under a nonce made of a random prefix, the
chunk's number and a flag marking the last chunk, with the file's header as associated data.
So a chunk cannot be altered, dropped, reordered, moved to another file, and the file cannot be
cut short or extended, without the reader noticing.

File layout::

    magic "SETUENC1" | log2(n) r p (scrypt, one byte each) | salt (16) | nonce prefix (7)
    | key check (16) | chunks: length (4, big-endian) ciphertext+tag …

The key is scrypt(passphrase, salt). The key check (HMAC-SHA256 of the header under the key,
cut to 16 bytes) tells a wrong passphrase apart from a damaged file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"SETUENC1"
CHUNK = 1 << 20  # plaintext bytes per chunk
_PREFIX = 7
_SALT = 16
_CHECK = 16
_HEADER = len(MAGIC) + 3 + _SALT + _PREFIX
_MAX_CHUNK = CHUNK + 16 + 1024  # a length above this is damage, not a chunk to allocate
# scrypt cost: 2**15 × 8 × 128 bytes = 32 MiB and about a tenth of a second per key.
DEFAULT_LOG2_N, DEFAULT_R, DEFAULT_P = 15, 8, 1


class SealedStreamError(Exception):
    """The stream cannot be opened: wrong passphrase, damage or tampering (one-line message)."""


def _derive(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    if not 10 <= log2_n <= 20 or not 1 <= r <= 16 or not 1 <= p <= 4:
        raise SealedStreamError("the file's key parameters are out of range: it is damaged")
    kdf = Scrypt(salt=salt, length=32, n=1 << log2_n, r=r, p=p)
    return kdf.derive(passphrase.encode("utf-8"))


def _check(key: bytes, header: bytes) -> bytes:
    return hmac.new(key, b"setu-key-check:" + header, hashlib.sha256).digest()[:_CHECK]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class SealedWriter:
    """A binary sink that compresses and encrypts what is written to it, chunk by chunk.

    ``write`` accepts ``str`` (UTF-8) or bytes; ``close`` writes the last chunk, without which
    a reader refuses the stream as cut short.
    """

    def __init__(
        self,
        out: BinaryIO,
        passphrase: str,
        *,
        log2_n: int = DEFAULT_LOG2_N,
        r: int = DEFAULT_R,
        p: int = DEFAULT_P,
    ) -> None:
        salt, prefix = os.urandom(_SALT), os.urandom(_PREFIX)
        self._header = MAGIC + bytes([log2_n, r, p]) + salt + prefix
        key = _derive(passphrase, salt, log2_n, r, p)
        self._aead, self._prefix, self._out = AESGCM(key), prefix, out
        self._zip = zlib.compressobj(6)
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        out.write(self._header + _check(key, self._header))

    def write(self, data: str | bytes) -> int:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self._buffer += self._zip.compress(raw)
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        if self._closed:
            return
        self._buffer += self._zip.flush()
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._closed = True

    def _seal(self, plain: bytes, *, last: bool) -> None:
        if self._counter >= 0xFFFFFFFF:
            raise SealedStreamError("the stream is too long for one file")
        sealed = self._aead.encrypt(_nonce(self._prefix, self._counter, last), plain, self._header)
        self._out.write(struct.pack(">I", len(sealed)) + sealed)
        self._counter += 1


def _read_exact(source: BinaryIO, size: int) -> bytes:
    data = source.read(size)
    return data if data is not None else b""


def open_sealed(source: BinaryIO, passphrase: str) -> Iterator[bytes]:
    """Yield the decrypted, decompressed bytes of a stream written by ``SealedWriter``.

    Raises ``SealedStreamError`` with one plain sentence for a wrong passphrase, a file that is
    not one of ours, an altered or damaged chunk, or a stream cut short or extended. Callers
    must treat what they received before an error as untrusted (restore runs in one
    transaction, so nothing of it stays).
    """
    header = _read_exact(source, _HEADER)
    if len(header) < _HEADER or not header.startswith(MAGIC):
        raise SealedStreamError("this is not an encrypted Setu file (or its start is damaged)")
    log2_n, r, p = header[len(MAGIC)], header[len(MAGIC) + 1], header[len(MAGIC) + 2]
    salt = header[len(MAGIC) + 3 : len(MAGIC) + 3 + _SALT]
    prefix = header[-_PREFIX:]
    key = _derive(passphrase, salt, log2_n, r, p)
    check = _read_exact(source, _CHECK)
    if len(check) < _CHECK:
        raise SealedStreamError("the file is cut short")
    if not hmac.compare_digest(check, _check(key, header)):
        raise SealedStreamError("wrong passphrase (or the file's header was altered)")
    return _chunks(source, AESGCM(key), prefix, header)


def _chunks(source: BinaryIO, aead: AESGCM, prefix: bytes, header: bytes) -> Iterator[bytes]:
    unzip = zlib.decompressobj()
    counter = 0
    while True:
        size_bytes = _read_exact(source, 4)
        if len(size_bytes) < 4:
            raise SealedStreamError(
                f"the file is cut short: it ends after chunk {counter} without its last chunk"
            )
        (size,) = struct.unpack(">I", size_bytes)
        sealed = _read_exact(source, size) if size <= _MAX_CHUNK else b""
        if size > _MAX_CHUNK or len(sealed) < size:
            raise SealedStreamError(f"the file is damaged or cut short at chunk {counter + 1}")
        plain, last = None, False
        for flag in (False, True):
            try:
                plain = aead.decrypt(_nonce(prefix, counter, flag), sealed, header)
            except InvalidTag:
                continue
            last = flag
            break
        if plain is None:
            raise SealedStreamError(f"the file was altered or damaged at chunk {counter + 1}")
        counter += 1
        try:
            out = unzip.decompress(plain)
        except zlib.error as exc:  # authenticated yet not ours: written by something else
            raise SealedStreamError("the file's content is not a Setu stream") from exc
        if out:
            yield out
        if last:
            rest = unzip.flush()
            if rest:
                yield rest
            if source.read(1):
                raise SealedStreamError("the file has data after its last chunk: it was altered")
            return
