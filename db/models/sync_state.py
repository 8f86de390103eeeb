"""Bookkeeping of bundle exchange: local to each vault, never replicated themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, utcnow


class BundleReceipt(Base):
    """Written in the same transaction that applies a bundle, so a re-import is a no-op."""

    __tablename__ = "bundle_receipt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_uuid: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str]
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    sender_device: Mapped[str]  # fingerprint of the sender's signing key


class SyncConflict(Base):
    """Both vaults changed the same field: both values are kept until a person decides."""

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str]
    row_uuid: Mapped[str] = mapped_column(String(32), index=True)
    field: Mapped[str]
    # JSON values may legitimately be JSON null, so these are Any and nullable.
    local_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    remote_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    remote_stamp: Mapped[Any] = mapped_column(JSON, nullable=True)  # [vault, counter]
    remote_vault: Mapped[str] = mapped_column(String(32))
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None]  # keep_local / take_remote / edited
