"""Judging a QR text against the keys and revocation lists a vault trusts.

Each failing check has its own reason; the German message is a sentence a caseworker can say on
the phone, the English one carries no personal data (the serial and the office are not).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from app.seal.cose import verify_sign1
from app.seal.errors import SealError
from app.seal.payload import decode_payload
from app.seal.qrtext import parse_text
from app.seal.records import (
    ALTERED,
    R_KEY_EXPIRED,
    R_KEY_WITHDRAWN,
    R_OFFICE_MISMATCH,
    R_OK,
    R_PAGE_MISMATCH,
    R_REVOKED,
    R_SIGNATURE,
    R_UNKNOWN_KEY,
    REVOKED,
    UNKNOWN_ISSUER,
    VALID,
    KeyCard,
    Revocation,
    SealPayload,
    Verdict,
)


@dataclass(frozen=True)
class RevocationStatus:
    revocation: Revocation | None  # None: not on the list
    as_of: datetime | None  # the list's date (None: no list held for this issuer)


class TrustView(Protocol):
    """What a verifier knows: the trusted keys and the revocation lists of their issuers."""

    def keys_with_kid(self, kid: str) -> Sequence[KeyCard]:
        """Every trusted key with this short id (they may collide: all are tried)."""
        ...

    def revocation_status(self, card: KeyCard, serial: str) -> RevocationStatus:
        """Whether the issuer of ``card`` revoked ``serial``, as of its newest list."""
        ...


def de_date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def de_time(at: datetime) -> str:
    return at.astimezone().strftime("%d.%m.%Y, %H:%M Uhr")


def issuer_of(card: KeyCard) -> str:
    """"Stadt Dortmund (Ayşe Demir, Tresor 7KQ3)" — for people, never for logs."""
    extra = ", ".join(x for x in (card.holder_name, f"Tresor {card.vault_code}"
                                  if card.vault_code else None) if x)
    return f"{card.issuer_office} ({extra})" if extra else card.issuer_office


def _failed(err: SealError) -> Verdict:
    return Verdict(ALTERED, err.reason, err.message_de, err.message_en)


def judge(text: str, trust: TrustView, *, page_text: str | None = None) -> Verdict:
    """The answer for one QR text; ``page_text`` is the text of the PDF page it was found on."""
    try:
        msg = parse_text(text)
        payload = decode_payload(msg.payload)
    except SealError as err:
        return _failed(err)
    kid = msg.kid.hex()
    candidates = trust.keys_with_kid(kid)
    card = next((c for c in candidates if verify_sign1(msg, c.public_key)), None)
    if card is None:
        if candidates:
            return Verdict(ALTERED, R_SIGNATURE,
                           f"Die Bescheinigung Nr. {payload.serial} wurde verändert: Ihre "
                           "Signatur passt nicht zu ihrem Inhalt.",
                           f"signature does not match the content (key {kid})")
        return Verdict(UNKNOWN_ISSUER, R_UNKNOWN_KEY,
                       f"Die Bescheinigung Nr. {payload.serial} nennt als Aussteller "
                       f"{payload.office}, wurde aber mit einem Schlüssel signiert, dem dieser "
                       "Tresor nicht vertraut. Der Aussteller ist unbekannt.",
                       f"signed by key {kid}, which is not trusted here", payload=payload)
    return _judge_signed(payload, card, trust, page_text)


def _judge_signed(p: SealPayload, card: KeyCard, trust: TrustView,
                  page_text: str | None) -> Verdict:
    issuer = issuer_of(card)
    if p.office != card.issuer_office:
        return Verdict(ALTERED, R_OFFICE_MISMATCH,
                       f"Die Bescheinigung Nr. {p.serial} nennt als Aussteller {p.office}, ist "
                       f"aber mit dem Schlüssel von {issuer} signiert. Sie gilt als verändert.",
                       f"names another office than its key {card.kid}", payload=p, issuer=issuer)
    if not card.valid_from <= p.issued_on <= card.valid_until:
        return Verdict(UNKNOWN_ISSUER, R_KEY_EXPIRED,
                       f"Die Bescheinigung Nr. {p.serial} ist am {de_date(p.issued_on)} "
                       f"ausgestellt, der Schlüssel von {issuer} galt aber nur vom "
                       f"{de_date(card.valid_from)} bis {de_date(card.valid_until)}.",
                       f"issued {p.issued_on} outside the validity of key {card.kid} "
                       f"({card.valid_from}..{card.valid_until})", payload=p, issuer=issuer)
    if card.withdrawn_on is not None and p.issued_on >= card.withdrawn_on:
        return Verdict(UNKNOWN_ISSUER, R_KEY_WITHDRAWN,
                       f"Der Schlüssel von {issuer} wurde am {de_date(card.withdrawn_on)} "
                       f"zurückgezogen. Die Bescheinigung Nr. {p.serial} ist am "
                       f"{de_date(p.issued_on)} ausgestellt und gilt deshalb nicht.",
                       f"key {card.kid} withdrawn on {card.withdrawn_on}, certificate issued "
                       f"{p.issued_on}", payload=p, issuer=issuer)
    status = trust.revocation_status(card, p.serial)
    if status.revocation is not None:
        r = status.revocation
        as_of = f" (Stand der Widerrufsliste: {de_time(status.as_of)})" if status.as_of else ""
        return Verdict(REVOKED, R_REVOKED,
                       f"Die Bescheinigung Nr. {p.serial} von {card.issuer_office} wurde am "
                       f"{de_date(r.revoked_on)} widerrufen{as_of}. Grund: {r.reason}",
                       f"serial {p.serial} revoked on {r.revoked_on}"
                       + (f", list as of {status.as_of.isoformat()}" if status.as_of else ""),
                       payload=p, issuer=issuer, revoked_on=r.revoked_on,
                       revoke_reason=r.reason, list_as_of=status.as_of)
    if page_text is not None and not on_page(p.serial, page_text):
        return Verdict(ALTERED, R_PAGE_MISMATCH,
                       f"Die Nummer im QR-Code ({p.serial}) steht nicht auf der Seite: Das "
                       "Dokument wurde verändert.",
                       f"serial {p.serial} of the QR code is not printed on the page",
                       payload=p, issuer=issuer)
    copy = f" Es ist die {p.copy}. Zweitschrift" + (
        f" vom {de_date(p.copy_on)}." if p.copy_on else ".") if p.copy else ""
    return Verdict(VALID, R_OK,
                   f"Die Bescheinigung Nr. {p.serial} ist gültig. Ausgestellt am "
                   f"{de_date(p.issued_on)} von {issuer}.{copy}",
                   f"serial {p.serial} issued {p.issued_on} by {card.issuer_office} "
                   f"(key {card.kid})" + (f", copy {p.copy}" if p.copy else ""),
                   payload=p, issuer=issuer, list_as_of=status.as_of)


def on_page(serial: str, page_text: str) -> bool:
    """Whether the serial is printed on the page (text extraction may break lines or hyphens
    differently, so whitespace and soft hyphens are ignored on both sides)."""
    def squeeze(s: str) -> str:
        return re.sub(r"[\s\u00ad\u2010\u2011]", "", s).replace("\u2013", "-")
    return squeeze(serial) in squeeze(page_text)
