"""Clients, their households and their residence-status timeline."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin
from db.models.common import in_values

# Fixed by residence law, not by local practice: the only value set of this module in a CHECK.
WORK_PERMISSIONS = ("allowed", "with_consent", "forbidden")


class Household(SyncMixin, Base):
    __tablename__ = "household"

    label: Mapped[str]
    address_street: Mapped[str | None]
    address_postcode: Mapped[str | None]
    address_city: Mapped[str | None]


class Person(SyncMixin, Base):
    __tablename__ = "person"
    # Folded from the names wherever they change (the services, db.replica for remote rows):
    # never stamped, or two vaults editing the given and the family name would conflict on it.
    __derived__ = frozenset({"sort_key"})
    __table_args__ = (
        # Keyset paging over the person directory: (sort_key, id) > (last_key, last_id).
        Index("ix_person_sort_key_id", "sort_key", "id"),
    )

    given_names: Mapped[str]
    family_name: Mapped[str]
    birth_name: Mapped[str | None]
    date_of_birth: Mapped[date | None]
    place_of_birth: Mapped[str | None]
    nationality: Mapped[str | None]  # ISO 3166 alpha-3, "XXA" stateless, "XXX" unknown
    gender: Mapped[str | None]
    languages: Mapped[list[str]] = mapped_column(default=list)
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str | None]
    email: Mapped[str | None]
    address_street: Mapped[str | None]
    address_postcode: Mapped[str | None]
    address_city: Mapped[str | None]
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("household.id", ondelete="SET NULL"), index=True
    )
    household_role: Mapped[str | None]  # e.g. head, partner, child
    entered_germany_on: Mapped[date | None]
    accommodation: Mapped[str | None]  # facility or address, as the caseworker writes it
    abh_file_number: Mapped[str | None]  # the foreigners' authority's file number
    # fold_sort("family given"), computed in Python by the service: SQL collations cannot fold
    # ü→ue, ß→ss and the like, and an indexed column keeps ordered paging cheap.
    sort_key: Mapped[str]


class ResidenceStatus(SyncMixin, Base):
    """One entry of a person's residence-status timeline; expiry dates drive follow-up tasks."""

    __tablename__ = "residence_status"
    __table_args__ = (
        CheckConstraint(in_values("work_permission", WORK_PERMISSIONS), name="work_permission"),
        # Heute's expiring statuses: only the rows that count, by their end (migration 0007).
        # Covering: the window is read without a row of the table.
        Index("ix_residence_status_current_until", "current_until", "kind", "person_id", "uuid",
              sqlite_where=text("deleted = 0 AND current_until IS NOT NULL")),
    )
    # Recomputed locally from the person's other statuses (db.derived), never stamped for sync.
    __derived__ = frozenset({"current_until"})

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str]  # residence_status_kinds catalogue code
    legal_basis: Mapped[str | None]
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None] = mapped_column(index=True)
    residence_obligation: Mapped[str | None]  # Wohnsitzauflage / räumliche Beschränkung
    work_permission: Mapped[str | None]
    document_seen_on: Mapped[date | None]
    note: Mapped[str | None]
    # A wrong entry is corrected by a new one (migration 0006): the old entry stays in the
    # timeline, pointing at its replacement, with the reason it was wrong.
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("residence_status.id"), index=True
    )
    correction_reason: Mapped[str | None]
    # valid_until while this is the status that counts for its person (live, not corrected,
    # the newest), else NULL: kept by db.derived so Heute reads no older or corrected rows.
    current_until: Mapped[date | None]
