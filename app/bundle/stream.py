"""The payload as a STREAM of AES-256-GCM chunks (as age and Tink's streaming AEAD).

Each chunk holds CHUNK_SIZE bytes of plaintext (the last one at most that, and never empty
unless the whole payload is) plus its 16-byte tag. Nonce (12 bytes) = the header's random
7-byte prefix || 4-byte big-endian chunk counter || 1 byte last-chunk flag (1 on the last chunk,
0 otherwise). The header is the AAD of every chunk. A reordered, dropped or replaced chunk fails
its tag; a stream cut after a chunk boundary lacks the flagged last chunk; a chunk appended after
the flagged one is found too.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.bundle.records import BundleRejected

TAG_SIZE = 16
STREAM_INFO = b"lotse-bundle/1 payload"
MAX_CHUNKS = 1 << 32


def stream_key(file_key: bytes, nonce_prefix: bytes) -> bytes:
    """The payload key: HKDF-SHA256 of the file key, salted with the nonce prefix."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=nonce_prefix,
                info=STREAM_INFO).derive(file_key)


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def encrypt(key: bytes, prefix: bytes, aad: bytes, plaintext: bytes, chunk_size: int) -> bytes:
    aead = AESGCM(key)
    count = max(1, -(-len(plaintext) // chunk_size))
    if count > MAX_CHUNKS:
        raise ValueError("payload too large for the chunk counter")
    parts = []
    for i in range(count):
        chunk = plaintext[i * chunk_size:(i + 1) * chunk_size]
        parts.append(aead.encrypt(_nonce(prefix, i, i == count - 1), chunk, aad))
    return b"".join(parts)


def decrypt(key: bytes, prefix: bytes, aad: bytes, ciphertext: bytes | memoryview,
            chunk_size: int) -> bytes:
    """The plaintext; BundleRejected "truncated", "trailing_data" or "chunk_damaged"."""
    aead = AESGCM(key)
    full = chunk_size + TAG_SIZE
    total = len(ciphertext)
    if total < TAG_SIZE:
        raise BundleRejected("truncated", "chunk stream shorter than one tag")
    count = max(1, -(-total // full))
    if count > MAX_CHUNKS:
        raise BundleRejected("payload_too_large", "more chunks than the counter allows")
    if count > 1 and total - (count - 1) * full < TAG_SIZE + 1:
        # A non-empty last chunk is always longer than its tag.
        raise BundleRejected("chunk_damaged", "last chunk shorter than a tag")
    out = []
    for i in range(count):
        chunk = bytes(ciphertext[i * full:(i + 1) * full])
        last = i == count - 1
        try:
            out.append(aead.decrypt(_nonce(prefix, i, last), chunk, aad))
        except InvalidTag:
            raise _why(aead, prefix, aad, chunk, i, last) from None
    return b"".join(out)


def _why(aead: AESGCM, prefix: bytes, aad: bytes, chunk: bytes, i: int,
         last: bool) -> BundleRejected:
    """A chunk that opens with the other flag tells where the stream really ends."""
    try:
        aead.decrypt(_nonce(prefix, i, not last), chunk, aad)
    except InvalidTag:
        return BundleRejected("chunk_damaged", f"chunk {i} does not authenticate")
    if last:
        return BundleRejected("truncated", f"stream ends after chunk {i}, not its last")
    return BundleRejected("trailing_data", f"chunks follow the last chunk {i}")
