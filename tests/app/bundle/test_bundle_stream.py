"""The chunk STREAM on its own: counter and last-chunk flag in every nonce."""

from __future__ import annotations

import os

import pytest

from app.bundle import stream
from app.bundle.records import BundleRejected

KEY, PREFIX, AAD = os.urandom(32), os.urandom(7), b"header"
SIZE = 64  # small chunks: the layout is the same as with 64 KiB
PLAIN = os.urandom(4 * SIZE + 10)
CT = stream.encrypt(KEY, PREFIX, AAD, PLAIN, SIZE)
FULL = SIZE + stream.TAG_SIZE
CHUNKS = [CT[i:i + FULL] for i in range(0, len(CT), FULL)]


def why(chunks: list[bytes], aad: bytes = AAD, prefix: bytes = PREFIX) -> str:
    with pytest.raises(BundleRejected) as caught:
        stream.decrypt(KEY, prefix, aad, b"".join(chunks), SIZE)
    return caught.value.reason


def test_round_trip_for_every_length_around_the_chunk_edges() -> None:
    assert len(CHUNKS) == 5
    for n in (0, 1, SIZE - 1, SIZE, SIZE + 1, 2 * SIZE, 3 * SIZE + 7):
        data = os.urandom(n)
        ct = stream.encrypt(KEY, PREFIX, AAD, data, SIZE)
        assert len(ct) == n + 16 * max(1, -(-n // SIZE))
        assert stream.decrypt(KEY, PREFIX, AAD, ct, SIZE) == data


def test_a_stream_cut_at_a_chunk_boundary_is_truncated() -> None:
    assert why(CHUNKS[:-1]) == "truncated"
    assert why(CHUNKS[:1]) == "truncated"
    assert why([]) == "truncated"


def test_a_chunk_after_the_last_one_is_trailing_data() -> None:
    assert why([*CHUNKS, CHUNKS[0]]) == "chunk_damaged"  # chunk 0 at position 5: wrong counter
    full_last = stream.encrypt(KEY, PREFIX, AAD, PLAIN[:2 * SIZE], SIZE)
    parts = [full_last[:FULL], full_last[FULL:]]
    assert why([*parts, parts[0]]) == "trailing_data"


def test_reordered_dropped_duplicated_or_changed_chunks_are_damaged() -> None:
    c = CHUNKS
    assert why([c[1], c[0], *c[2:]]) == "chunk_damaged"
    assert why([c[0], c[2], c[3], c[4]]) == "chunk_damaged"
    assert why([c[0], c[0], c[2], c[3], c[4]]) == "chunk_damaged"
    assert why([c[0], c[1], c[2], c[3], c[4][:-1]]) == "chunk_damaged"
    assert why(c, aad=b"other header") == "chunk_damaged"
    assert why(c, prefix=os.urandom(7)) == "chunk_damaged"
    assert why([*c[:-1], c[-1][:10]]) == "chunk_damaged"  # a last chunk shorter than a tag


def test_the_payload_key_depends_on_file_key_and_prefix() -> None:
    file_key = os.urandom(32)
    assert stream.stream_key(file_key, PREFIX) != stream.stream_key(file_key, os.urandom(7))
    assert stream.stream_key(file_key, PREFIX) != file_key
