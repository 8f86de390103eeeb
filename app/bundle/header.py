"""The fixed-size plaintext header of a bundle file (docs/bundle-format.md, "Header").

The header is parsed before anything else; it is bound as AAD into every payload chunk and into
every key wrap, and covered by the sender's signature, so no byte of it can change unnoticed.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.bundle.records import (
    CATALOGUE,
    DEPUTY,
    DIRECTORY,
    FORMAT_VERSION,
    STEERING,
    TRANSFER,
    TRANSFER_ANSWER,
    BundleRejected,
)

MAGIC = b"LOTSEBND"
# Algorithm identifiers; versions 1 and 2 of the format know exactly one of each.
SIG_ECDSA_P256_SHA256 = 1
KEM_ECDH_P256 = 1
KDF_HKDF_SHA256 = 1
AEAD_AES_256_GCM = 1
CHUNK_LOG2 = 16  # 64 KiB of plaintext per chunk
CHUNK_SIZE = 1 << CHUNK_LOG2

# Stable one-byte codes of the kinds (never renumber; append new kinds).
KIND_CODES = {DEPUTY: 1, TRANSFER: 2, TRANSFER_ANSWER: 3, DIRECTORY: 4, STEERING: 5, CATALOGUE: 6}
KIND_OF_CODE = {code: kind for kind, code in KIND_CODES.items()}

NONCE_PREFIX_SIZE = 7
MAX_RECIPIENTS = 64
# magic, version, sig, kem, kdf, aead, chunk log2, kind, uuid, sender fp, created_at (µs),
# recipient count, payload size, nonce prefix, reserved (zero).
_LAYOUT = struct.Struct(">8sHBBBBBB16s32sqHQ7s7s")
HEADER_SIZE = _LAYOUT.size  # 96
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Header:
    kind: str
    bundle_uuid: str  # 32 hex
    sender_fingerprint: str  # 64 hex
    created_at: datetime  # tz-aware, microsecond precision
    recipient_count: int
    payload_size: int  # bytes of the compressed payload (the plaintext of the chunk stream)
    nonce_prefix: bytes

    def pack(self) -> bytes:
        return _LAYOUT.pack(MAGIC, FORMAT_VERSION, SIG_ECDSA_P256_SHA256, KEM_ECDH_P256,
                            KDF_HKDF_SHA256, AEAD_AES_256_GCM, CHUNK_LOG2,
                            KIND_CODES[self.kind], bytes.fromhex(self.bundle_uuid),
                            bytes.fromhex(self.sender_fingerprint),
                            micros_of(self.created_at), self.recipient_count,
                            self.payload_size, self.nonce_prefix, bytes(7))


def micros_of(moment: datetime) -> int:
    """Microseconds since 1970-01-01 UTC of a tz-aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    delta = moment - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def moment_of(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def parse_header(data: bytes) -> Header:
    """The header at the start of ``data``; BundleRejected for anything but a header of this
    format version (``FORMAT_VERSION``) with its algorithms."""
    if len(data) < len(MAGIC):
        # A non-empty prefix of the magic is a bundle cut short; anything else is not one.
        reason = "truncated" if data and MAGIC.startswith(data) else "not_a_bundle"
        raise BundleRejected(reason, "shorter than the magic")
    if data[:len(MAGIC)] != MAGIC:
        raise BundleRejected("not_a_bundle", "magic missing")
    if len(data) < HEADER_SIZE:
        raise BundleRejected("truncated", "shorter than the header")
    (_magic, version, sig, kem, kdf, aead, chunk_log2, kind_code, uuid, sender, created,
     count, payload_size, prefix, reserved) = _LAYOUT.unpack_from(data)
    if version != FORMAT_VERSION:
        raise BundleRejected("unsupported_version", f"format version {version}")
    if (sig, kem, kdf, aead, chunk_log2) != (SIG_ECDSA_P256_SHA256, KEM_ECDH_P256,
                                             KDF_HKDF_SHA256, AEAD_AES_256_GCM, CHUNK_LOG2):
        raise BundleRejected("unsupported_algorithm",
                             f"algorithms {sig}/{kem}/{kdf}/{aead}/{chunk_log2}")
    if kind_code not in KIND_OF_CODE:
        raise BundleRejected("header_damaged", f"kind code {kind_code}")
    if reserved != bytes(7):
        raise BundleRejected("header_damaged", "reserved bytes not zero")
    if not 1 <= count <= MAX_RECIPIENTS:
        raise BundleRejected("header_damaged", f"recipient count {count}")
    try:
        created_at = moment_of(created)
    except OverflowError:
        raise BundleRejected("header_damaged", "created_at out of range") from None
    return Header(kind=KIND_OF_CODE[kind_code], bundle_uuid=uuid.hex(),
                  sender_fingerprint=sender.hex(), created_at=created_at,
                  recipient_count=count, payload_size=payload_size, nonce_prefix=prefix)


def stream_size(payload_size: int) -> int:
    """Bytes of the encrypted chunk stream for ``payload_size`` bytes of plaintext: full chunks,
    then one last chunk (possibly full, empty only for an empty payload), 16-byte tag each."""
    chunks = max(1, -(-payload_size // CHUNK_SIZE))
    return payload_size + chunks * 16
