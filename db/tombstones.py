"""Tombstones keep no content: the one place that clears a row when it is marked deleted.

Deletions must replicate, so a deleted row stays as a tombstone (``SyncMixin.deleted``). It keeps
what identifies it and what the sync needs (``SYNC_COLUMNS``, ``deleted``), the foreign keys that
are NOT NULL (structure the schema enforces) and what a model declares in
``__tombstone_keeps__`` (NOT NULL columns under a UNIQUE or CHECK constraint, where a neutral
value would violate it). Every other column is set to a neutral value: NULL where nullable,
otherwise ""/0/False/b""/empty JSON, and 1970-01-01 (midnight UTC) for dates and times, so a
tombstone does not even say when the deleted contact or consent happened (its own
``created_at``/``updated_at`` say when it was written and deleted).

``clear_tombstones`` runs first in the flush hook (``db.sync``), so the cleared fields carry the
same per-field stamp as ``deleted``: the clearing is part of the deletion event. A vault that
edited such a field without having seen the deletion then meets a stamp it does not know, which
makes its edit a visible conflict instead of content silently written into (or dropped by) the
tombstone.
"""

from __future__ import annotations

import contextlib
import typing
from collections.abc import Collection
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    Engine,
    Integer,
    LargeBinary,
    String,
    false,
    inspect,
    or_,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import InstanceState, Mapper, Session, class_mapper
from sqlalchemy.orm import Mapped as _Mapped
from sqlalchemy.schema import Column

from db.base import SYNC_COLUMNS, SyncMixin, UTCDateTime

