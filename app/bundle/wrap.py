"""Per-recipient key wrapping: ephemeral-static ECDH on P-256, HKDF-SHA256, AES-256-GCM.

Each recipient gets a fixed-size stanza: its fingerprint, a fresh ephemeral public key and the
bundle's file key encrypted under a key derived from the ECDH secret (as age's recipient
stanzas, with the BSI TR-02102-1 algorithms). The wrap is bound to the header (AAD).
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.seal.keys import load_public, private_key

FILE_KEY_SIZE = 32
PUBLIC_SIZE = 33
WRAPPED_SIZE = FILE_KEY_SIZE + 16
STANZA_SIZE = 32 + PUBLIC_SIZE + WRAPPED_SIZE  # 113
WRAP_INFO = b"lotse-bundle/1 wrap"
# Every wrapping key is used exactly once (fresh ephemeral key per stanza), so a fixed nonce is
# safe here, as in age.
WRAP_NONCE = bytes(12)


@dataclass(frozen=True)
class Stanza:
    fingerprint: bytes  # 32 raw bytes
    ephemeral_public: bytes  # SEC1 compressed
    wrapped: bytes

    def pack(self) -> bytes:
        return self.fingerprint + self.ephemeral_public + self.wrapped


def parse_stanza(data: bytes) -> Stanza:
    """A stanza's fields (no key check yet); ValueError unless exactly STANZA_SIZE bytes."""
    if len(data) != STANZA_SIZE:
        raise ValueError("stanza has the wrong size")
    return Stanza(data[:32], data[32:32 + PUBLIC_SIZE], data[32 + PUBLIC_SIZE:])


def _compressed(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.X962,
                            serialization.PublicFormat.CompressedPoint)


def _wrapping_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public,
                info=WRAP_INFO).derive(shared)


def _aad(header: bytes, fingerprint: bytes) -> bytes:
    return header + fingerprint


def wrap(file_key: bytes, fingerprint: str, agreement_public: bytes, header: bytes) -> Stanza:
    recipient = load_public(agreement_public)
    ephemeral = ec.generate_private_key(ec.SECP256R1())
    ephemeral_public = _compressed(ephemeral.public_key())
    shared = ephemeral.exchange(ec.ECDH(), recipient)
    key = _wrapping_key(shared, ephemeral_public, agreement_public)
    fp = bytes.fromhex(fingerprint)
    wrapped = AESGCM(key).encrypt(WRAP_NONCE, file_key, _aad(header, fp))
    return Stanza(fp, ephemeral_public, wrapped)


def unwrap(stanza: Stanza, agreement_private: bytes, header: bytes) -> bytes | None:
    """The file key, or None when this stanza does not open with ``agreement_private``."""
    own = private_key(agreement_private)
    try:
        ephemeral = load_public(stanza.ephemeral_public)
    except ValueError:
        return None
    own_public = _compressed(own.public_key())
    shared = own.exchange(ec.ECDH(), ephemeral)
    key = _wrapping_key(shared, stanza.ephemeral_public, own_public)
    try:
        file_key = AESGCM(key).decrypt(WRAP_NONCE, stanza.wrapped,
                                       _aad(header, stanza.fingerprint))
    except InvalidTag:
        return None
    return file_key if len(file_key) == FILE_KEY_SIZE else None
