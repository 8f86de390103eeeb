"""Journal (progress notes and other contacts) and tasks of a case."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin


class JournalEntry(SyncMixin, Base):
    """One contact or note. Full text is indexed by ``journal_search`` (migration triggers)."""

    __tablename__ = "journal_entry"
    __table_args__ = (Index("ix_journal_entry_case_id_occurred_at", "case_id", "occurred_at"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    contact_kind: Mapped[str]  # contact_kinds catalogue code
    place: Mapped[str | None]
    interpreter_used: Mapped[bool] = mapped_column(default=False)
    interpreter_language: Mapped[str | None]
    language: Mapped[str | None]
    duration_minutes: Mapped[int | None]
    # progress_note / deviation / barrier / reassessment_trigger / other
    entry_kind: Mapped[str] = mapped_column(default="progress_note")
    text: Mapped[str] = mapped_column(default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("case_manager.id"), index=True)
    # A barrier may reveal a gap in the system; the gap register itself holds no personal data.
    system_gap_id: Mapped[int | None] = mapped_column(
        ForeignKey("system_gap.id", ondelete="SET NULL"), index=True
    )
    confided: Mapped[bool] = mapped_column(default=False)
    # A Nachtrag or correction is its own entry pointing at the one it amends (migration 0006);
    # the amended entry itself never changes.
    amends_id: Mapped[int | None] = mapped_column(
        ForeignKey("journal_entry.id"), index=True
    )


class Task(SyncMixin, Base):
    __tablename__ = "task"
    __table_args__ = (
        # Open tasks by due date, for Heute's windows (migration 0003).
        Index("ix_task_open_due", "due_on", "case_id",
              sqlite_where=text("deleted = 0 AND done_on IS NULL AND due_on IS NOT NULL")),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    title: Mapped[str]
    details: Mapped[str | None]
    due_on: Mapped[date | None] = mapped_column(index=True)
    done_on: Mapped[date | None]
    source: Mapped[str] = mapped_column(default="manual")  # manual / conference_decision /
    # status_expiry (follow-up created from a residence status' valid_until)
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference_decision.id", ondelete="SET NULL"), index=True
    )
    residence_status_id: Mapped[int | None] = mapped_column(
        ForeignKey("residence_status.id", ondelete="SET NULL"), index=True
    )
    assignee_text: Mapped[str | None]
    assignee_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_manager.id", ondelete="SET NULL"), index=True
    )
