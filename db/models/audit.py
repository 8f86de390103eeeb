"""The audit log: local, append-only (enforced by triggers in the migration), hash-chained."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class AuditLog(Base):
    """One audited event. ``detail`` carries ids and counts only, never personal data.

    Not synchronised: each vault proves its own history; its chain head travels in bundles.
    """

    __tablename__ = "audit_log"

    # Explicit sequence (not a rowid alias we let SQLite pick) because it is part of the hash.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(index=True)
    actor: Mapped[str]  # staff uuid or "system"
    object_type: Mapped[str | None]
    object_uuid: Mapped[str | None] = mapped_column(String(32), index=True)
    detail: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
