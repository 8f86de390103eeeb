"""Records of issuer keys and trust."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class TrustedKeyRow:
    fingerprint: str
    fingerprint_display: str  # grouped for reading aloud: "3F7A 91C2 …" (first 16 bytes)
    kid: str
    issuer_office: str
    holder_name: str
    municipality: str | None
    vault_code: str | None
    valid_from: date
    valid_until: date
    withdrawn_on: date | None
    own: bool
    imported_at: datetime
    revocations_as_of: datetime | None  # the newest revocation list held for this key
    revoked_count: int


@dataclass(frozen=True)
class CardPreview:
    """A key card file read and checked, before anyone trusts it."""

    fingerprint: str
    fingerprint_display: str
    issuer_office: str
    holder_name: str
    municipality: str | None
    vault_code: str | None
    valid_from: date
    valid_until: date
    withdrawn_on: date | None
    already_trusted: bool
    own: bool  # this vault's own key
    revocations: int  # entries of the revocation list carried with the card
    revocations_as_of: datetime | None
    warnings: list[str] = field(default_factory=list)  # e.g. expired, withdrawn


KEY_VALIDITY_DAYS = 730  # an issuer key signs for two years, then the next one takes over


@dataclass(frozen=True)
class SigningKey:
    """The vault's current issuer key, for sealing inside the issuing transaction. The private
    half never leaves the process (not printed, logged or returned by a UI service)."""

    kid: str
    private_der: bytes = field(repr=False)
    public: bytes
    fingerprint: str
