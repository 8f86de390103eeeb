"""Register of gaps in the system ("Lücken im System") for the steering committee."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin


class SystemGap(SyncMixin, Base):
    """Written without personal data: it is reported to the steering committee as is."""

    __tablename__ = "system_gap"

    category: Mapped[str]
    title: Mapped[str]
    description: Mapped[str]
    legal_domains: Mapped[list[str]] = mapped_column(default=list)
    institution_kinds: Mapped[list[str]] = mapped_column(default=list)
    municipality: Mapped[str | None]
    severity: Mapped[str] = mapped_column(default="medium")  # low / medium / high
    status: Mapped[str] = mapped_column(default="open")  # open / escalated / resolved / dropped
    noticed_on: Mapped[date]
    resolved_on: Mapped[date | None]


class SystemGapCase(SyncMixin, Base):
    """Internal link from a gap to the cases where it showed; never leaves in steering bundles."""

    __tablename__ = "system_gap_case"

    system_gap_id: Mapped[int] = mapped_column(
        ForeignKey("system_gap.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