EPOCH_DATE = date(1970, 1, 1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def declared_keeps(model: type[SyncMixin]) -> frozenset[str]:
    return model.__tombstone_keeps__


def kept_columns(model: type[SyncMixin]) -> frozenset[str]:
    """Columns a tombstone of ``model`` keeps; everything else is content."""
    structural = {attr.key for attr in _mapper(model).column_attrs
                  if _column(attr.columns[0]).foreign_keys
                  and not _column(attr.columns[0]).nullable}
    return SYNC_COLUMNS | {"deleted"} | structural | declared_keeps(model)


def neutral_values(model: type[SyncMixin]) -> dict[str, Any]:
    """Content column -> the value it holds in a tombstone (a fresh copy for mutable ones)."""
    factories = _FACTORIES.get(model)
    if factories is None:
        factories = _FACTORIES[model] = _neutral_factories(model)
    return {key: (value() if callable(value) else value) for key, value in factories.items()}


_FACTORIES: dict[type[SyncMixin], dict[str, Any]] = {}  # models do not change at run time


def _neutral_factories(model: type[SyncMixin]) -> dict[str, Any]:
    kept = kept_columns(model)
    hints = typing.get_type_hints(model)
    out: dict[str, Any] = {}
    for attr in _mapper(model).column_attrs:
        if attr.key in kept:
            continue
        column = _column(attr.columns[0])
        out[attr.key] = None if column.nullable else _neutral(model, attr.key, column, hints)
    return out


def _neutral(model: type[Any], key: str, column: Column[Any], hints: dict[str, Any]) -> Any:
    kind = column.type
    if isinstance(kind, JSON):
        inner = typing.get_args(hints[key])[0] if typing.get_origin(hints[key]) is _Mapped \
            else hints[key]
        return dict if (typing.get_origin(inner) or inner) is dict else list
    if isinstance(kind, UTCDateTime):
        return EPOCH
    if isinstance(kind, Date):
        return EPOCH_DATE
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 0
    if isinstance(kind, LargeBinary):
        return b""
    if isinstance(kind, String):  # Text is a String
        return ""
    raise TypeError(f"no neutral tombstone value for {model.__name__}.{key} ({kind!r})")


def content_predicate(model: type[SyncMixin]) -> ColumnElement[bool]:
    """SQL: this row still holds content (true for a tombstone that was not cleared)."""
    checks: list[ColumnElement[bool]] = []
    for key, value in neutral_values(model).items():
        column = _column(_mapper(model).column_attrs[key].columns[0])
        if value is None:
            checks.append(column.is_not(None))
        elif isinstance(column.type, JSON):  # stored as text: '[]' / '{}' (or JSON null)
            checks.append(sql_cast(column, String).not_in(["[]", "{}", "null"]))
        else:
            checks.append(column != value)
    return or_(*checks) if checks else false()


def clear_content(obj: SyncMixin, *, only: set[str] | None = None) -> list[str]:
    """Set the content columns of ``obj`` (or just ``only`` of them) to their neutral values.

    Values are assigned without reading them first, so a deferred column (an attachment's
    bytes) is not loaded into memory only to be thrown away.
    """
    cleared = []
    for key, value in neutral_values(type(obj)).items():
        if only is None or key in only:
            setattr(obj, key, value)
            cleared.append(key)
    return cleared


def clear_tombstones(session: Session) -> set[str]:
    """Before a flush: every row that is (or becomes) a tombstone leaves without content.

    A row turning into a tombstone is cleared completely; a row that already was one is only
    reset where something was written to it, so writing into a tombstone can never store content
    (and an untouched tombstone does not get new stamps). Returns the tables that got new
    tombstones, for ``scrub_after_commit``.
    """
    turned: set[str] = set()
    for obj in list(session.new):
        if isinstance(obj, SyncMixin) and obj.deleted:
            clear_content(obj)
            turned.add(_table(obj))
    for obj in list(session.dirty):
        if not isinstance(obj, SyncMixin) or obj in session.new or not obj.deleted:
            continue
        state = cast(InstanceState[Any], inspect(obj))
        if state.attrs.deleted.history.added:  # marked deleted in this flush
            clear_content(obj)
            turned.add(_table(obj))
        else:
            written = {a.key for a in state.attrs if a.history.has_changes()}
            clear_content(obj, only=written)
    return turned


def scrub_after_commit(engine: Engine, tables: Collection[str]) -> None:
    """Once tombstones are committed, remove the copies of their content SQL cannot see.

    ``secure_delete`` zeroes what the new page images no longer hold, but the old images stay
    in the WAL (and in the main file until a checkpoint), and ``ANALYZE`` keeps sample index
    keys (sorted names, say) in ``sqlite_stat4``. The samples of the affected tables are
    dropped (the planner falls back to ``sqlite_stat1``) and the WAL is checkpointed and
    truncated. Housekeeping only: a busy store is left for the next lock to finish.
    """
    with contextlib.suppress(Exception):  # the deletion itself is committed; this may wait
        raw = engine.raw_connection()
        try:
            conn = raw.driver_connection
            assert conn is not None
            if tables and conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4'").fetchone():
                marks = ", ".join("?" for _ in tables)
                conn.execute(f"DELETE FROM sqlite_stat4 WHERE tbl IN ({marks})", sorted(tables))
            checkpoint(conn)
        finally:
            raw.close()


def tidy_before_close(engine: Engine) -> None:
    """At lock, over a pooled connection (the key is already wiped, so none can be made): the
    planner statistics refreshed where stale, the WAL checkpointed and truncated. Never waits
    for another process's write lock (the lock must not freeze the window): what a busy store
    cannot do now, the next lock does."""
    with contextlib.suppress(Exception):  # the vault is locked either way; tidiness is optional
        raw = engine.raw_connection()
        try:
            conn = raw.driver_connection
            assert conn is not None
            conn.execute("PRAGMA busy_timeout = 0")  # the engine is disposed right after
            conn.execute("PRAGMA optimize")
            checkpoint(conn)
        finally:
            raw.close()


def checkpoint(dbapi_conn: Any) -> None:
    """Copy the WAL into the store and truncate it to zero bytes (outside any transaction)."""
    dbapi_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def _table(obj: SyncMixin) -> str:
    return str(type(obj).__tablename__)  # type: ignore[attr-defined]


def _mapper(model: type[Any]) -> Mapper[Any]:
    return class_mapper(model)


def _column(col: Any) -> Column[Any]:
    return cast(Column[Any], col)
