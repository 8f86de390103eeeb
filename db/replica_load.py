"""Reading the local rows a batch of incoming images concerns (``db.replica_apply``): first their
sync columns only, then whole rows where an image differs. Images going out are read by
``db.replica_read``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, RowMapping

from db.replica_meta import SYNC_JSON, TableMeta, sync_json
from db.replica_read import SCAN_FROM, batches, select_rows


def load_rows(conn: Connection, meta: TableMeta, uuids: Sequence[str], *,
              with_deferred: bool = True) -> dict[str, dict[str, Any]]:
    """Rows by uuid in image shape (FKs as uuids), plus their local id and updated_at."""
    statement = meta.image_select(with_deferred=with_deferred)
    if not uuids:
        return {}
    if len(uuids) > SCAN_FROM:
        # Most of a table (a bundle of every case): one scan beats thousands of index probes.
        wanted = set(uuids)
        return {row["uuid"]: _decoded(row) for row in conn.execute(statement).mappings().all()
                if row["uuid"] in wanted}
    out: dict[str, dict[str, Any]] = {}
    for chunk in batches(uuids):
        for row in conn.execute(statement.where(meta.table.c.uuid.in_(chunk))).mappings().all():
            out[row["uuid"]] = _decoded(row)
    return out


HEADS = ("id", "uuid", "origin_vault", "version_vector", "field_stamps", "deleted")


def load_heads(conn: Connection, meta: TableMeta, uuids: Sequence[str]
               ) -> list[tuple[Any, ...]]:
    """The sync columns (``HEADS``, in that order, the JSON ones as stored text) of the rows
    with these uuids, read with the DBAPI cursor: a bundle applied again reads every row's,
    about 15 µs a row through a SQLAlchemy mapping."""
    return select_rows(conn, meta.name, HEADS, "uuid", uuids)


def _decoded(row: RowMapping) -> dict[str, Any]:
    out = dict(row)
    for name in SYNC_JSON:
        out[name] = sync_json(out[name])
    return out
