"""COSE_Sign1 (RFC 9052) with ES256 only: tag 18, protected header {alg: -7, kid}, no
unprotected header, the signature as raw r||s (64 bytes) over the Sig_structure.

Parsing is strict: the input is capped before it is parsed, nesting is shallow, and the bytes
must be exactly the canonical encoding of what was parsed, so a changed byte anywhere changes
what is verified (nothing outside the signature can be altered unnoticed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from app.seal.errors import SealError
from app.seal.keys import KID_BYTES, load_public, private_key
from app.seal.records import MAX_SEALED_BYTES, R_UNREADABLE

COSE_SIGN1_TAG = 18
HEADER_ALG, HEADER_KID = 1, 4
ALG_ES256 = -7
SIGNATURE_BYTES = 64
MAX_DEPTH = 8  # the deepest structure we write is three levels


@dataclass(frozen=True)
class Sign1:
    protected: bytes  # the protected header exactly as signed
    kid: bytes
    payload: bytes
    signature: bytes  # r||s


def unreadable(detail_en: str) -> SealError:
    return SealError(R_UNREADABLE,
                     "Der Prüfcode ist beschädigt oder unvollständig und kann nicht gelesen "
                     "werden.", detail_en)


def strict_loads(data: bytes, max_bytes: int) -> Any:
    """CBOR decoded with every leniency off: capped size, shallow, definite lengths only, no
    duplicate keys, nothing trailing. Raises SealError(R_UNREADABLE)."""
    if len(data) > max_bytes:
        raise unreadable(f"CBOR larger than {max_bytes} bytes")
    try:
        return cbor2.loads(data, max_depth=MAX_DEPTH, allow_indefinite=False,
                           allow_duplicate_keys=False)
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError,
            MemoryError) as exc:
        raise unreadable(f"CBOR broken: {type(exc).__name__}") from None


def canonical(obj: Any) -> bytes:
    return cbor2.dumps(obj, canonical=True)


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return canonical(["Signature1", protected, b"", payload])


def protected_header(kid: bytes) -> bytes:
    return canonical({HEADER_ALG: ALG_ES256, HEADER_KID: kid})


def sign1(payload: bytes, private_der: bytes, kid: bytes) -> bytes:
    """The tagged COSE_Sign1 of ``payload`` (ECDSA P-256 with SHA-256)."""
    protected = protected_header(kid)
    der = private_key(private_der).sign(_sig_structure(protected, payload),
                                        ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return encode_sign1(Sign1(protected, kid, payload, signature))


def encode_sign1(msg: Sign1) -> bytes:
    return canonical(cbor2.CBORTag(COSE_SIGN1_TAG,
                                   [msg.protected, {}, msg.payload, msg.signature]))


def parse_sign1(data: bytes, max_bytes: int = MAX_SEALED_BYTES) -> Sign1:
    """The structure of a COSE_Sign1 as this seal writes it; anything else is unreadable."""
    obj = strict_loads(data, max_bytes)
    if not isinstance(obj, cbor2.CBORTag) or obj.tag != COSE_SIGN1_TAG:
        raise unreadable("not a tagged COSE_Sign1")
    parts = obj.value
    # cbor2 hands a tag's content out immutable (tuple, frozendict).
    if not isinstance(parts, (list, tuple)) or len(parts) != 4:
        raise unreadable("COSE_Sign1 is not an array of four")
    protected, unprotected, payload, signature = parts
    if not (isinstance(protected, bytes) and isinstance(payload, bytes)
            and isinstance(signature, bytes) and isinstance(unprotected, Mapping)
            and not unprotected):
        raise unreadable("COSE_Sign1 parts have the wrong types")
    if len(signature) != SIGNATURE_BYTES:
        raise unreadable("signature is not 64 bytes")
    header = strict_loads(protected, max_bytes)
    if not isinstance(header, dict) or set(header) != {HEADER_ALG, HEADER_KID}:
        raise unreadable("protected header is not {alg, kid}")
    kid = header[HEADER_KID]
    if header[HEADER_ALG] != ALG_ES256 or not isinstance(kid, bytes) or len(kid) != KID_BYTES:
        raise unreadable("protected header: not ES256 or kid not 8 bytes")
    msg = Sign1(protected, kid, payload, signature)
    # Only the canonical encoding is accepted: no second spelling of the same seal.
    if encode_sign1(msg) != data or protected_header(kid) != protected:
        raise unreadable("COSE_Sign1 not canonically encoded")
    return msg


def verify_sign1(msg: Sign1, public: bytes) -> bool:
    """True when ``public`` (compressed P-256) made the signature over protected + payload."""
    try:
        key = load_public(public)
    except ValueError:
        return False
    r = int.from_bytes(msg.signature[:32], "big")
    s = int.from_bytes(msg.signature[32:], "big")
    try:
        key.verify(encode_dss_signature(r, s), _sig_structure(msg.protected, msg.payload),
                   ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True
