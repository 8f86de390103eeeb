"""The case file and its phase history (DGCC cycle)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin
from db.models.common import in_values

# The DGCC cycle is fixed by the standard; everything else about phases lives in the catalogue.
CASE_LIST_FILTERS = ("phase", "target_group", "municipality", "case_manager_id")
NO_DEADLINE = "9999-12-31"  # sorts "no deadline" after every real one
DEADLINE_KEY = f"coalesce(next_deadline, '{NO_DEADLINE}')"
PHASES = ("intake", "assessment", "planning", "linking", "monitoring", "evaluation", "closed")


class CaseFile(SyncMixin, Base):
    """A case ("case" is an SQL keyword, hence ``case_file``)."""

    __tablename__ = "case_file"
    __table_args__ = (
        CheckConstraint(in_values("phase", PHASES), name="phase"),
        # Keyset paging of the case list in name order.
        # The case list: sort key, id and every filter column of live rows (migration 0002).
        # The deadline rides along for the deadline filter (migration 0004).
        *(Index(name, key, "id", *CASE_LIST_FILTERS, text(DEADLINE_KEY),
                sqlite_where=text("deleted = 0"))
          for name, key in (("ix_case_list_name", "sort_name"),
                            ("ix_case_list_number", "case_number"),
                            ("ix_case_list_opened", "opened_on"))),
        Index("ix_case_list_deadline", text(DEADLINE_KEY), "id", *CASE_LIST_FILTERS,
              sqlite_where=text("deleted = 0")),
        # Heute's "no contact for N weeks": open cases by their last contact (migration 0003).
        Index("ix_case_quiet", text("coalesce(last_contact_at, opened_on)"), "id",
              sqlite_where=text("deleted = 0 AND phase != 'closed'")),
        # Heute joins statuses and consents by person and tasks by case to the open cases (and
        # the owner's): covering, so no case row is read per candidate (migration 0007).
        Index("ix_case_file_open_person", "person_id", "case_manager_id", "phase",
              sqlite_where=text("deleted = 0 AND phase != 'closed'")),
        Index("ix_case_file_open_id", "id", "case_manager_id", "phase",
              sqlite_where=text("deleted = 0 AND phase != 'closed'")),
    )
    # Recomputed from other tables wherever they change, so never stamped for sync: two vaults
    # adding journal entries offline must not conflict over the case row (db.sync).
    # sort_name: the client's sort key, copied (by the services and db.replica).
    __derived__ = frozenset({"next_deadline", "last_contact_at", "sort_name"})
    # The case number is unique and the phase under a CHECK: both stay (neither names anyone).
    __tombstone_keeps__ = frozenset({"case_number", "phase"})

    case_number: Mapped[str] = mapped_column(String(40), unique=True)  # DO-2026-K7QX-0042
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("household.id", ondelete="SET NULL"), index=True
    )
    target_group: Mapped[str | None]  # target_groups catalogue code
    municipality: Mapped[str]  # municipality catalogue code
    case_manager_id: Mapped[int] = mapped_column(ForeignKey("case_manager.id"), index=True)
    phase: Mapped[str] = mapped_column(String(16), index=True, default="intake")
    opened_on: Mapped[date]
    closed_on: Mapped[date | None]
    close_reason: Mapped[str | None]  # close_reasons catalogue code
    handover_note: Mapped[str | None]
    retention_until: Mapped[date | None] = mapped_column(index=True)

    # Intake (Klärung / Zugang)
    access_route: Mapped[str | None]  # Zugangsweg
    indication: Mapped[str | None]
    complex_needs: Mapped[bool] = mapped_column(default=False)
    several_agencies: Mapped[bool] = mapped_column(default=False)
    regular_services_insufficient: Mapped[bool] = mapped_column(default=False)
    dp_info_given_on: Mapped[date | None]  # Art. 13 GDPR information given
    dp_info_language: Mapped[str | None]
    working_agreement_on: Mapped[date | None]
    # Planning / evaluation
    plan_signed_on: Mapped[date | None]
    client_feedback: Mapped[str | None]

    # Denormalised for the case list and Heute (kept by the services): the client's
    # fold_sort("family given"), the earliest open deadline and the last contact, so lists page
    # and sort on indexes alone.
    sort_name: Mapped[str]
    next_deadline: Mapped[date | None] = mapped_column(index=True)
    last_contact_at: Mapped[datetime | None]  # newest live journal entry


class PhaseTransition(SyncMixin, Base):
    """Every change of phase, never rewritten: the basis for durations per phase."""

    __tablename__ = "phase_transition"
    __table_args__ = (
        CheckConstraint(in_values("from_phase", PHASES), name="from_phase"),
        CheckConstraint(in_values("to_phase", PHASES), name="to_phase"),
        Index("ix_phase_transition_case_id_at", "case_id", "at"),
    )
    __tombstone_keeps__ = frozenset({"to_phase"})  # CHECK: one of the phases

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    from_phase: Mapped[str | None] = mapped_column(String(16))  # None: the case was created
    to_phase: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    by_staff_id: Mapped[int] = mapped_column(ForeignKey("case_manager.id"), index=True)
    reason: Mapped[str | None]
    # Set when the step was taken although minimum documentation was missing.
    override_reason: Mapped[str | None]
    missing_items: Mapped[list[str]] = mapped_column(default=list)
