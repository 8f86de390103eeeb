"""Properties of every parser: arbitrary bytes only ever raise the documented refusal, any
single changed byte of a valid bundle or card is refused, generated rows round-trip exactly."""

from __future__ import annotations

import contextlib
import random
from datetime import UTC
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.bundle import cbor, payload
from app.bundle.cards import countersign, make_card, read_card
from app.bundle.header import HEADER_SIZE, parse_header
from app.bundle.reader import open_bundle
from app.bundle.records import BundleRejected
from app.bundle.wrap import STANZA_SIZE, parse_stanza, unwrap
from app.bundle.writer import seal_bundle
from db.row_image import RowImage
from tests.app.bundle.test_bundle_cards import CARD
from tests.app.bundle.world import ALICE, BOB, CAROL, TRUSTS_ALICE, content, full_row, tombstone

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
# Two recipients and two chunks: every part of the layout is there.
VALID = seal_bundle(content(rows=[full_row(photo=random.Random(3).randbytes(70_000)),
                                  tombstone()]),
                    ALICE.own, [BOB.recipient, CAROL.recipient])
CARD_FILE = countersign(make_card(CARD, ALICE.own), CAROL.own)


def _refused(data: bytes) -> None:
    try:
        open_bundle(data, BOB.own, TRUSTS_ALICE)
    except BundleRejected:
        return
    raise AssertionError("a changed bundle opened")


@FAST
@given(st.binary(max_size=300))
def test_header_parser_on_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(BundleRejected):
        parse_header(data)


@FAST
@given(st.binary(min_size=HEADER_SIZE - 8, max_size=HEADER_SIZE + 40))
def test_header_parser_behind_a_valid_magic(tail: bytes) -> None:
    try:
        h = parse_header(b"LOTSEBND" + tail)
    except BundleRejected:
        return
    assert 1 <= h.recipient_count <= 64 and h.created_at.tzinfo is not None


@FAST
@given(st.binary(max_size=2 * STANZA_SIZE) | st.binary(min_size=STANZA_SIZE,
                                                        max_size=STANZA_SIZE)
       | st.binary(min_size=STANZA_SIZE - 33 - 48, max_size=STANZA_SIZE - 33 - 48).map(
           lambda b: b[:32] + bytes([2 + b[-1] % 2]) + b[32:64] + bytes(16) + b[:32]))
def test_stanza_parser_and_unwrap_on_arbitrary_bytes(data: bytes) -> None:
    try:
        stanza = parse_stanza(data)
    except ValueError:
        return
    assert len(data) == STANZA_SIZE
    assert unwrap(stanza, BOB.own.agreement_private, VALID[:HEADER_SIZE]) is None


@FAST
@given(st.binary(max_size=400))
def test_payload_decoder_on_arbitrary_bytes(data: bytes) -> None:
    try:
        payload.decode(data)
    except BundleRejected as e:
        assert e.reason == "payload_malformed"


_cbor_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
    | st.binary(max_size=8) | st.datetimes(timezones=st.just(UTC)) | st.dates(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=4),
    max_leaves=20)


@FAST
@given(st.dictionaries(st.sampled_from(sorted(payload._PAYLOAD_KEYS)), _cbor_values))
def test_payload_decoder_on_well_formed_but_wrong_cbor(m: dict[str, Any]) -> None:
    try:
        payload.decode(cbor.dumps(m))
    except BundleRejected as e:
        assert e.reason == "payload_malformed"


@FAST
@given(st.binary(max_size=300))
def test_cbor_scanner_on_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(cbor.CborError):
        cbor.loads(data, max_depth=8, max_items=100)


@FAST
@given(st.binary(max_size=600))
def test_card_reader_on_arbitrary_bytes(data: bytes) -> None:
    with contextlib.suppress(ValueError):
        read_card(data)


@FAST
@given(st.fixed_dictionaries(
    {"format": st.just("lotse-device-card"), "version": st.just(1),
     "card": st.binary(max_size=20) | _cbor_values.map(cbor.dumps) | _cbor_values,
     "signature": st.binary(min_size=64, max_size=64) | _cbor_values},
    optional={"countersignature": _cbor_values | st.fixed_dictionaries(
        {"signing_public": st.binary(), "agreement_public": st.binary(),
         "signature": st.binary()})}))
def test_card_reader_on_well_formed_but_wrong_card_files(m: dict[str, Any]) -> None:
    try:
        read_card(cbor.dumps(m))
    except ValueError:
        pass
    else:
        raise AssertionError("a made-up card was read")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_single_byte_change_of_a_card_is_refused(data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(CARD_FILE) - 1))
    mask = data.draw(st.integers(1, 255))
    changed = bytearray(CARD_FILE)
    changed[at] ^= mask
    try:
        read_card(bytes(changed))
    except ValueError:
        return
    raise AssertionError(f"a card changed at {at} was read")


@FAST
@given(st.binary(max_size=500))
def test_open_bundle_on_arbitrary_bytes(data: bytes) -> None:
    _refused(data)
    _refused(VALID[:HEADER_SIZE] + data)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_single_byte_change_of_a_bundle_is_refused(data: st.DataObject) -> None:
    # Half the draws land in the header and stanzas, where the structure is densest.
    head = data.draw(st.booleans())
    at = data.draw(st.integers(0, HEADER_SIZE + 2 * STANZA_SIZE - 1) if head
                   else st.integers(0, len(VALID) - 1))
    changed = bytearray(VALID)
    changed[at] ^= data.draw(st.integers(1, 255))
    _refused(bytes(changed))


_column = st.text(st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=8)
_vault = st.text("0123456789abcdef", min_size=32, max_size=32)
_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(1 << 63), (1 << 63) - 1)
    | st.floats(allow_nan=False) | st.text(max_size=20) | st.binary(max_size=20)
    | st.datetimes(timezones=st.just(UTC)) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=12)
_rows = st.builds(
    RowImage, table=_column, uuid=_vault, deleted=st.booleans(), origin_vault=_vault,
    changed_by_vault=_vault,
    version_vector=st.dictionaries(_vault, st.integers(0, (1 << 63) - 1), max_size=3),
    field_stamps=st.dictionaries(_column, st.tuples(_vault, st.integers(0, 1 << 40)),
                                 max_size=3),
    values=st.dictionaries(_column, _values, max_size=6))


@settings(max_examples=100, deadline=None)
@given(st.lists(_rows, max_size=4), st.dictionaries(st.text(max_size=5), _values, max_size=3))
def test_generated_rows_round_trip_exactly(rows: list[RowImage], body: dict[str, Any]) -> None:
    c = content("directory", rows=rows, body=body)
    got = payload.decode(payload.encode(c))
    assert got == c
    for before, after in zip(c.rows, got.rows, strict=True):
        _same_types(before.values, after.values)


@settings(max_examples=15, deadline=None)
@given(st.lists(_rows, min_size=1, max_size=3))
def test_generated_rows_round_trip_through_a_sealed_bundle(rows: list[RowImage]) -> None:
    c = content("deputy", rows=rows)
    data = seal_bundle(c, ALICE.own, [BOB.recipient, CAROL.recipient])
    assert open_bundle(data, CAROL.own, TRUSTS_ALICE).content == c


def _same_types(a: Any, b: Any) -> None:
    """Equal is not enough: a date must stay a date (not a datetime), a tuple-free list a list."""
    assert type(a) is type(b) or (isinstance(a, tuple) and isinstance(b, list)), (a, b)
    if isinstance(a, dict):
        for k in a:
            _same_types(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        for x, y in zip(a, b, strict=True):
            _same_types(x, y)
