"""Attached documents (signed consent forms, agreements), stored inside the encrypted store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin, utcnow


class Attachment(SyncMixin, Base):
    """Owner by table name and uuid (not an FK): one table serves every kind of owner.

    Content lives in the database, never as a loose file, so it shares the store's encryption.
    """

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner_table_owner_uuid", "owner_table", "owner_uuid"),)
    # The owner reference is a NOT NULL foreign key in all but name (by uuid, any table).
    __tombstone_keeps__ = frozenset({"owner_table", "owner_uuid"})

    owner_table: Mapped[str]
    owner_uuid: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str]
    media_type: Mapped[str]
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Deferred: listing attachments must not load every scanned PDF into memory.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
