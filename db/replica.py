"""Rows out of and into the store for bundles: images with uuids for foreign keys, and the
path that applies a remote row verbatim, merging per field by the stamps (``db.sync``).

Split for size: ``db.replica_meta`` (what travels of each table), ``db.replica_merge`` (the
per-field rules, pure), ``db.replica_apply`` (the statements), ``db.replica_conflicts``,
``db.replica_read`` (images at near-raw speed), ``db.replica_new`` (new rows, column by column),
``db.replica_bulk`` (inserting them), ``db.replica_sort`` (sort names after an import).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from db.replica_apply import Applier
from db.replica_meta import sync_tables, table_meta
from db.replica_read import bulk, images_by_uuids
from db.row_image import ApplyResult, RowImage

# Every replicated table, parents before children (the order images are applied in).
SYNC_TABLES: tuple[str, ...] = sync_tables()


def images_of(session: Session, table: str, uuids: Iterable[str]) -> list[RowImage]:
    """Images of the rows of ``table`` with these uuids (tombstones included).

    Read with the DBAPI cursor (``db.replica_read``): one query per table or batch of 500, FKs
    turned into uuids by one map per referenced table; unknown uuids are left out. Derived and
    vault-local columns (``TableMeta.local``) do not travel.
    """
    table_meta(table)  # KeyError for a table that does not replicate
    return images_by_uuids(session, table, list(dict.fromkeys(uuids)))


def apply_images(session: Session, images: Sequence[RowImage], *, remote_vault: str,
                 author: str | None, changed_at: datetime) -> ApplyResult:
    """Apply remote images inside the caller's transaction: insert unknown rows with their
    metadata verbatim, merge known ones per field (keep / take / conflict), never revive a
    tombstone, keep an edit made after a deletion as a conflict. Derived columns are recomputed
    by the flush (``db.derived``), never taken from an image.

    ``refused`` lists (uuid, reason) of rows that could not be applied ("missing_parent",
    "bad_image", "unknown_table"): the caller must then roll back, or the store holds a part.
    """
    session.flush()
    with bulk():  # hundreds of thousands of rows read and made, none in a cycle
        return Applier(session, remote_vault=remote_vault, author=author,
                       changed_at=changed_at).run(images)
