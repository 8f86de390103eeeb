"""Vault-local tables: never replicated, because they describe this vault or this device."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary
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
