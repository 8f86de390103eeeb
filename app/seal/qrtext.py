"""The QR text of a certificate: "LT1:" + Base45 (RFC 9285) of the COSE_Sign1 of its payload."""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass

from app.errors import ValidationFailed
from app.seal.cose import (
    SIGNATURE_BYTES,
    Sign1,
    encode_sign1,
    parse_sign1,
    protected_header,
    unreadable,
)
from app.seal.cose import sign1 as cose_sign1
from app.seal.errors import SealError
from app.seal.keys import KID_BYTES, kid_of, public_key_of
from app.seal.payload import MAX_COPY, decode_payload, encode_payload
from app.seal.records import MAX_SEALED_BYTES, QR_PREFIX, R_NOT_LOTSE, SealPayload

# base45 ships no type information; loaded by name so mypy needs no per-package exception.
base45 = importlib.import_module("base45")

# Alphanumeric characters a version-13 QR code holds at level Q (segno, measured).
MAX_QR_TEXT = 352
# Base45 turns 2 bytes into 3 characters: the longest text that can carry MAX_SEALED_BYTES.
MAX_TEXT = len(QR_PREFIX) + (MAX_SEALED_BYTES + 1) // 2 * 3


@dataclass(frozen=True)
class Unsealed:
    kid: str  # hex
    payload: SealPayload
    sign1: Sign1


def _text_of(cose: bytes) -> str:
    encoded: bytes = base45.b45encode(cose)
    return QR_PREFIX + encoded.decode("ascii")


def sealed_length(p: SealPayload) -> int:
    """Characters of the QR text for ``p`` (ES256 signatures have a fixed size)."""
    kid = bytes(KID_BYTES)
    dummy = Sign1(protected_header(kid), kid, encode_payload(p), bytes(SIGNATURE_BYTES))
    return len(_text_of(encode_sign1(dummy)))


def fits(p: SealPayload) -> bool:
    return sealed_length(p) <= MAX_QR_TEXT


def shorten_to_fit(p: SealPayload) -> SealPayload:
    """``p`` with its subject cut (ending in "…") until the QR code fits, with room left for
    any later Zweitschrift (its number and date); unchanged if it fits. The printed certificate
    keeps the whole subject; the seal carries what fits."""
    reprint = dataclasses.replace(p, copy=MAX_COPY, copy_on=p.copy_on or p.issued_on)
    subject = p.subject
    while subject and not fits(dataclasses.replace(reprint, subject=subject)):
        subject = subject[:-2].rstrip() + "…" if len(subject) > 1 else ""
    return dataclasses.replace(p, subject=subject)


def seal(p: SealPayload, private_der: bytes) -> str:
    """The QR text sealing ``p`` with the issuer key ``private_der`` (PKCS#8)."""
    try:
        payload = encode_payload(p)
    except ValueError as exc:
        raise ValidationFailed("Die Angaben der Bescheinigung können nicht versiegelt werden "
                               "(ein Feld ist leer oder zu lang).", str(exc)) from None
    kid = bytes.fromhex(kid_of(public_key_of(private_der)))
    text = _text_of(cose_sign1(payload, private_der, kid))
    if len(text) > MAX_QR_TEXT:
        raise ValidationFailed(
            "Der Prüfcode der Bescheinigung wäre zu groß für den QR-Code. Bitte kürzen Sie "
            "die Bezeichnung der Maßnahme.",
            f"sealed text has {len(text)} characters, a version-13 QR code holds {MAX_QR_TEXT}",
            field="subject")
    return text


def parse_text(text: str) -> Sign1:
    """The COSE_Sign1 inside a QR text (signature not checked)."""
    # Only line ends: a space is a Base45 digit and may end the text.
    text = text.strip("\r\n\t")
    if not text.startswith(QR_PREFIX):
        raise SealError(R_NOT_LOTSE, "Der QR-Code ist kein Prüfcode einer Lotse-Bescheinigung.",
                        "not a Lotse seal (no LT1: prefix)")
    body = text[len(QR_PREFIX):]
    if len(text) > MAX_TEXT:  # capped before Base45 or CBOR sees it
        raise unreadable(f"QR text longer than {MAX_TEXT} characters")
    try:
        cose: bytes = base45.b45decode(body)
    except (ValueError, KeyError, IndexError, TypeError):
        raise unreadable("Base45 broken") from None
    return parse_sign1(cose)


def unseal(text: str) -> Unsealed:
    """Kid, payload and Sign1 of a QR text; SealError when it is not a readable Lotse seal.
    Does not verify the signature (``app.seal.verify.judge`` does)."""
    msg = parse_text(text)
    return Unsealed(msg.kid.hex(), decode_payload(msg.payload), msg)
