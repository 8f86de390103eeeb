"""Signed revocation lists: every certificate an issuer revoked, as of a moment, signed by one
of its keys (a COSE_Sign1 over {fingerprint, issued_at, entries})."""

from __future__ import annotations

from typing import Any

from app.seal.cose import canonical, parse_sign1, sign1, strict_loads, verify_sign1
from app.seal.errors import SealError
from app.seal.keys import fingerprint_of, kid_of, public_key_of
from app.seal.payload import date_of, datetime_of, day_of, seconds_of
from app.seal.records import R_SIGNATURE, R_UNREADABLE, Revocation, RevocationListData

MAX_LIST_BYTES = 4 * 1024 * 1024  # ~30,000 revocations: far beyond a team's lifetime
MAX_REASON = 500
MAX_SERIAL = 40
L_FINGERPRINT, L_ISSUED_AT, L_ENTRIES = 1, 2, 3


def _bad(detail_en: str) -> SealError:
    return SealError(R_UNREADABLE, "Die Widerrufsliste ist beschädigt und kann nicht gelesen "
                     "werden.", detail_en)


def sign_revocations(lst: RevocationListData, private_der: bytes) -> bytes:
    public = public_key_of(private_der)
    if lst.fingerprint != fingerprint_of(public):
        raise ValueError("a revocation list names the key that signs it")
    m = {L_FINGERPRINT: lst.fingerprint, L_ISSUED_AT: seconds_of(lst.issued_at),
         L_ENTRIES: [[r.serial, day_of(r.revoked_on), r.reason] for r in lst.entries]}
    return sign1(canonical(m), private_der, bytes.fromhex(kid_of(public)))


def read_revocations(data: bytes, public_key: bytes) -> RevocationListData:
    """The list, after checking it is well-formed and signed by ``public_key``."""
    msg = parse_sign1(data, MAX_LIST_BYTES)
    if msg.kid.hex() != kid_of(public_key) or not verify_sign1(msg, public_key):
        raise SealError(R_SIGNATURE, "Die Widerrufsliste ist nicht mit dem Schlüssel dieser "
                        "Schlüsselkarte signiert.", "revocation list signature invalid")
    m = strict_loads(msg.payload, MAX_LIST_BYTES)
    if not isinstance(m, dict) or set(m) != {L_FINGERPRINT, L_ISSUED_AT, L_ENTRIES}:
        raise _bad("revocation list has unexpected parts")
    issued_at = datetime_of(m[L_ISSUED_AT])
    if m[L_FINGERPRINT] != fingerprint_of(public_key) or issued_at is None:
        raise _bad("revocation list names another key or no date")
    if not isinstance(m[L_ENTRIES], list) or canonical(m) != msg.payload:
        raise _bad("revocation list entries invalid")
    entries = tuple(_entry(e) for e in m[L_ENTRIES])
    return RevocationListData(fingerprint_of(public_key), issued_at, entries)


def _entry(e: Any) -> Revocation:
    if not isinstance(e, list) or len(e) != 3:
        raise _bad("revocation entry is not [serial, day, reason]")
    serial, day, reason = e
    on = date_of(day)
    if (type(serial) is not str or not 0 < len(serial) <= MAX_SERIAL or on is None
            or type(reason) is not str or len(reason) > MAX_REASON):
        raise _bad("revocation entry invalid")
    return Revocation(serial, on, reason)
