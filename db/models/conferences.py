"""Case conferences (Fallkonferenzen) and their minutes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin
from db.models.common import in_values

# planned → held → minutes drafted → minutes approved (then immutable; amendments only).
CONFERENCE_STATUSES = ("planned", "held", "minutes_drafted", "minutes_approved")


class Conference(SyncMixin, Base):
    __tablename__ = "conference"
    __table_args__ = (CheckConstraint(in_values("status", CONFERENCE_STATUSES), name="status"),)
    __tombstone_keeps__ = frozenset({"status"})  # CHECK: one of the statuses

    title: Mapped[str]
    scheduled_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str | None]
    chair_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_manager.id", ondelete="SET NULL"), index=True
    )
    chair_text: Mapped[str | None]  # chair from a partner institution
    minute_taker_text: Mapped[str | None]
    status: Mapped[str] = mapped_column(String(20), default="planned")
    held_at: Mapped[datetime | None]
    next_review_on: Mapped[date | None]
    approved_on: Mapped[date | None]
    approved_by_text: Mapped[str | None]
    # Set on approval; from then on only conference_amendment rows may be added.
    minutes_locked: Mapped[bool] = mapped_column(default=False)


class ConferenceParticipant(SyncMixin, Base):
    __tablename__ = "conference_participant"

    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str]
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), index=True
    )
    # The directory's contact person this participant was picked as (name kept as written).
    # No ON DELETE action (added by ALTER TABLE, migration 0008): contacts are tombstoned.
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    role: Mapped[str | None]
    attendance: Mapped[str | None]  # present / absent / excused (None until held)
    language: Mapped[str | None]  # an interpreter's language (languages catalogue code)
    is_client: Mapped[bool] = mapped_column(default=False)
    is_interpreter: Mapped[bool] = mapped_column(default=False)
    # False: receives the pseudonymised copy of the minutes only.
    may_see_all: Mapped[bool] = mapped_column(default=False)


class ConferenceAgendaItem(SyncMixin, Base):
    """One case discussed in a conference: the per-case part of the minutes."""

    __tablename__ = "conference_agenda_item"

    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    occasion: Mapped[str | None]
    # Data categories (catalogue codes) to be discussed: what the consent gate decides on.
    data_categories: Mapped[list[str]] = mapped_column(default=list)
    legal_basis_note: Mapped[str | None]
    # {institution uuid: minimal state of affairs}; uuids, not names, so it survives renames.
    state_of_affairs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    resources_goals: Mapped[str | None]
    disagreements: Mapped[str | None]
    system_gap_notes: Mapped[str | None]
    next_review_on: Mapped[date | None]


class ConferenceDecision(SyncMixin, Base):
    """What / who / by when; each decision becomes a task in the case (``task_id``)."""

    __tablename__ = "conference_decision"

    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("conference_agenda_item.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    what: Mapped[str]
    who: Mapped[str]  # a person or an institution, as written
    # No ON DELETE action (ALTER TABLE, migration 0008): institutions are tombstoned.
    who_institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"),
                                                           index=True)
    by_when: Mapped[date | None]
    # task.decision_id points back here: a cycle, so this side is created after the tables.
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("task.id", ondelete="SET NULL", use_alter=True), index=True
    )


class ConferenceAmendment(SyncMixin, Base):
    """A numbered correction of approved minutes, with its reason."""

    __tablename__ = "conference_amendment"
    __table_args__ = (UniqueConstraint("conference_id", "number"),)
    __tombstone_keeps__ = frozenset({"number"})  # unique per conference

    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    number: Mapped[int]
    reason: Mapped[str]
    text: Mapped[str]
    made_at: Mapped[datetime]
    author_text: Mapped[str | None]  # who made it (the vault owner's name at the time)


class ConferenceDistribution(SyncMixin, Base):
    """Who receives the minutes, and whether only the pseudonymised copy."""

    __tablename__ = "conference_distribution"

    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    recipient_name: Mapped[str]
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), index=True
    )
    pseudonymised: Mapped[bool] = mapped_column(default=True)
    sent_on: Mapped[date | None]
