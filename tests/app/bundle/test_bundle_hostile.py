"""The hostile corpus, outside the payload: a damaged header, stanza, chunk or signature, a cut
or padded file, a wrong recipient, a sender not trusted or impersonated, an oversized file. Each
is refused with its own reason, nothing returned. The payload's own damage (compression, CBOR,
manifest, rows): test_bundle_hostile_payload.py."""

from __future__ import annotations

import io
import struct
from dataclasses import replace
from pathlib import Path

import pytest

from app.bundle import payload
from app.bundle.header import HEADER_SIZE
from app.bundle.reader import check_size, open_bundle, read_capped
from app.bundle.records import BundleRejected, SenderKey
from app.bundle.writer import seal_bundle
from tests.app.bundle.world import (
    ALICE,
    BOB,
    CAROL,
    CONTENT,
    MALLORY,
    TRUSTS_ALICE,
    hostile,
    join,
    lookup,
    matching,
    reason,
    split,
)

# Two recipients and four chunks (three full, one short), so every part exists twice or more.
GOOD = seal_bundle(CONTENT, ALICE.own, [BOB.recipient, CAROL.recipient])
PARTS = split(GOOD)
STANZAS_AT = HEADER_SIZE
CHUNKS_AT = HEADER_SIZE + 2 * len(PARTS.stanzas[0])


def flip(data: bytes, at: int, mask: int = 0x01) -> bytes:
    b = bytearray(data)
    b[at] ^= mask
    return bytes(b)


def put(data: bytes, at: int, fmt: str, value: int) -> bytes:
    b = bytearray(data)
    struct.pack_into(fmt, b, at, value)
    return bytes(b)


def test_the_corpus_base_opens() -> None:
    assert len(PARTS.chunks) == 4 and len(PARTS.chunks[-1]) < len(PARTS.chunks[0])
    assert open_bundle(GOOD, BOB.own, TRUSTS_ALICE).content == CONTENT


@pytest.mark.parametrize("data,expected", [
    (b"", "not_a_bundle"), (b"PK\x03\x04" + bytes(200), "not_a_bundle"),
    (flip(GOOD, 0), "not_a_bundle"), (GOOD[:5], "truncated"),
    (put(GOOD, 8, ">H", 3), "unsupported_version"),
    (put(GOOD, 8, ">H", 1), "unsupported_version"),  # version 1: rows as canonical maps
    (put(GOOD, 8, ">H", 0), "unsupported_version"),
    (put(GOOD, 10, ">B", 2), "unsupported_algorithm"),  # signature
    (put(GOOD, 11, ">B", 2), "unsupported_algorithm"),  # key agreement
    (put(GOOD, 12, ">B", 2), "unsupported_algorithm"),  # KDF
    (put(GOOD, 13, ">B", 2), "unsupported_algorithm"),  # AEAD
    (put(GOOD, 14, ">B", 20), "unsupported_algorithm"),  # chunk size
    (put(GOOD, 15, ">B", 0), "header_damaged"), (put(GOOD, 15, ">B", 7), "header_damaged"),
    (put(GOOD, 89, ">B", 1), "header_damaged"),  # reserved
    (put(GOOD, 72, ">H", 0), "header_damaged"), (put(GOOD, 72, ">H", 65), "header_damaged"),
    (put(GOOD, 72, ">H", 1), "trailing_data"), (put(GOOD, 72, ">H", 3), "truncated"),
    (put(GOOD, 74, ">Q", len(GOOD)), "truncated"), (put(GOOD, 74, ">Q", 10), "trailing_data"),
    (put(GOOD, 74, ">Q", 1 << 40), "too_large"),
    (flip(GOOD, 16), "bad_signature"),  # bundle uuid
    (flip(GOOD, 70), "bad_signature"),  # created_at
    (flip(GOOD, 85), "bad_signature"),  # nonce prefix
    (flip(GOOD, 40), "sender_unknown"),  # sender fingerprint
])
def test_header_damage(data: bytes, expected: str) -> None:
    assert reason(data) == expected


@pytest.mark.parametrize("at", [0, 31, 32, 64, 65, 112])
@pytest.mark.parametrize("stanza", [0, 1])
def test_a_changed_stanza_byte_breaks_the_signature(stanza: int, at: int) -> None:
    assert reason(flip(GOOD, STANZAS_AT + stanza * 113 + at)) == "bad_signature"


@pytest.mark.parametrize("at", [CHUNKS_AT, CHUNKS_AT + 70_000, len(GOOD) - 65, len(GOOD) - 64,
                                len(GOOD) - 33, len(GOOD) - 1])
def test_a_changed_chunk_or_signature_byte_breaks_the_signature(at: int) -> None:
    assert reason(flip(GOOD, at, 0x80)) == "bad_signature"


