"""Register of issued certificates (clients' confirmations and staff training)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin


class Certificate(SyncMixin, Base):
    """Signed by the issuing device: ``signature`` covers the canonical ``payload``.

    kind: participation / counselling / training_basic / training_advanced / dgcc.
    """

    __tablename__ = "certificate"
    __tombstone_keeps__ = frozenset({"serial"})  # unique: a serial is never handed out twice

    kind: Mapped[str]
    # Same offline-unique scheme as case numbers (municipality, year, vault code, sequence).
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_manager.id", ondelete="SET NULL"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="SET NULL"), index=True
    )
    issued_on: Mapped[date]
    issued_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_manager.id", ondelete="SET NULL"), index=True
    )
    payload: Mapped[dict[str, Any]]
    verification_code: Mapped[str] = mapped_column(String(64), index=True)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    signer_public: Mapped[bytes] = mapped_column(LargeBinary)  # Ed25519 raw, for offline checks
    revoked_on: Mapped[date | None]
    revoke_reason: Mapped[str | None]
