"""Reading replicated rows as images at near-raw speed, for bundles of many cases.

``TableMeta.image_select`` through SQLAlchemy costs ~20 µs a row (type processors per value,
one outer join per foreign key); this reads with the DBAPI cursor instead: one query per table
(a scan filtered here when most of it is wanted, else batches of ids or uuids), each column
converted as its type says, decided once per table, foreign keys turned into uuids through one
id -> uuid map per referenced table, and the open-conflict look-up skipped unless the table has
an open field conflict at all. Same images as ``db.replica.images_of`` made the slow way.
Rows come as columns first (``TableRows``): a bundle of many cases encodes those directly
(``app.bundle.rows_write``) instead of making an image and a dict per row.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
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
Known = dict[str, dict[int, str]]  # table -> id -> uuid (``read_by_ids``)


def images_by_ids(session: Session, table: str, ids: Collection[int],
                  ) -> list[tuple[RowImage, datetime]]:
    """Images of the rows of ``table`` with these local ids (tombstones included), each with
    its ``updated_at`` as a naive UTC datetime; unknown ids are left out."""
    read = read_by_ids(session, table, ids)
    return list(zip(read.images(), map(_naive, read.updated), strict=True))


def images_by_uuids(session: Session, table: str, uuids: Collection[str]) -> list[RowImage]:
    """Images of the rows of ``table`` with these uuids; unknown uuids are left out."""
    session.flush()  # pending ORM changes are part of what is sent
    with bulk():
        return _read(session, table_meta(table), "uuid", uuids).images()


def read_by_ids(session: Session, table: str, ids: Collection[int], *, by_uuid: bool = False,
                known: Known | None = None) -> TableRows:
    """The rows of ``table`` with these local ids (tombstones included) as columns, in the
    images' terms; unknown ids are left out. ``by_uuid``: in uuid order (sorted as fetched,
    cheaper than reordering every column later). ``known``: id -> uuid per table, filled and
    used across the reads of one selection (in one transaction), so a table many others
    refer to (the case files) is not looked up again for each of them."""
    session.flush()  # pending ORM changes are part of what is sent
    with bulk():
        return _read(session, table_meta(table), "id", ids, by_uuid=by_uuid, known=known)


def uuids_by_ids(session: Session, table: str, ids: Collection[int]) -> dict[int, str]:
    """id -> uuid of the rows of ``table`` with these ids (pending ORM changes flushed first,
    as a query through the session would)."""
    session.flush()
    return _uuids(session.connection(), table, ids)


def all_ids(session: Session, table: str) -> set[int]:
    """The local ids of every row of ``table`` (tombstones included), read with the DBAPI
    cursor: a bundle of every case asks for hundreds of thousands, ~1 µs each through a
    SQLAlchemy result."""
    session.flush()
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        return set(map(_FIRST, cursor.execute(f'SELECT "id" FROM "{table}"')))
    finally:
        cursor.close()


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


@dataclass
class TableRows:
    """Rows of one table as columns, holding what their images would (same values, same
    types), without an image or a dict per row: ``images`` makes the images, a bundle's
    encoder (``app.bundle.rows_write``) takes the columns as they are."""

    table: str
    columns: tuple[str, ...]  # content columns: the images' value keys, in order
    uuids: list[str]
    deleted: list[bool]
    origin: list[str]
    changed: list[str]
    vectors: list[str | None]  # as stored: ``vector`` makes the map
    stamps: list[dict[str, tuple[str, int]]]  # shared by rows with the same stamps
    values: list[list[Any]]  # one list per content column
    held: dict[str, dict[str, tuple[tuple[str, int, Any], ...]]]  # uuid -> alternatives
    updated: list[Any]  # updated_at as stored (``_naive`` makes it a datetime)

    def __len__(self) -> int:
        return len(self.uuids)

    def updated_at(self) -> list[datetime]:
        """Each row's ``updated_at`` as a naive UTC datetime."""
        return list(map(_naive, self.updated))

    def newest(self) -> datetime | None:
        """The latest ``updated_at`` (naive UTC), None without rows. Stored as text in one
        format ("YYYY-MM-DD HH:MM:SS[.ffffff]", SQLAlchemy's SQLite DATETIME), they sort as
        their times do: only the latest is parsed (checked: every one a text of that shape)."""
        updated = self.updated
        if not updated:
            return None
        if set(map(type, updated)) == {str} and set(map(_SEPARATOR, updated)) == {" "}:
            return _naive(max(updated))
        return max(self.updated_at())

    def alternatives(self) -> Iterable[dict[str, tuple[tuple[str, int, Any], ...]]]:
        """Each row's alternatives (the same empty map for rows without)."""
        held = self.held
        return [held.get(u, _EMPTY) for u in self.uuids] if held else repeat(_EMPTY, len(self))

    def images(self) -> list[RowImage]:
        n = len(self)
        per_row = zip(*self.values, strict=True) if self.columns else repeat((), n)
        held = self.held
        return list(map(RowImage, repeat(self.table, n), self.uuids, self.deleted, self.origin,
                        self.changed, map(dict, map(vector, self.vectors)),
                        map(dict, self.stamps),
                        map(dict, map(zip, repeat(self.columns), per_row)),
                        [held.get(u, {}) for u in self.uuids] if held
                        else map(_no_alternatives, self.uuids)))

    def take(self, positions: Sequence[int]) -> TableRows:
        """These rows only, in the order given."""
        part = _picker(positions)
        uuids = part(self.uuids)
        held = {u: self.held[u] for u in uuids if u in self.held} if self.held else {}
        return TableRows(self.table, self.columns, uuids, part(self.deleted),
                         part(self.origin), part(self.changed), part(self.vectors),
                         part(self.stamps), [part(v) for v in self.values], held,
                         part(self.updated))

    def extend(self, other: TableRows) -> None:
        """Append ``other``'s rows (same table)."""
        columns: list[tuple[list[Any], list[Any]]] = [
            (self.uuids, other.uuids), (self.deleted, other.deleted),
            (self.origin, other.origin), (self.changed, other.changed),
            (self.vectors, other.vectors), (self.stamps, other.stamps),
            (self.updated, other.updated), *zip(self.values, other.values, strict=True)]
        for mine, theirs in columns:
            mine.extend(theirs)
        self.held.update(other.held)


