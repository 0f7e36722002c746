"""The encrypted stream under backups: round trip, and every kind of damage refused by name."""

from __future__ import annotations

import io
import os

import pytest

from setu.core.sealed_stream import CHUNK, SealedStreamError, SealedWriter, open_sealed

PASS = "correct horse battery staple"


def _sealed(data: bytes, passphrase: str = PASS) -> bytes:
    out = io.BytesIO()
    writer = SealedWriter(out, passphrase, log2_n=10)
    # Written in uneven pieces, as the backup writes line by line.
    for start in range(0, len(data), 77_777):
        writer.write(data[start : start + 77_777])
    writer.close()
    return out.getvalue()


def _opened(blob: bytes, passphrase: str = PASS) -> bytes:
    return b"".join(open_sealed(io.BytesIO(blob), passphrase))


@pytest.fixture(scope="module")
def data() -> bytes:
    # Incompressible, so it spans several chunks after compression.
    return os.urandom(CHUNK * 2 + 12345)


def test_round_trip_over_several_chunks(data):
    blob = _sealed(data)
    assert data not in blob
    assert _opened(blob) == data


def test_an_empty_stream_round_trips():
    assert _opened(_sealed(b"")) == b""


def test_a_wrong_passphrase_is_named_as_such(data):
    with pytest.raises(SealedStreamError, match=r"^wrong passphrase"):
        _opened(_sealed(data), "not the passphrase")


@pytest.mark.parametrize("where", [0.3, 0.6, 0.99])
def test_a_flipped_byte_anywhere_is_refused(data, where):
    blob = bytearray(_sealed(data))
    blob[int(len(blob) * where)] ^= 0x01
    with pytest.raises(SealedStreamError, match=r"altered or damaged|cut short"):
        _opened(bytes(blob))


def test_a_stream_cut_at_a_chunk_boundary_is_refused(data):
    blob = _sealed(data)
    # Drop the last chunk whole: every chunk left is authentic, yet the end is missing.
    offsets, position = [], 8 + 3 + 16 + 7 + 16
    while position < len(blob):
        offsets.append(position)
        position += 4 + int.from_bytes(blob[position : position + 4], "big")
    with pytest.raises(SealedStreamError, match="cut short"):
        _opened(blob[: offsets[-1]])


def test_data_after_the_last_chunk_is_refused(data):
    with pytest.raises(SealedStreamError, match="after its last chunk"):
        _opened(_sealed(data) + b"\x00")


def test_a_file_that_is_not_ours_is_named():
    with pytest.raises(SealedStreamError, match="not an encrypted Setu file"):
        _opened(b"PK\x03\x04" + b"\x00" * 100)
