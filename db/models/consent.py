"""Consents (Schweigepflichtentbindungen), recorded legal bases, and the disclosure log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin


class Consent(SyncMixin, Base):
    """Per person, per recipient institution, per purpose; categories in ``consent_scope``."""

    __tablename__ = "consent"
    __table_args__ = (
        Index("ix_consent_person_id_institution_id", "person_id", "institution_id"),
        # Live consents by expiry, for Heute's windows (migration 0003).
        Index("ix_consent_live_until", "valid_until",
              sqlite_where=text("deleted = 0 AND withdrawn_on IS NULL")),
        # Heute's expiring consents: only the rows that count, by their end (migration 0007).
        # Covering: the window is read without a row of the table.
        Index("ix_consent_current_until", "current_until", "person_id", "institution_id",
              "uuid", sqlite_where=text("deleted = 0 AND current_until IS NOT NULL")),
    )
    # Recomputed locally from the person's other consents (db.derived), never stamped for sync.
    __derived__ = frozenset({"current_until"})

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="SET NULL"), index=True
    )
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    purpose: Mapped[str]
    given_on: Mapped[date]
    valid_until: Mapped[date | None]
    withdrawn_on: Mapped[date | None]
    info_sheet_language: Mapped[str | None]
    interpreter_present: Mapped[bool] = mapped_column(default=False)
    form_attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.id", ondelete="SET NULL"), index=True
    )
    # Explicit consent to pass on what was confided in counselling; without it such
    # information never leaves the case, whatever categories are covered.
    covers_confided: Mapped[bool] = mapped_column(default=False)
    # valid_until while this consent counts (live, not withdrawn, the newest towards its
    # institution), else NULL: kept by db.derived so Heute reads no renewed or withdrawn rows.
    current_until: Mapped[date | None]


class ConsentScope(SyncMixin, Base):
    """One data category covered by a consent (one row per category)."""

    __tablename__ = "consent_scope"
    __table_args__ = (Index("ix_consent_scope_consent_id_data_category", "consent_id",
                            "data_category"),)

    consent_id: Mapped[int] = mapped_column(ForeignKey("consent.id", ondelete="CASCADE"))
    data_category: Mapped[str]  # data_categories catalogue code


class LegalBasis(SyncMixin, Base):
    """A statutory basis for a disclosure, recorded instead of a consent, with its reason."""

    __tablename__ = "legal_basis"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    data_category: Mapped[str]
    basis: Mapped[str]  # e.g. "§ 71 Abs. 2 SGB X"
    reason: Mapped[str]
    recorded_on: Mapped[date]
    valid_until: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_manager.id", ondelete="SET NULL"), index=True
    )


class Disclosure(SyncMixin, Base):
    """Log of every disclosure of case data to an institution (proof for the DPO)."""

    __tablename__ = "disclosure"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    data_category: Mapped[str]
    purpose: Mapped[str]
    disclosed_at: Mapped[datetime] = mapped_column(index=True)
    channel: Mapped[str]  # conference / print / export / bundle
    # The log must keep pointing at its basis: a consent or basis cannot vanish beneath it.
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consent.id"), index=True)
    legal_basis_id: Mapped[int | None] = mapped_column(ForeignKey("legal_basis.id"), index=True)
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference.id", ondelete="SET NULL"), index=True
    )
    by_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_manager.id", ondelete="SET NULL"), index=True
    )
    # The user confirmed the Ausländerbehörde / confided-information warning.
    warning_acknowledged: Mapped[bool] = mapped_column(default=False)