_EMPTY: dict[str, Any] = {}
_FIRST = itemgetter(0)
_UUID_AT = itemgetter(_HEAD.index("uuid"))
_SEPARATOR = itemgetter(slice(10, 11))  # between date and time in a stored date/time


def _picker(positions: Sequence[int]) -> Callable[[Sequence[Any]], list[Any]]:
    """column -> its values at ``positions`` (one C-level pick per column)."""
    if len(positions) > 1:
        get = itemgetter(*positions)
        return lambda column: list(get(column))
    return lambda column: [column[i] for i in positions]


def _read(session: Session, meta: TableMeta, key: str, wanted: Collection[Any], *,
          by_uuid: bool = False, known: Known | None = None) -> TableRows:
    conn = session.connection()
    content = meta.content
    raw = select_rows(conn, meta.name, (*_HEAD, *content), key, wanted)
    if by_uuid:
        raw.sort(key=_UUID_AT)
    if not raw:
        return TableRows(meta.name, content, [], [], [], [], [], [], [[] for _ in content], {},
                         [])
    columns = list(zip(*raw, strict=True))
    head, values = columns[:len(_HEAD)], [list(v) for v in columns[len(_HEAD):]]
    for i, name in enumerate(content):
        ref = meta.fks.get(name)
        if ref is not None:
            needed = set(values[i])
            needed.discard(None)
            targets = _targets(conn, ref, needed, known)
            values[i] = list(map(targets.get, values[i]))  # None stays None
            continue
        convert = _converter(meta, name)
        if convert is not None:
            values[i] = list(map(convert, values[i]))
    ids, uuids, origin, changed, vectors, stamps, deleted, updated = map(list, head)
    if known is not None:
        known.setdefault(meta.name, {}).update(zip(ids, uuids, strict=True))
    travels = {*content, "deleted"}  # not the stamps of local columns
    # One map per distinct stored text (most rows share "{}" or a few), shared by the rows:
    # ``images`` copies them into each image.
    decoded = {text: _stamps(sync_json(text), travels) for text in set(stamps)}
    stamp_maps = list(map(decoded.__getitem__, stamps))
    flags = list(map(bool, deleted))
    held = _held(session, meta, uuids, origin, stamp_maps, flags)
    return TableRows(meta.name, content, uuids, flags, origin, changed, vectors, stamp_maps,
                     values, held, updated)


def _no_alternatives(_uuid: str) -> dict[str, Any]:
    return {}


@lru_cache(maxsize=4096)
def vector(text: str | None) -> dict[str, int]:
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
    try:  # parsed with its offset: several times faster than .replace(tzinfo=UTC)
        return datetime.fromisoformat(value + "+00:00")
    except ValueError:
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


def _targets(conn: Connection, table: str, ids: set[int], known: Known | None,
             ) -> dict[int, str]:
    """id -> uuid for at least ``ids`` of ``table`` (those that exist)."""
    if known is None:
        return _uuids(conn, table, ids)
    have = known.setdefault(table, {})
    missing = ids - have.keys()
    if missing:
        have.update(_uuids(conn, table, missing))
    return have


def _uuids(conn: Connection, table: str, ids: Collection[int]) -> dict[int, str]:
    return {int(i): str(u) for i, u in select_rows(conn, table, ("id", "uuid"), "id", ids)}


def select_rows(conn: Connection, table: str, columns: Sequence[str], key: str,
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
