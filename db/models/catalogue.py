"""Catalogue overlay: entries delivered later in catalogue bundles, over the shipped JSON."""

from __future__ import annotations

from typing import Any

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, SyncMixin


class CatalogueEntry(SyncMixin, Base):
    """One entry of a catalogue (``catalogue`` = file stem, e.g. "institution_kinds").

    Written only from coordination-office bundles, so the unique key cannot clash offline.
    """

    __tablename__ = "catalogue_entry"
    __table_args__ = (UniqueConstraint("catalogue", "code"),)
    __tombstone_keeps__ = frozenset({"catalogue", "code"})  # unique together

    catalogue: Mapped[str]
    code: Mapped[str]
    data: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(default=1)
