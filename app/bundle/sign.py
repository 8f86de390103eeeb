"""ECDSA P-256 with SHA-256 signatures as raw r||s (64 bytes, fixed size)."""

from __future__ import annotations

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from app.seal.keys import load_public, private_key

SIGNATURE_SIZE = 64


def sign(message: bytes, private_der: bytes) -> bytes:
    der = private_key(private_der).sign(message, ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify(message: bytes | memoryview, signature: bytes, public: bytes) -> bool:
    """True when ``public`` (SEC1 compressed P-256) made ``signature`` over ``message``."""
    if len(signature) != SIGNATURE_SIZE:
        return False
    try:
        key = load_public(public)
    except ValueError:
        return False
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    try:
        key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True
