"""Issuer keys: ECDSA P-256 (ES256, BSI TR-02102-1), their short ids and fingerprints."""

from __future__ import annotations

import hashlib
import re

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

KID_BYTES = 8  # as the EU certificate: short, so a verifier tries every key with the same id
PUBLIC_KEY_BYTES = 33  # SEC1 compressed P-256 point
DISPLAY_BYTES = 16  # the fingerprint read aloud: enough against a second-preimage by a person


def new_private_key() -> bytes:
    """A fresh P-256 key as PKCS#8 DER (stored only inside the encrypted vault)."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def private_key(private_der: bytes) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_der_private_key(private_der, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("not a P-256 private key")
    return key


def public_key_of(private_der: bytes) -> bytes:
    """The SEC1 compressed public point (33 bytes) of a PKCS#8 private key."""
    return private_key(private_der).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


def load_public(public: bytes) -> ec.EllipticCurvePublicKey:
    """Raises ValueError for anything but a valid compressed P-256 point."""
    if len(public) != PUBLIC_KEY_BYTES:
        raise ValueError("not a compressed P-256 point")
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)


def kid_of(public: bytes) -> str:
    """Hex of the first 8 bytes of SHA-256 over the compressed public key."""
    return hashlib.sha256(public).digest()[:KID_BYTES].hex()


def fingerprint_of(public: bytes) -> str:
    """Hex SHA-256 over the compressed public key (64 characters)."""
    return hashlib.sha256(public).hexdigest()


def fingerprint_display(fingerprint: str) -> str:
    """The first 16 bytes in groups of four, upper case: "3F7A 91C2 …" (read over the phone)."""
    head = fingerprint[:DISPLAY_BYTES * 2].upper()
    return " ".join(head[i:i + 4] for i in range(0, len(head), 4))


def normalise_fingerprint(text: str) -> str:
    """What a person typed, without spaces, colons or dashes, lower case."""
    return re.sub(r"[\s:\-]", "", text).lower()


def fingerprint_matches(typed: str, fingerprint: str) -> bool:
    """True when ``typed`` is the whole fingerprint or exactly its displayed groups."""
    got = normalise_fingerprint(typed)
    return got in (fingerprint.lower(), fingerprint[:DISPLAY_BYTES * 2].lower())
