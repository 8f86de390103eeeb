"""Staff (case managers, team leads) and their case-management training."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin


class CaseManager(SyncMixin, Base):
    __tablename__ = "case_manager"
    # "This is me": true in one vault only, so it never travels nor is stamped (db.replica).
    __vault_local__ = frozenset({"is_self"})

    display_name: Mapped[str]
    email: Mapped[str | None]
    phone: Mapped[str | None]
    municipality: Mapped[str | None]  # municipality catalogue code
    role: Mapped[str] = mapped_column(default="case_manager")  # case_manager / team_lead
    # Meaningful only in the vault that owns the row: importers must not carry it over.
    is_self: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class TrainingRecord(SyncMixin, Base):
    """One attended module of "Einwanderung erfolgreich managen" (basic or advanced course).

    The DGCC certificate needs a recognised institute, 144 teaching units, at least 60 % of them
    in presence, a practice case and a colloquium: all derivable from these rows.
    """

    __tablename__ = "training_record"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("case_manager.id", ondelete="CASCADE"), index=True
    )
    course: Mapped[str]  # basic / advanced
    module: Mapped[str]
    teaching_units: Mapped[int] = mapped_column(default=0)
    presence_units: Mapped[int] = mapped_column(default=0)
    held_on: Mapped[date | None]
    institute: Mapped[str | None]
    institute_recognised: Mapped[bool] = mapped_column(default=False)
    practice_case_done: Mapped[bool] = mapped_column(default=False)
    colloquium_on: Mapped[date | None]
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificate.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str | None]
