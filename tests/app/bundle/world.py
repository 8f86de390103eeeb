"""Keys, contents and a hostile sender for the bundle format tests (real crypto throughout)."""

from __future__ import annotations

import os
import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from app.bundle import cbor, payload, stream
from app.bundle.cards import NewKeys, new_sync_keys
from app.bundle.header import CHUNK_SIZE, HEADER_SIZE, NONCE_PREFIX_SIZE, Header, parse_header
from app.bundle.reader import open_bundle
from app.bundle.records import (
    DEPUTY,
    AuditHead,
    BundleContent,
    BundleRejected,
    OwnKeys,
    Recipient,
    Sender,
    SenderKey,
)
from app.bundle.sign import SIGNATURE_SIZE, sign
from app.bundle.wrap import STANZA_SIZE, wrap
from db.row_image import RowImage


@dataclass(frozen=True)
class Party:
    keys: NewKeys

    @property
    def own(self) -> OwnKeys:
        k = self.keys
        return OwnKeys(k.fingerprint, k.signing_private, k.agreement_private)

    @property
    def fingerprint(self) -> str:
        return self.keys.fingerprint

    @property
    def recipient(self) -> Recipient:
        return Recipient(self.keys.fingerprint, self.keys.agreement_public)

    def sender_key(self, trust: str = "trusted") -> SenderKey:
        return SenderKey(self.keys.fingerprint, self.keys.signing_public, trust, "casework")


def party() -> Party:
    return Party(new_sync_keys())


ALICE, BOB, CAROL, DAVE, MALLORY = party(), party(), party(), party(), party()
T0 = datetime(2026, 12, 4, 9, 30, 15, 123456, tzinfo=UTC)


def lookup(*known: SenderKey) -> Callable[[str], SenderKey | None]:
    table = {k.fingerprint: k for k in known}
    return table.get


TRUSTS_ALICE = lookup(ALICE.sender_key())


def sender_of(p: Party) -> Sender:
    return Sender(vault_uuid="a1" * 16, vault_code="DO-01", vault_name="Dortmund Team Nord",
                  holder_name="Kerstin Ülker", municipality="Dortmund", fingerprint=p.fingerprint)


def full_row(uuid: str = "c0" * 16, **values: Any) -> RowImage:
    """A row whose values hold every type a column can have."""
    base: dict[str, Any] = {
        "name": "Aylin Doğan", "count": -(1 << 62), "flag": True, "empty": None,
        "photo": bytes(range(256)), "ratio": 0.1, "born": date(1990, 2, 28),
        "seen_at": datetime(2026, 3, 1, 8, 0, 0, 1, tzinfo=UTC),
        "json": {"steps": [1, "zwei", None, {"deep": [True, 2.5]}], "note": ""},
        "person_id": "d0" * 16}
    base.update(values)
    return RowImage(table="case_record", uuid=uuid, deleted=False, origin_vault="a1" * 16,
                    changed_by_vault="b2" * 16, version_vector={"a1" * 16: 4, "b2" * 16: 1},
                    field_stamps={"name": ("a1" * 16, 3), "flag": ("b2" * 16, 1)},
                    values=base)


def tombstone(uuid: str = "e0" * 16) -> RowImage:
    return RowImage(table="contact", uuid=uuid, deleted=True, origin_vault="a1" * 16,
                    changed_by_vault="a1" * 16, version_vector={"a1" * 16: 9},
                    field_stamps={}, values={})


def content(kind: str = DEPUTY, rows: Sequence[RowImage] = (), body: dict[str, Any] | None = None,
            sender: Party = ALICE) -> BundleContent:
    return BundleContent(kind=kind, bundle_uuid=os.urandom(16).hex(), created_at=T0,
                         sender=sender_of(sender), audit_head=AuditHead(41, "ab" * 32),
                         rows=tuple(rows), body=body or {})


def other_offset(moment: datetime) -> datetime:
    return moment.astimezone(timezone(timedelta(hours=2)))


@dataclass(frozen=True)
class Parts:
    header: bytes
    stanzas: list[bytes]
    chunks: list[bytes]
    signature: bytes


def split(data: bytes) -> Parts:
    """A valid bundle cut into its parts (the layout of docs/bundle-format.md)."""
    h = parse_header(data)
    end = HEADER_SIZE + h.recipient_count * STANZA_SIZE
    stanzas = [data[HEADER_SIZE + i * STANZA_SIZE:HEADER_SIZE + (i + 1) * STANZA_SIZE]
               for i in range(h.recipient_count)]
    body = data[end:-SIGNATURE_SIZE]
    full = CHUNK_SIZE + stream.TAG_SIZE
    chunks = [body[i:i + full] for i in range(0, len(body), full)]
    return Parts(data[:HEADER_SIZE], stanzas, chunks, data[-SIGNATURE_SIZE:])


def join(parts: Parts, signer: Party | None = None) -> bytes:
    """The parts as a file; re-signed by ``signer`` (a sender who breaks its own bundle)."""
    signed = parts.header + b"".join(parts.stanzas) + b"".join(parts.chunks)
    signature = sign(signed, signer.own.signing_private) if signer else parts.signature
    return signed + signature


def hostile(plain: bytes, recipients: Sequence[Party] = (BOB,), sender: Party = ALICE,
            header: Header | None = None, compressed: bytes | None = None,
            tweak: Callable[[Header], Header] | None = None) -> bytes:
    """A bundle properly encrypted and signed by ``sender`` around any payload bytes: what a
    trusted but broken (or malicious) sender could produce."""
    packed = zlib.compress(plain) if compressed is None else compressed
    h = header or Header(kind=DEPUTY, bundle_uuid="5e" * 16,
                         sender_fingerprint=sender.fingerprint, created_at=T0,
                         recipient_count=len(recipients), payload_size=len(packed),
                         nonce_prefix=os.urandom(NONCE_PREFIX_SIZE))
    if tweak:
        h = tweak(h)
    hb = h.pack()
    file_key = os.urandom(32)
    stanzas = b"".join(wrap(file_key, r.fingerprint, r.keys.agreement_public, hb).pack()
                       for r in recipients)
    chunks = stream.encrypt(stream.stream_key(file_key, h.nonce_prefix), h.nonce_prefix, hb,
                            packed, CHUNK_SIZE)
    signed = hb + stanzas + chunks
    return signed + sign(signed, sender.own.signing_private)


def payload_map(c: BundleContent) -> dict[str, Any]:
    """The payload of ``c`` as a map a test can change before it is encoded."""
    m = cbor.loads(payload.encode(c), max_depth=64, max_items=10**6)
    assert isinstance(m, dict)
    return m


def matching(c: BundleContent) -> Callable[[Header], Header]:
    """Header tweak: the header names the same bundle as the payload ``c``."""
    return lambda h: replace(h, bundle_uuid=c.bundle_uuid, kind=c.kind)


# The hostile corpus's base (test_bundle_hostile*.py): a row of every column type with a photo
# large enough for several chunks, and a tombstone.
CONTENT = content(rows=[full_row(photo=random.Random(7).randbytes(200_000)), tombstone()])


def reason(data: bytes, senders: Callable[[str], SenderKey | None] = TRUSTS_ALICE,
           **kw: Any) -> str:
    """Why Bob's vault refuses ``data`` (the test fails if it opens)."""
    with pytest.raises(BundleRejected) as caught:
        open_bundle(data, BOB.own, senders, **kw)
    return caught.value.reason
