"""Sealing a bundle: payload → chunks of AES-256-GCM → wrapped key per recipient → signature."""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from app.bundle import payload, stream
from app.bundle.header import CHUNK_SIZE, MAX_RECIPIENTS, NONCE_PREFIX_SIZE, Header
from app.bundle.records import KINDS, BundleContent, OwnKeys, Recipient
from app.bundle.rows_write import EncodedRows
from app.bundle.sign import sign
from app.bundle.wrap import FILE_KEY_SIZE, wrap

# zlib level 1, by measurement (10,000 cases, 337k rows): levels 2 and 3 took 30-50 % longer
# for under 2 % less, level 6 three times as long for 7 % less. Export time matters more.
COMPRESSION_LEVEL = 1
# From this payload size the two halves are compressed at once (``compress``).
PARALLEL_FROM = 4 << 20
_WINDOW = 32 << 10  # deflate's window: how far back a match may reach
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
    compressed = compress(payload.encode(content, rows))
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


def compress(data: bytes, level: int = COMPRESSION_LEVEL) -> bytes:
    """``data`` as one zlib stream (RFC 1950). A large payload is compressed in two halves at
    once (zlib works without the GIL), as pigz does: the first half ends with a sync flush
    instead of the stream's end, the second continues as raw deflate primed with the 32 KiB
    before it (so its matches may reach back as far as a single pass's would), and the
    Adler-32 of all of ``data`` closes the stream. Readers see one ordinary zlib stream."""
    if len(data) < PARALLEL_FROM:
        return zlib.compress(data, level)
    view = memoryview(data)
    middle = len(data) // 2

    def second() -> bytes:
        packer = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS,
                                  zdict=view[max(0, middle - _WINDOW):middle])
        return packer.compress(view[middle:]) + packer.flush(zlib.Z_FINISH)

    with ThreadPoolExecutor(max_workers=1) as pool:
        tail = pool.submit(second)
        packer = zlib.compressobj(level)
        head = packer.compress(view[:middle]) + packer.flush(zlib.Z_SYNC_FLUSH)
        return b"".join((head, tail.result(), zlib.adler32(view).to_bytes(4, "big")))
