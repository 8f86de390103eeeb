"""Sealing a bundle: payload → chunks of AES-256-GCM → wrapped key per recipient → signature."""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Sequence

from app.bundle import payload, stream
from app.bundle.header import CHUNK_SIZE, MAX_RECIPIENTS, NONCE_PREFIX_SIZE, Header
from app.bundle.records import KINDS, BundleContent, OwnKeys, Recipient
from app.bundle.rows_write import EncodedRows
from app.bundle.sign import sign
from app.bundle.wrap import FILE_KEY_SIZE, wrap

# zlib level 1, by measurement (10,000 cases, 337k rows): levels 2 and 3 took 30-50 % longer
# for under 2 % less, level 6 three times as long for 7 % less. Export time matters more.
COMPRESSION_LEVEL = 1
_HEX32 = re.compile(r"[0-9a-f]{32}\Z")
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")


def seal_bundle(content: BundleContent, own: OwnKeys, recipients: Sequence[Recipient], *,
                rows: EncodedRows | None = None) -> bytes:
    """The bundle file's bytes, readable only by ``recipients`` and signed by ``own``.
    ``rows``: the rows already encoded (``app.bundle.rows_write``), in place of
    ``content.rows``."""
    if content.kind not in KINDS:
        raise ValueError(f"unknown bundle kind {content.kind!r}")
    if not _HEX32.match(content.bundle_uuid):
        raise ValueError("bundle_uuid must be 32 lower-case hex digits")
    if content.sender.fingerprint != own.fingerprint or not _HEX64.match(own.fingerprint):
        raise ValueError("the sender named in the content must be the signing vault")
    fingerprints = [r.fingerprint for r in recipients]
    if not 1 <= len(fingerprints) <= MAX_RECIPIENTS:
        raise ValueError(f"a bundle has 1 to {MAX_RECIPIENTS} recipients")
    if len(set(fingerprints)) != len(fingerprints) or not all(
            _HEX64.match(fp) for fp in fingerprints):
        raise ValueError("recipient fingerprints must be distinct 64-digit hex")
    compressed = zlib.compress(payload.encode(content, rows), COMPRESSION_LEVEL)
    file_key = os.urandom(FILE_KEY_SIZE)
    head = Header(kind=content.kind, bundle_uuid=content.bundle_uuid,
                    sender_fingerprint=own.fingerprint, created_at=content.created_at,
                    recipient_count=len(fingerprints), payload_size=len(compressed),
                    nonce_prefix=os.urandom(NONCE_PREFIX_SIZE))
    header = head.pack()
    stanzas = b"".join(wrap(file_key, r.fingerprint, r.agreement_public, header).pack()
                       for r in recipients)
    key = stream.stream_key(file_key, head.nonce_prefix)
    chunks = stream.encrypt(key, head.nonce_prefix, header, compressed, CHUNK_SIZE)
    signed = b"".join((header, stanzas, chunks))
    return signed + sign(signed, own.signing_private)
