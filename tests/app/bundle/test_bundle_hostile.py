"""The hostile corpus: each broken bundle is refused with its own reason, nothing returned."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from app.bundle import cbor, payload
from app.bundle.header import HEADER_SIZE
from app.bundle.reader import check_size, open_bundle, read_capped
from app.bundle.records import BundleRejected, SenderKey
from app.bundle.writer import seal_bundle
from tests.app.bundle.world import (
    ALICE,
    BOB,
    CAROL,
    MALLORY,
    TRUSTS_ALICE,
    content,
    full_row,
    hostile,
    join,
    lookup,
    matching,
    payload_map,
    split,
    tombstone,
)

# Two recipients and four chunks (three full, one short), so every part exists twice or more.
CONTENT = content(rows=[full_row(photo=random.Random(7).randbytes(200_000)), tombstone()])
GOOD = seal_bundle(CONTENT, ALICE.own, [BOB.recipient, CAROL.recipient])
PARTS = split(GOOD)
STANZAS_AT = HEADER_SIZE
CHUNKS_AT = HEADER_SIZE + 2 * len(PARTS.stanzas[0])


def reason(data: bytes, senders: Callable[[str], SenderKey | None] = TRUSTS_ALICE,
           **kw: Any) -> str:
    with pytest.raises(BundleRejected) as caught:
        open_bundle(data, BOB.own, senders, **kw)
    return caught.value.reason


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


def test_a_decompression_bomb_is_stopped_at_the_cap() -> None:
    small = content(rows=[tombstone()])
    m = payload_map(small)
    m["body"] = {"padding": "x" * 3_000_000}
    bomb = hostile(cbor.dumps(m), tweak=matching(small))
    assert len(bomb) < 20_000
    assert reason(bomb, max_payload=1_000_000) == "payload_too_large"
    assert open_bundle(bomb, BOB.own, TRUSTS_ALICE).content.body == m["body"]


@pytest.mark.parametrize("plain", [
    b"",  # nothing
    b"\x9f\x01\xff",  # indefinite length
    b"\xa1\x01\x02",  # integer map key
    b"\x81" * 200 + b"\x01",  # nested deeper than allowed
    b"\x9b" + b"\xff" * 8,  # claims 2^64-1 items
    b"\xc1\x1a\x00\x00\x00\x00",  # tag 1 (not allowed)
    b"\xd8\x1c\x80",  # tag 28 (shared values)
    b"\xf7",  # undefined
    b"\xa2\x64kind\x01\x64kind\x02",  # duplicate key
    cbor.dumps([1, 2, 3]),  # not a map
])
def test_malformed_payloads(plain: bytes) -> None:
    assert reason(hostile(plain)) == "payload_malformed"


def test_duplicate_keys_in_the_real_payload() -> None:
    good = cbor.dumps(payload_map(CONTENT))
    assert good.count(b"\x64kind") == 1
    # Rename "body" to "kind" (same length): a second "kind" key in the top-level map.
    duplicated = good.replace(b"\x64body", b"\x64kind", 1)
    assert reason(hostile(duplicated, tweak=matching(CONTENT))) == "payload_malformed"
    assert open_bundle(hostile(good, tweak=matching(CONTENT)), BOB.own, TRUSTS_ALICE)


def test_a_deeply_nested_body() -> None:
    m = payload_map(CONTENT)
    deep: Any = "unten"
    for _ in range(40):
        deep = [deep]
    m["body"] = {"deep": deep}
    assert reason(hostile(cbor.dumps(m), tweak=matching(CONTENT))) == "payload_malformed"


def test_broken_compression() -> None:
    plain = payload.encode(CONTENT)
    assert open_bundle(hostile(b"", compressed=zlib.compress(plain), tweak=matching(CONTENT)),
                       BOB.own, TRUSTS_ALICE).content == CONTENT
    for compressed in (b"not zlib at all", zlib.compress(plain)[:-2],
                       zlib.compress(plain) + b"tail", zlib.compress(plain) * 2):
        assert reason(hostile(b"", compressed=compressed, tweak=matching(CONTENT))) == (
            "payload_malformed")


def test_data_after_the_payload_item() -> None:
    assert reason(hostile(payload.encode(CONTENT) + b"\x00", tweak=matching(CONTENT))) == (
        "payload_malformed")


@pytest.mark.parametrize("field,value", [
    ("kind", "transfer"), ("bundle_uuid", "77" * 16), ("version", 1), ("sender", None),
    ("rows", {}), ("body", []), ("audit_head", {"seq": -1, "hash": "x"}),
    ("created_at", "2026-12-04")])
def test_payload_fields_that_do_not_fit(field: str, value: Any) -> None:
    m = payload_map(CONTENT)
    m[field] = value
    assert reason(hostile(cbor.dumps(m), tweak=matching(CONTENT))) == "payload_malformed"


def test_the_payload_must_name_the_header_s_moment_and_sender() -> None:
    m = payload_map(CONTENT)
    m["sender"]["fingerprint"] = CAROL.fingerprint
    assert reason(hostile(cbor.dumps(m), tweak=matching(CONTENT))) == "payload_malformed"
    assert reason(hostile(payload.encode(CONTENT), tweak=lambda h: replace(
        matching(CONTENT)(h), created_at=h.created_at.replace(microsecond=0)))) == (
        "payload_malformed")


def _row_edit(change: Callable[[list[Any]], None], at: int = 0,
              rehash: bool = False) -> Callable[[dict[str, Any]], None]:
    """A change to one row's array, re-encoded; its manifest hash left as it was, or made to
    match the changed bytes (``rehash``: a sender who breaks its own rows)."""
    def edit(m: dict[str, Any]) -> None:
        row = cbor.loads(m["rows"][at], max_depth=32, max_items=10**6)
        change(row)
        m["rows"][at] = cbor.dumps(row)
        if rehash:
            m["manifest"][at][3] = hashlib.sha256(m["rows"][at]).digest()
    return edit


def test_a_manifest_that_does_not_match_its_rows() -> None:
    base = payload_map(CONTENT)
    assert open_bundle(hostile(cbor.dumps(base), tweak=matching(CONTENT)), BOB.own,
                       TRUSTS_ALICE).content.rows == CONTENT.rows
    changes: list[Callable[[dict[str, Any]], None]] = [
        _row_edit(lambda r: r.__setitem__(6, "Geändert")),
        _row_edit(lambda r: r.__setitem__(1, True)),
        lambda m: m["manifest"][0].__setitem__(0, "person"),
        lambda m: m["manifest"][0].__setitem__(3, bytes(32)),
        lambda m: m["manifest"].pop(),
        lambda m: m["manifest"].reverse(),
        lambda m: m["rows"].reverse(),
        lambda m: m["manifest"][0].append(1),
        lambda m: m.update(manifest=[]),
        lambda m: m["manifest"].__setitem__(1, "entry"),
    ]
    for i, change in enumerate(changes):
        m = payload_map(CONTENT)
        change(m)
        assert reason(hostile(cbor.dumps(m), tweak=matching(CONTENT))) == "manifest_mismatch", i


def test_the_manifest_names_each_row() -> None:
    """Uuid and version vector travel once, in the manifest entry (the hash covers the row's
    content): an entry of the wrong types is malformed, another valid one is what arrives."""
    for change in (lambda m: m["manifest"][0].__setitem__(1, 7),
                   lambda m: m["manifest"][0].__setitem__(1, "x" * 1025),
                   lambda m: m["manifest"][0].__setitem__(2, {"a1" * 16: -1}),
                   lambda m: m["manifest"][0].__setitem__(2, {"a1" * 16: 1.5}),
                   lambda m: m["manifest"][0].__setitem__(2, [1]),
                   lambda m: m["manifest"][1].__setitem__(2, {"a1" * 16: 1 << 63})):
        m = payload_map(CONTENT)
        change(m)
        assert reason(hostile(cbor.dumps(m), tweak=matching(CONTENT))) == "payload_malformed"
    m = payload_map(CONTENT)
    m["manifest"][1][1] = "ff" * 16
    m["manifest"][1][2] = {"b2" * 16: 3}
    rows = open_bundle(hostile(cbor.dumps(m), tweak=matching(CONTENT)), BOB.own,
                       TRUSTS_ALICE).content.rows
    assert (rows[1].uuid, rows[1].version_vector) == ("ff" * 16, {"b2" * 16: 3})


def _layout_edit(change: Callable[[list[Any]], None]) -> Callable[[dict[str, Any]], None]:
    return lambda m: change(m["layouts"])


_ROW_DAMAGE: list[Callable[[dict[str, Any]], None]] = [
    _row_edit(lambda r: r.append("one more"), rehash=True),  # row array too long
    _row_edit(lambda r: r.pop(), rehash=True),  # row array too short
    _row_edit(lambda r: r.__setitem__(0, 7), rehash=True),  # no such layout
    _row_edit(lambda r: r.__setitem__(0, "0"), rehash=True),
    _row_edit(lambda r: r.__setitem__(1, 0), rehash=True),  # deleted not a bool
    _row_edit(lambda r: r.__setitem__(2, None), rehash=True),  # origin not text
    _row_edit(lambda r: r.__setitem__(4, []), rehash=True),  # stamps not a map
    _row_edit(lambda r: r.__setitem__(4, {"name": ["a1" * 16]}), rehash=True),
    _row_edit(lambda r: r.__setitem__(5, {"nonsense": [["a1" * 16, 1, "x"]]}),
              rehash=True),  # alternatives for an unknown column
    _row_edit(lambda r: r.__setitem__(5, {"name": [["a1" * 16, 1]]}), rehash=True),
    _layout_edit(lambda ls: ls[0][1][0].__setitem__(1, "blob")),  # unknown column kind
    _layout_edit(lambda ls: ls[0][1][1].__setitem__(0, ls[0][1][0][0])),  # column twice
    _layout_edit(lambda ls: ls[0][1][0].__setitem__(0, "")),  # empty column name
    _layout_edit(lambda ls: ls[0][1][0].__setitem__(0, 5)),  # column name not text
    _layout_edit(lambda ls: ls[0].__setitem__(0, None)),  # table not text
    _layout_edit(lambda ls: ls[0].append([])),
    _layout_edit(lambda ls: ls.append(ls[0])),  # a layout given twice
    _layout_edit(lambda ls: ls.pop()),  # the tombstone's layout missing
    lambda m: m.update(layouts={}),
]


@pytest.mark.parametrize("i", range(len(_ROW_DAMAGE)))
def test_rows_and_layouts_that_do_not_fit(i: int) -> None:
    m = payload_map(CONTENT)
    _ROW_DAMAGE[i](m)
    assert reason(hostile(cbor.dumps(m), tweak=matching(CONTENT))) == "payload_malformed"


def _typed_column(kind: str) -> int:
    columns = payload_map(CONTENT)["layouts"][0][1]
    return 6 + [k for _, k in columns].index(kind)


@pytest.mark.parametrize("kind,value", [
    ("datetime", "2026-03-01T08:00:00Z"), ("datetime", 1.5), ("datetime", True),
    ("datetime", 1 << 62), ("datetime", -(1 << 62)), ("date", 3_000_000), ("date", "1990-02-28"),
    ("date", -800_000)])
def test_typed_columns_hold_integers_in_range(kind: str, value: Any) -> None:
    at = _typed_column(kind)
    m = payload_map(CONTENT)
    _row_edit(lambda r: r.__setitem__(at, value), rehash=True)(m)
    assert reason(hostile(cbor.dumps(m), tweak=matching(CONTENT))) == "payload_malformed"


def test_each_row_s_bytes_hold_exactly_one_item() -> None:
    two = payload_map(CONTENT)
    two["rows"][1] += b"\xf6"  # one more item after the row
    # The first row cut short, its end moved into the second row's bytes.
    cut = payload_map(CONTENT)
    cut["rows"][0], cut["rows"][1] = cut["rows"][0][:-1], cut["rows"][0][-1:] + cut["rows"][1]
    for m in (two, cut):
        for i in (0, 1):
            m["manifest"][i][3] = hashlib.sha256(m["rows"][i]).digest()
        assert reason(hostile(cbor.dumps(m), tweak=matching(CONTENT))) == "payload_malformed"


def test_a_row_that_matches_its_hash_but_is_malformed() -> None:
    for row in (b"\xf7", cbor.dumps({"table": "x"}), cbor.dumps([1]), b"\xa1\x01\x02"):
        m = payload_map(content(rows=[tombstone()]))
        m["rows"] = [row]
        m["manifest"][0][3] = hashlib.sha256(row).digest()
        c = content(rows=[tombstone()])
        assert reason(hostile(cbor.dumps(m), tweak=lambda h, c=c, m=m: replace(
            h, bundle_uuid=m["bundle_uuid"], kind=c.kind))) == "payload_malformed"


def test_the_payload_decoder_checks_the_kind_itself() -> None:
    m = payload_map(CONTENT)
    m["kind"] = "nonsense"
    with pytest.raises(BundleRejected) as caught:
        payload.decode(cbor.dumps(m))
    assert caught.value.reason == "payload_malformed"


def test_oversized_and_deeply_nested_manifests() -> None:
    small = content(rows=[tombstone()])
    m = payload_map(small)
    m["manifest"] = m["manifest"] * 200_000  # compresses to little, decompresses to megabytes
    assert reason(hostile(cbor.dumps(m), tweak=matching(small)),
                  max_payload=1_000_000) == "payload_too_large"
    assert reason(hostile(cbor.dumps(m), tweak=matching(small))) == "manifest_mismatch"
    m = payload_map(small)
    deep: Any = {"a1" * 16: 9}
    for _ in range(40):
        deep = {"x": deep}
    m["manifest"][0][2] = deep
    assert reason(hostile(cbor.dumps(m), tweak=matching(small))) == "payload_malformed"
