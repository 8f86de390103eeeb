"""Rows out of and into the store for bundles: images with uuids for foreign keys, and the
path that applies a remote row verbatim, merging per field by the stamps (``db.sync``).

Split for size: ``db.replica_meta`` (what travels of each table), ``db.replica_merge`` (the
per-field rules, pure), ``db.replica_apply`` (the statements), ``db.replica_conflicts``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from db.replica_apply import Applier, load_rows
from db.replica_conflicts import open_alternatives
from db.replica_meta import sync_tables, table_meta
from db.row_image import ApplyResult, RowImage

# Every replicated table, parents before children (the order images are applied in).
SYNC_TABLES: tuple[str, ...] = sync_tables()


def images_of(session: Session, table: str, uuids: Iterable[str]) -> list[RowImage]:
    """Images of the rows of ``table`` with these uuids (tombstones included).

    One query per table and batch of 500 (FKs turned into uuids by joins); unknown uuids are
    left out. Derived and vault-local columns (``TableMeta.local``) do not travel.
    """
    meta = table_meta(table)
    session.flush()  # pending ORM changes are part of what is sent
    rows = load_rows(session.connection(), meta, list(dict.fromkeys(uuids)))
    held = open_alternatives(session, meta, rows)
    travels = {*meta.content, "deleted"}  # not the stamps of local columns
    return [RowImage(
        table=table, uuid=uuid, deleted=bool(row["deleted"]),
        origin_vault=row["origin_vault"], changed_by_vault=row["changed_by_vault"],
        version_vector={str(k): int(v) for k, v in (row["version_vector"] or {}).items()},
        field_stamps={str(k): (str(s[0]), int(s[1]))
                      for k, s in (row["field_stamps"] or {}).items() if k in travels},
        values={k: row[k] for k in meta.content},
        alternatives=held.get(uuid, {})) for uuid, row in rows.items()]


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
    return Applier(session, remote_vault=remote_vault, author=author,
                   changed_at=changed_at).run(images)