def test_truncation_at_many_offsets() -> None:
    cuts = sorted({1, 7, 8, 50, HEADER_SIZE - 1, HEADER_SIZE, CHUNKS_AT - 1, CHUNKS_AT,
                   CHUNKS_AT + 65_552, *range(CHUNKS_AT + 1, len(GOOD), 9_973),
                   len(GOOD) - 64, len(GOOD) - 1})
    for cut in cuts:
        assert reason(GOOD[:cut]) == "truncated", cut


def test_chunks_reordered_dropped_duplicated_appended_by_an_outsider() -> None:
    c = PARTS.chunks
    swapped = replace(PARTS, chunks=[c[1], c[0], *c[2:]])
    assert reason(join(swapped)) == "bad_signature"
    assert reason(join(replace(PARTS, chunks=[c[0], c[2], c[3]]))) == "truncated"
    assert reason(join(replace(PARTS, chunks=c[:-1]))) == "truncated"
    assert reason(join(replace(PARTS, chunks=[c[0], c[0], *c[1:]]))) == "trailing_data"
    assert reason(join(replace(PARTS, chunks=[*c, c[1]]))) == "trailing_data"
    assert reason(GOOD + b"\x00") == "trailing_data"
    assert reason(GOOD + GOOD) == "trailing_data"


def test_chunks_broken_by_the_sender_itself_fail_the_stream() -> None:
    """Signed by the real sender, so only the chunks' own authentication is left to catch it."""
    c = PARTS.chunks
    for chunks in ([c[1], c[0], *c[2:]], [c[0], c[0], c[2], c[3]], [c[0], c[1], c[1], c[3]]):
        assert reason(join(replace(PARTS, chunks=chunks), signer=ALICE)) == "chunk_damaged"
    damaged = bytearray(c[2])
    damaged[5] ^= 1
    assert reason(join(replace(PARTS, chunks=[c[0], c[1], bytes(damaged), c[3]]),
                       signer=ALICE)) == "chunk_damaged"


def test_wrong_recipient_and_a_stanza_not_made_for_this_vault() -> None:
    assert reason(seal_bundle(CONTENT, ALICE.own, [CAROL.recipient])) == "wrong_recipient"
    # Carol's wrapped key under Bob's fingerprint, re-signed by the sender: names Bob, won't open.
    s = PARTS.stanzas
    relabelled = replace(PARTS, stanzas=[s[0][:32] + s[1][32:], s[1]])
    assert reason(join(relabelled, signer=ALICE)) == "wrong_recipient"
    assert reason(join(replace(PARTS, stanzas=[s[0], s[0]]), signer=ALICE)) == "header_damaged"


def test_unknown_untrusted_and_distrusted_senders_are_named() -> None:
    for senders, expected in ((lookup(), "sender_unknown"),
                              (lookup(ALICE.sender_key("unknown")), "sender_untrusted"),
                              (lookup(ALICE.sender_key("distrusted")), "sender_distrusted")):
        with pytest.raises(BundleRejected) as caught:
            open_bundle(GOOD, BOB.own, senders)
        e = caught.value
        assert e.reason == expected and e.waiting is (expected != "sender_distrusted")
        assert (e.sender_fingerprint, e.bundle_uuid, e.kind) == (
            ALICE.fingerprint, CONTENT.bundle_uuid, "deputy")


def test_a_bundle_re_signed_by_another_key_claiming_the_sender() -> None:
    assert reason(join(PARTS, signer=MALLORY)) == "bad_signature"
    # Mallory's own complete bundle naming Alice as sender: the header fingerprint is Alice's.
    forged = hostile(payload.encode(CONTENT), sender=MALLORY,
                     tweak=lambda h: replace(matching(CONTENT)(h),
                                             sender_fingerprint=ALICE.fingerprint))
    assert reason(forged) == "bad_signature"
    # A lookup answering with a key of another fingerprint is no proof.
    swapped = SenderKey(MALLORY.fingerprint, ALICE.keys.signing_public, "trusted", "casework")
    assert reason(GOOD, lambda fp: swapped) == "bad_signature"


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    assert reason(GOOD, max_size=len(GOOD) - 1) == "too_large"
    with pytest.raises(BundleRejected) as caught:
        check_size(513 * 1024 * 1024)
    assert caught.value.reason == "too_large"
    path = tmp_path / "big.bundle"
    with path.open("wb") as f:
        f.truncate(64 * 1024 * 1024)  # sparse: a 64 MiB file that was never written
    with path.open("rb") as raw:
        counting = _Counting(raw)
        with pytest.raises(BundleRejected) as caught:
            read_capped(counting, max_size=1024)  # type: ignore[arg-type]
    assert caught.value.reason == "too_large" and counting.read_bytes == 1025
    with io.BytesIO(GOOD) as f:
        assert read_capped(f, max_size=len(GOOD)) == GOOD


class _Counting:
    def __init__(self, f: io.BufferedReader) -> None:
        self.f, self.read_bytes = f, 0

    def read(self, n: int = -1) -> bytes:
        data = self.f.read(n)
        self.read_bytes += len(data)
        return data

