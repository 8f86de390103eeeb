"""Refusal notices: signed by the refusing vault, fixed shape, refused whole when anything is
off (a sender acts on one only when it verifies)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.bundle import cbor
from app.bundle.notice import MAX_NOTICE_SIZE, Notice, make_notice, read_notice
from app.bundle.sign import SIGNATURE_SIZE, sign
from tests.app.bundle.world import ALICE, BOB, MALLORY

NOTICE = Notice(bundle_uuid="b1" * 16, file_hash="f0" * 32, recipient=BOB.fingerprint,
                reason="chunk_damaged", rejected_at=datetime(2026, 12, 6, 8, 30, 5, tzinfo=UTC))
KEYS = {BOB.fingerprint: BOB.keys.signing_public, ALICE.fingerprint: ALICE.keys.signing_public}
DATA = make_notice(NOTICE, BOB.own)


def test_a_notice_reads_back_as_made_and_is_small() -> None:
    assert read_notice(DATA, KEYS.get) == NOTICE
    assert len(DATA) <= 300  # about 270 bytes: well inside the cap of 512
    assert read_notice(make_notice(replace(NOTICE, bundle_uuid=""), BOB.own),
                       KEYS.get).bundle_uuid == ""


def test_only_the_refusing_vault_can_make_its_notice() -> None:
    with pytest.raises(ValueError):
        make_notice(NOTICE, ALICE.own)
    for bad in (replace(NOTICE, reason="sender_untrusted"),  # a waiting reason is no refusal
                replace(NOTICE, reason="transfer_offered"), replace(NOTICE, reason="nope"),
                replace(NOTICE, file_hash="F0" * 32), replace(NOTICE, bundle_uuid="../x")):
        with pytest.raises(ValueError):
            make_notice(bad, BOB.own)


def _signed(item: object, signer: object = BOB) -> bytes:
    message = cbor2.dumps(item, canonical=True)
    return message + sign(message, signer.own.signing_private)  # type: ignore[attr-defined]


def _item(**changes: object) -> list[object]:
    fields = {"version": 1, "format": "lotse-refusal", "uuid": NOTICE.bundle_uuid,
              "hash": NOTICE.file_hash, "recipient": BOB.fingerprint, "reason": "chunk_damaged",
              "at": int(NOTICE.rejected_at.timestamp())}
    fields.update(changes)
    return list(fields.values())


@pytest.mark.parametrize("data", [
    pytest.param(DATA[:-1], id="signature cut short"),
    pytest.param(DATA + b"\0", id="a byte appended"),
    pytest.param(bytes([DATA[0] ^ 1]) + DATA[1:], id="first byte flipped"),
    pytest.param(DATA[:20] + bytes([DATA[20] ^ 1]) + DATA[21:], id="content byte flipped"),
    pytest.param(b"", id="empty"),
    pytest.param(DATA[-SIGNATURE_SIZE:], id="signature only"),
    pytest.param(DATA + b"\0" * MAX_NOTICE_SIZE, id="over the size cap"),
    pytest.param(_signed(_item(version=2)), id="another version"),
    pytest.param(_signed(_item(format="lotse-ack")), id="another format"),
    pytest.param(_signed(_item(reason="stale!")), id="unknown reason"),
    pytest.param(_signed(_item(at=-1)), id="time before the epoch"),
    pytest.param(_signed(_item(at=True)), id="time not an integer"),
    pytest.param(_signed(_item(hash="f0" * 31)), id="short hash"),
    pytest.param(_signed(_item(recipient=MALLORY.fingerprint), MALLORY), id="unknown signer"),
    pytest.param(_signed(_item(recipient=ALICE.fingerprint)), id="names Alice, signed by Bob"),
    pytest.param(_signed([*_item(), "extra"]), id="an extra field"),
    pytest.param(_signed(dict(enumerate(_item()))), id="a map, not an array"),
])
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError):
        read_notice(data, KEYS.get)


def test_a_non_canonical_encoding_is_refused_even_when_signed() -> None:
    item = _item()
    canonical = cbor.dumps(item)
    longer = canonical.replace(b"\x01", b"\x18\x01", 1)  # version 1 as a two-byte integer
    assert longer != canonical and cbor2.loads(longer) == item
    with pytest.raises(ValueError):
        read_notice(longer + sign(longer, BOB.own.signing_private), KEYS.get)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=MAX_NOTICE_SIZE + 8))
def test_random_bytes_are_refused_with_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        read_notice(data, KEYS.get)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(DATA) - 1), st.integers(1, 255))
def test_every_flipped_byte_is_refused(at: int, mask: int) -> None:
    data = bytearray(DATA)
    data[at] ^= mask
    with pytest.raises(ValueError):
        read_notice(bytes(data), KEYS.get)
