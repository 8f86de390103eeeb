"""Rows out of and into the store for bundles: images with uuids for foreign keys, and the
path that applies a remote row verbatim, merging per field by the stamps (``db.sync``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from db.row_image import ApplyResult, RowImage

# Every replicated table, parents before children (the order images are applied in).
SYNC_TABLES: tuple[str, ...] = ()


def images_of(session: Session, table: str, uuids: Iterable[str]) -> list[RowImage]:
    """Images of the rows of ``table`` with these uuids (tombstones included)."""
    raise NotImplementedError  # contract: the replica engineer fills this in


def apply_images(session: Session, images: Sequence[RowImage], *, remote_vault: str,
                 author: str | None, changed_at: datetime) -> ApplyResult:
    """Apply remote images inside the caller's transaction: insert unknown rows with their
    metadata verbatim, merge known ones per field (keep / take / conflict), never revive a
    tombstone, keep an edit made after a deletion as a conflict. Derived columns are recomputed
    by the flush (``db.derived``), never taken from an image."""
    raise NotImplementedError
