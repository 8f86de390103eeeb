"""Reading replicated rows as images at near-raw speed, for bundles of many cases.

``TableMeta.image_select`` through SQLAlchemy costs ~20 µs a row (type processors per value,
one outer join per foreign key); this reads with the DBAPI cursor instead: one query per table
(a scan filtered here when most of it is wanted, else batches of ids or uuids), each column
converted as its type says, decided once per table, foreign keys turned into uuids through one
id -> uuid map per referenced table, and the open-conflict look-up skipped unless the table has
an open field conflict at all. Same images as ``db.replica.images_of`` made the slow way.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import repeat
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Date, select
from sqlalchemy.orm import Session

from db.base import UTCDateTime
from db.models.sync_state import SyncConflict
from db.replica_conflicts import open_alternatives
from db.replica_meta import TableMeta, sync_json, table_meta
from db.row_image import RowImage

BATCH = 500
SCAN_FROM = 5000  # ids or uuids asked for at once from which a table is read whole
# Read with every image, before the content columns.
_HEAD = ("id", "uuid", "origin_vault", "changed_by_vault", "version_vector", "field_stamps",
         "deleted", "updated_at")
Converter = Callable[[Any], Any]


def images_by_ids(session: Session, table: str, ids: Collection[int],
                  ) -> list[tuple[RowImage, datetime]]:
    """Images of the rows of ``table`` with these local ids (tombstones included), each with
    its ``updated_at`` as a naive UTC datetime; unknown ids are left out."""
    return _images(session, table_meta(table), "id", ids)


def images_by_uuids(session: Session, table: str, uuids: Collection[str]) -> list[RowImage]:
    """Images of the rows of ``table`` with these uuids; unknown uuids are left out."""
    return [image for image, _ in _images(session, table_meta(table), "uuid", uuids)]


def uuids_by_ids(session: Session, table: str, ids: Collection[int]) -> dict[int, str]:
    """id -> uuid of the rows of ``table`` with these ids (pending ORM changes flushed first,
    as a query through the session would)."""
    session.flush()
    return _uuids(session.connection(), table, ids)


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while images are made and a bundle's rows encoded or
    decoded (``app.bundle.rows``): hundreds of thousands of new containers, none in a cycle,
    would make it rescan the heap again and again (about half the time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _images(session: Session, meta: TableMeta, key: str, wanted: Collection[Any],
            ) -> list[tuple[RowImage, datetime]]:
    session.flush()  # pending ORM changes are part of what is sent
    if not wanted:
        return []
    with bulk():
        return _read(session, meta, key, wanted)


def _read(session: Session, meta: TableMeta, key: str, wanted: Collection[Any],
          ) -> list[tuple[RowImage, datetime]]:
    conn = session.connection()
    content = meta.content
    raw = _select(conn, meta.name, (*_HEAD, *content), key, wanted)
    if not raw:
        return []
    columns = list(zip(*raw, strict=True))
    head, values = columns[:len(_HEAD)], columns[len(_HEAD):]
    for i, name in enumerate(content):
        ref = meta.fks.get(name)
        if ref is not None:
            targets = _uuids(conn, ref, {v for v in values[i] if v is not None})
            values[i] = tuple(map(targets.get, values[i]))  # None stays None
            continue
        convert = _converter(meta, name)
        if convert is not None:
            values[i] = tuple(map(convert, values[i]))
    _ids, uuids, origin, changed, vectors, stamps, deleted, updated = head
    travels = {*content, "deleted"}  # not the stamps of local columns
    stamp_maps = [_stamps(sync_json(s), travels) for s in stamps]
    held = _held(session, meta, uuids, origin, stamp_maps, deleted)
    n = len(raw)
    per_row = zip(*values, strict=True) if content else repeat((), n)
    images = map(RowImage, repeat(meta.name, n), uuids, map(bool, deleted), origin, changed,
                 map(dict, map(_vector, vectors)), stamp_maps,
                 map(dict, map(zip, repeat(content), per_row)),
                 [held.get(u, {}) for u in uuids] if held else map(_no_alternatives, uuids))
    return list(zip(images, map(_naive, updated), strict=True))


def _no_alternatives(_uuid: str) -> dict[str, Any]:
    return {}


@lru_cache(maxsize=4096)
def _vector(text: str | None) -> dict[str, int]:
    """A version vector from its stored text (shared: copied into each image); most rows hold
    one of a few."""
    return {str(k): int(v) for k, v in sync_json(text).items()}


def _stamps(stored: dict[str, Any], travels: set[str]) -> dict[str, tuple[str, int]]:
    if not stored:
        return {}
    return {str(k): (str(s[0]), int(s[1])) for k, s in stored.items() if k in travels}


def _held(session: Session, meta: TableMeta, uuids: Sequence[str], origin: Sequence[str],
          stamps: Sequence[dict[str, tuple[str, int]]], deleted: Sequence[Any],
          ) -> dict[str, dict[str, tuple[tuple[str, int, Any], ...]]]:
    """The open conflicts' other values (``open_alternatives``), asked for only when the table
    has an open field conflict at all: one cheap query instead of one per 500 rows."""
    c = SyncConflict.__table__.c
    open_one = session.execute(select(c.id).where(
        c.table_name == meta.name, c.kind == "field", c.resolved_at.is_(None)).limit(1)).first()
    if open_one is None:
        return {}
    rows = {u: {"origin_vault": o, "field_stamps": s, "deleted": bool(d)}
            for u, o, s, d in zip(uuids, origin, stamps, deleted, strict=True)}
    return open_alternatives(session, meta, rows)


def _naive(value: Any) -> datetime:
    """A stored UTC date/time as a naive datetime (compared with others, tz added once)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None) if value.tzinfo is not None else value
    return datetime.fromisoformat(value)


def _datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


@lru_cache(maxsize=65536)
def _date(value: Any) -> date | None:
    """Dates repeat (due dates, birthdays): each distinct text is parsed once."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _json(value: Any) -> Any:
    return None if value is None else json.loads(value)


def _converter(meta: TableMeta, name: str) -> Converter | None:
    """How a stored value of this column becomes the image's, None included (None: as it
    comes)."""
    kind = meta.table.c[name].type
    if isinstance(kind, UTCDateTime):
        return _datetime
    if isinstance(kind, Date):
        return _date
    if isinstance(kind, Boolean):
        return _bool
    if isinstance(kind, JSON):
        return _json
    return None


def _uuids(conn: Connection, table: str, ids: Collection[int]) -> dict[int, str]:
    return {int(i): str(u) for i, u in _select(conn, table, ("id", "uuid"), "id", ids)}


def _select(conn: Connection, table: str, columns: Sequence[str], key: str,
            wanted: Collection[Any]) -> list[tuple[Any, ...]]:
    """Rows (``columns``) of ``table`` whose ``key`` is in ``wanted``: a whole-table scan
    filtered here when many are wanted, else batches of ``BATCH`` bound values."""
    if not wanted:
        return []
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        if len(wanted) > SCAN_FROM:
            at = columns.index(key)
            chosen = wanted if isinstance(wanted, set | frozenset) else set(wanted)
            return [row for row in cursor.execute(f'SELECT {names} FROM "{table}"')
                    if row[at] in chosen]
        out: list[tuple[Any, ...]] = []
        for chunk in batches(sorted(wanted)):
            marks = ", ".join("?" * len(chunk))
            out += cursor.execute(
                f'SELECT {names} FROM "{table}" WHERE "{key}" IN ({marks})', chunk).fetchall()
        return out
    finally:
        cursor.close()


def batches(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    """``items`` in slices of ``BATCH`` (bound values per IN list)."""
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]
