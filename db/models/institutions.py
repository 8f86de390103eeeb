"""Institution directory, contacts and the register of cooperation agreements."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin


class Institution(SyncMixin, Base):
    __tablename__ = "institution"

    name: Mapped[str]
    kind: Mapped[str] = mapped_column(index=True)  # institution_kinds catalogue code
    legal_domain: Mapped[str | None]  # e.g. "SGB II"; defaults from the kind, may differ
    municipality: Mapped[str | None]
    address_street: Mapped[str | None]
    address_postcode: Mapped[str | None]
    address_city: Mapped[str | None]
    phone: Mapped[str | None]
    email: Mapped[str | None]
    website: Mapped[str | None]
    note: Mapped[str | None]


class Contact(SyncMixin, Base):
    """A named contact person at an institution (staff of partners, not clients)."""

    __tablename__ = "contact"

    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institution.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str]
    role: Mapped[str | None]
    phone: Mapped[str | None]
    email: Mapped[str | None]


class CooperationAgreement(SyncMixin, Base):
    """Kooperationsvereinbarung: which data categories the parties agreed to share, and when."""

    __tablename__ = "cooperation_agreement"

    subject: Mapped[str]
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    data_categories: Mapped[list[str]] = mapped_column(default=list)
    signed_on: Mapped[date | None]
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.id", ondelete="SET NULL"), index=True
    )


class CooperationParty(SyncMixin, Base):
    """A party to an agreement.

    No unique (agreement, institution) constraint: two laptops may add the same party offline,
    and the importer must be able to store both rows before a person merges them.
    """

    __tablename__ = "cooperation_party"

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("cooperation_agreement.id", ondelete="CASCADE"), index=True
    )
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True)
