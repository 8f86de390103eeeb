"""Vault-local tables: never replicated, because they describe this vault or this device."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class VaultMeta(Base):
    """Key/value facts about the vault itself (vault_uuid, vault_code, owner_uuid, ...)."""

    __tablename__ = "vault_meta"

    key: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[str]


class NumberSequence(Base):
    """Last number handed out per scope, e.g. ``case:DO:2026`` or ``certificate:2026``.

    Local on purpose: uniqueness across laptops comes from the vault code in the number, so each
    vault only has to count its own.
    """

    __tablename__ = "number_sequence"

    scope: Mapped[str] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class DeviceIdentity(Base):
    """Key pairs of this device: Ed25519 signs bundles and certificates, X25519 receives bundles.

    Private keys stay here, protected by the store's encryption; only the public halves travel.
    """

    __tablename__ = "device_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    signing_private: Mapped[bytes] = mapped_column(LargeBinary)
    signing_public: Mapped[bytes] = mapped_column(LargeBinary)
    encryption_private: Mapped[bytes] = mapped_column(LargeBinary)
    encryption_public: Mapped[bytes] = mapped_column(LargeBinary)


class SyncKey(Base):
    """This vault's bundle keys (BSI TR-02102-1): ECDSA P-256 signs bundles and the vault's key
    card, ECDH P-256 receives bundle keys. Beside the older Ed25519/X25519 ``device_identity``,
    which stays for what already uses it. One row; created on first use. Drafts are sealed with a
    key of their own (``app.drafts``), which is never published."""

    __tablename__ = "sync_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    signing_private: Mapped[bytes] = mapped_column(LargeBinary)  # PKCS#8 DER
    signing_public: Mapped[bytes] = mapped_column(LargeBinary)  # SEC1 compressed
    agreement_private: Mapped[bytes] = mapped_column(LargeBinary)  # PKCS#8 DER
    agreement_public: Mapped[bytes] = mapped_column(LargeBinary)  # SEC1 compressed
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)


class IssuerKey(Base):
    """This vault's certificate signing keys (ECDSA P-256, ES256; BSI TR-02102-1).

    A key signs for a limited time (``valid_from``…``valid_until``) and is replaced after that;
    a withdrawn key (leaked laptop) makes every certificate it signs after ``withdrawn_on`` fail.
    """

    __tablename__ = "issuer_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kid: Mapped[str] = mapped_column(String(16), unique=True)  # hex of 8 bytes
    private_key: Mapped[bytes] = mapped_column(LargeBinary)  # PKCS#8 DER
    public_key: Mapped[bytes] = mapped_column(LargeBinary)  # SEC1 compressed point
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    withdrawn_on: Mapped[date | None]
    withdraw_reason: Mapped[str | None]


class TrustedKey(Base):
    """Issuer keys this vault accepts certificates from: its own, colleagues', the coordination
    office's. Trust is this vault's decision, so it never travels with a bundle."""

    __tablename__ = "trusted_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kid: Mapped[str] = mapped_column(String(16), index=True)  # short ids may collide: try all
    public_key: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # hex SHA-256 of the public key
    issuer_office: Mapped[str]  # "Stadt Dortmund": certificates of this key must name it
    holder_name: Mapped[str]  # the case manager or "Koordinierungsstelle"
    municipality: Mapped[str | None]
    vault_code: Mapped[str | None]
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    withdrawn_on: Mapped[date | None]
    own: Mapped[bool] = mapped_column(default=False)
    card: Mapped[bytes] = mapped_column(LargeBinary)  # the signed key card as received
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class RevocationList(Base):
    """The newest signed revocation list received per issuer key (an older one never replaces
    a newer one: an old file put back must not un-revoke)."""

    __tablename__ = "revocation_list"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)  # of the signing key
    issued_at: Mapped[datetime]
    data: Mapped[bytes] = mapped_column(LargeBinary)  # COSE_Sign1 as received
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
