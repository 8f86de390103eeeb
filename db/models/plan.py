"""Assessment, goals with measures, and referrals: the working core of a case."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin
from db.models.common import in_values

# Degrees of attainment named by the DGCC standard (codes kept German, as in the minutes).
ATTAINMENTS = ("erreicht", "teilweise", "nicht_erreicht")


class Assessment(SyncMixin, Base):
    """Situation analysis for one life domain."""

    __tablename__ = "assessment"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    life_domain: Mapped[str]  # life_domains catalogue code
    resources: Mapped[str | None]
    needs: Mapped[str | None]
    client_view: Mapped[str | None]
    assessed_on: Mapped[date]
    is_reassessment: Mapped[bool] = mapped_column(default=False)
    # Contains information confided in counselling: never disclosed without explicit consent.
    confided: Mapped[bool] = mapped_column(default=False)


class Goal(SyncMixin, Base):
    __tablename__ = "goal"
    __table_args__ = (CheckConstraint(in_values("attainment", ATTAINMENTS), name="attainment"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    life_domain: Mapped[str]
    description: Mapped[str]
    indicator: Mapped[str | None]
    target_date: Mapped[date | None]
    responsible: Mapped[str | None]
    agreed_on: Mapped[date | None]
    position: Mapped[int] = mapped_column(default=0)
    attainment: Mapped[str | None]
    attainment_note: Mapped[str | None]
    evaluated_on: Mapped[date | None]


class Measure(SyncMixin, Base):
    __tablename__ = "measure"

    goal_id: Mapped[int] = mapped_column(ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    description: Mapped[str]
    responsible_institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institution.id", ondelete="SET NULL"), index=True
    )
    responsible_text: Mapped[str | None]  # e.g. "Klientin", or a person outside the directory
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(default="open")  # open / in_progress / done / dropped
    done_on: Mapped[date | None]


class Referral(SyncMixin, Base):
    """Linking: to whom, when, why, and on which consent or recorded legal basis."""

    __tablename__ = "referral"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), index=True
    )
    referred_on: Mapped[date]
    purpose: Mapped[str]
    consent_id: Mapped[int | None] = mapped_column(
        ForeignKey("consent.id", ondelete="SET NULL"), index=True
    )
    legal_basis_id: Mapped[int | None] = mapped_column(
        ForeignKey("legal_basis.id", ondelete="SET NULL"), index=True
    )
    outcome: Mapped[str | None]
    outcome_on: Mapped[date | None]
