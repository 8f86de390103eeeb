"""The hostile corpus, inside the payload: a sender that signs and encrypts properly around a
broken payload (a decompression bomb, malformed CBOR, fields that do not fit, a manifest that
does not match its rows, rows and layouts that do not fit). Each is refused with its own reason,
nothing returned. Damage outside the payload: test_bundle_hostile.py."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from app.bundle import cbor, payload
from app.bundle.reader import open_bundle
from app.bundle.records import BundleRejected
from tests.app.bundle.world import (
    BOB,
    CAROL,
    CONTENT,
    TRUSTS_ALICE,
    content,
    hostile,
    matching,
    payload_map,
    reason,
    tombstone,
)


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
