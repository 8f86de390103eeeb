"""Records of the seal: what a certificate's QR code carries, key cards, revocation lists and
the answer of a verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Prefix of the QR text (as "HC1:" for the EU certificate): says what follows and its version.
QR_PREFIX = "LT1:"
MAX_QR_VERSION = 13  # ~35 mm at 0.5 mm per module: scannable from a printed A4 page
MAX_SEALED_BYTES = 1024  # a COSE_Sign1 larger than this is refused before it is parsed
MAX_FILE_BYTES = 64 * 1024 * 1024  # PDFs and images given to verification


@dataclass(frozen=True)
class SealPayload:
    """The certificate's essential content, as signed. Short on purpose (QR version ≤ 13)."""

    kind: str  # participation / counselling / training / a municipality's own kind
    serial: str
    holder: str  # full name, or initials when the template asks for them
    birth_date: date | None
    issued_on: date
    office: str  # the issuing office, e.g. "Stadt Dortmund"; must match the key card
    subject: str = ""  # the measure, counselling or course, at most 80 characters
    period_from: date | None = None
    period_until: date | None = None
    copy: int = 0  # 0 = the original; n = the n-th Zweitschrift
    copy_on: date | None = None  # when that Zweitschrift was printed


@dataclass(frozen=True)
class KeyCard:
    """The public half of an issuer key, as exchanged by file (later: in bundles)."""

    public_key: bytes  # SEC1 compressed P-256 point (33 bytes)
    kid: str  # hex of the first 8 bytes of SHA-256(public_key)
    fingerprint: str  # hex SHA-256(public_key), 64 characters
    issuer_office: str
    holder_name: str
    municipality: str | None
    vault_code: str | None
    valid_from: date
    valid_until: date
    withdrawn_on: date | None
    issued_at: datetime  # when this card was written (a newer card replaces an older one)


@dataclass(frozen=True)
class Revocation:
    serial: str
    revoked_on: date
    reason: str


@dataclass(frozen=True)
class RevocationListData:
    fingerprint: str  # of the issuer key that signed the list
    issued_at: datetime  # "as of"
    entries: tuple[Revocation, ...]


# The four answers of the issue, and the reasons behind them (each check fails with its own).
VALID, REVOKED, ALTERED, UNKNOWN_ISSUER = "valid", "revoked", "altered", "unknown_issuer"
OUTCOME_LABELS = {VALID: "gültig", REVOKED: "widerrufen",
                  ALTERED: "verändert oder nicht lesbar", UNKNOWN_ISSUER: "unbekannter Aussteller"}
R_OK = "ok"
R_REVOKED = "revoked"
R_NO_CODE = "no_code"  # no QR code found on the page or image
R_NOT_LOTSE = "not_lotse"  # a QR code, but not a Lotse seal (no LT1: prefix)
R_UNREADABLE = "unreadable"  # Base45, COSE or CBOR broken, or too large
R_SIGNATURE = "signature"  # the signature does not match the content
R_OFFICE_MISMATCH = "office_mismatch"  # signed by a trusted key of another issuing office
R_PAGE_MISMATCH = "page_mismatch"  # a PDF whose printed serial differs from its QR code
R_UNKNOWN_KEY = "unknown_key"  # no trusted key with this id and signature
R_KEY_EXPIRED = "key_expired"  # issued outside the key's validity
R_KEY_WITHDRAWN = "key_withdrawn"  # issued on or after the key was withdrawn
R_CODE_UNKNOWN = "code_unknown"  # a check code that is not in this vault's register


@dataclass(frozen=True)
class Verdict:
    outcome: str  # VALID / REVOKED / ALTERED / UNKNOWN_ISSUER
    reason: str  # one of the R_* codes
    message_de: str  # the whole answer for a person, e.g. "Gültig – ausgestellt von …"
    message_en: str  # the CLI's line (no personal data)
    payload: SealPayload | None = None  # what the seal says (None when unreadable)
    issuer: str | None = None  # "Stadt Dortmund (Ayşe Demir, Tresor 7KQ3)"
    revoked_on: date | None = None
    revoke_reason: str | None = None
    list_as_of: datetime | None = None  # the revocation list's date the answer rests on

    @property
    def ok(self) -> bool:
        return self.outcome == VALID
