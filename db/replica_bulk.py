"""Inserting many new rows of one table at once (``db.replica_apply``), fast under SQLCipher.

Why not one ``executemany`` into the table: with ``cipher_memory_security`` (which stays on)
every heap allocation SQLite makes costs an ``mlock`` and a wiping ``munlock``. An executemany
runs the INSERT program once per row, and each run opens a cursor per index and per foreign-key
parent and rebuilds the ephemeral tables of the ``CHECK (x IN (...))`` constraints: ~50
allocations per row, ~2 ms per row on the real schema. So the rows are first written into a
temporary table without types, constraints or indexes (few allocations per row), then moved
with one ``INSERT ... SELECT`` in primary-key order: one run of the program for all rows,
cursors and check tables built once. Six times faster per row on ``phase_transition``. The
search index of new cases and journal entries is filled once after them
(``db.search_triggers``): another 4x on ``journal_entry``.

The result is the same as inserting directly: the staging columns have no affinity, so the
values reach the table as bound, the table's own affinity, constraints and triggers (FTS) apply
once per row as before, and ids come from the rows. Values are turned into what SQLAlchemy binds
by the columns' own bind processors (UTC datetimes in the store's text format, JSON, booleans).
The staging table lives in the connection's memory (``temp_store = MEMORY``) and is dropped
before returning.

Each run of a statement costs SQLite allocations of its own (a cursor, the registers' buffers,
freed again when the run ends), so rows are staged many at a time, ``INSERT ... VALUES (...),
(...), ...`` with up to 999 values bound per run instead of one row per run (10,000 cases with
memory security on: ~34 s -> ~30 s; no change with it off).

Each text value staged is one more allocation of SQLite's, so a column with the same value in
every row is bound once into the move, and a text column with few distinct values (kinds,
version vectors) is staged as numbers and joined back to its values (10,000 cases with memory
security on: 61 s -> 46 s -> ~42 s; with it off the join costs ~1 s).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache, partial
from itertools import chain, repeat
from operator import eq, is_, itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Date, DateTime, Table

from db.base import UTCDateTime
from db.search_triggers import indexed_once

STAGE = "lotse_bulk_stage"  # a temp table name no model uses
CODED_FROM = 256  # rows from which a column with few distinct values is staged as numbers
PARAMS_PER_RUN = 999  # values bound per staging run: SQLite's limit in every build, old or new
_NONE = type(None)

Processor = Callable[[Any], Any] | None
_json_encode = json.JSONEncoder().encode


def _processors(conn: Connection, table: Table, names: Sequence[str]) -> list[Processor]:
    dialect = conn.dialect
    return [_fast(table.c[name].type, dialect) for name in names]


def _fast(type_: Any, dialect: Any) -> Processor:
    """The column's bind processor, or a direct equivalent for the four types the synced tables
    use (~7 of 44 s of a 10,000-case import went through the generic ones). Each falls back
    to SQLAlchemy's own for any value it does not recognise; a property test holds them equal."""
    slow = type_.dialect_impl(dialect).bind_processor(dialect)
    if slow is None:
        return None
    if isinstance(type_, UTCDateTime):
        return partial(_utc_datetime, slow)
    if isinstance(type_, JSON) and dialect._json_serializer is None:
        return partial(_json, slow)
    if isinstance(type_, Boolean):
        return partial(_boolean, slow)
    if isinstance(type_, Date) and not isinstance(type_, DateTime):
        return partial(_date, slow)
    return slow  # type: ignore[no-any-return]


def _utc_datetime(slow: Callable[[Any], Any], value: Any) -> Any:
    if type(value) is datetime and value.tzinfo is not None:  # exactly, not a subclass
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return slow(value)  # None, naive (refused there) or anything else


def _json(slow: Callable[[Any], Any], value: Any) -> Any:
    # What json.dumps() writes with its defaults.
    if type(value) is dict:
        # Most rows of an import bring no field stamps and a version vector of one vault.
        if not value:
            return "{}"
        if len(value) == 1:
            [(key, number)] = value.items()
            if type(key) is str and type(number) is int:
                return _one_entry(key, number)
        return _json_encode(value)
    if type(value) is list:
        return _json_encode(value)
    return slow(value)


@lru_cache(maxsize=4096)
def _one_entry(key: str, number: int) -> str:
    return _json_encode({key: number})


def _boolean(slow: Callable[[Any], Any], value: Any) -> Any:
    if value is True:
        return 1
    if value is False:
        return 0
    return slow(value)


def _date(slow: Callable[[Any], Any], value: Any) -> Any:
    if type(value) is date:  # a datetime (a date subclass) takes the slow path
        return value.isoformat()
    return slow(value)


_BY_DISTINCT_VALUE = frozenset({_utc_datetime, _boolean, _date})


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _transposed(names: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> list[Sequence[Any]]:
    get: Callable[[Mapping[str, Any]], tuple[Any, ...]] = (
        itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],))
    return list(zip(*map(get, rows), strict=True))


def bound_columns(conn: Connection, table: Table, names: Sequence[str],
                  columns: list[Sequence[Any]]) -> list[Sequence[Any]]:
    """The DB-API parameters SQLAlchemy would bind for ``columns``, the values of ``names`` one
    sequence per name (the list is changed in place and returned).

    Converted column by column: a date/time or boolean column is converted once per distinct
    value (every new row of an import has the same ``created_at``), the others value by value."""
    for i, proc in enumerate(_processors(conn, table, names)):
        if proc is not None:
            columns[i] = _converted(proc, columns[i])
    return columns


def _converted(proc: Callable[[Any], Any], column: Sequence[Any]) -> list[Any]:
    if column and all(map(is_, column, repeat(column[0]))):
        # One object in every row (no stamps: one shared {}; a local column's default):
        # converted once.
        return [proc(column[0])] * len(column)
    if isinstance(proc, partial) and proc.func in _BY_DISTINCT_VALUE:
        # Values equal here give equal results (one instant in any zone -> one UTC text;
        # True and 1 -> 1), so each distinct value is converted once.
        try:
            distinct = set(column)
        except TypeError:  # not a date/time or boolean at all: the processor says what
            return list(map(proc, column))
        done = {value: proc(value) for value in distinct}
        return list(map(done.__getitem__, column))
    return list(map(proc, column))


def insert_many(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` in id order; every row gives every column of ``table`` (a missing one is a
    KeyError, never a silent NULL: Python-side column defaults are not applied here)."""
    if rows:
        names = [c.name for c in table.columns]
        insert_columns(conn, table, dict(zip(names, _transposed(names, rows), strict=True)))


def insert_columns(conn: Connection, table: Table, values: Mapping[str, Sequence[Any]]) -> None:
    """``insert_many`` for rows given column by column: ``values`` maps every column of
    ``table`` to its values, one per row (a missing column is a KeyError, columns of different
    lengths a ValueError)."""
    names = [c.name for c in table.columns]
    given = [values[name] for name in names]
    if len(set(map(len, given))) != 1:
        raise ValueError("columns of different lengths")
    if not given[0]:
        return
    columns = bound_columns(conn, table, names, given)
    # With memory security every text value staged costs SQLite a locked allocation, so
    # - a column with one value in every row (the import's time, the sender's vault, no
    #   stamps, the local columns' defaults) is bound once into the move, not staged;
    # - a text column with few distinct values (kinds, version vectors, dates) is staged as
    #   numbers, its values kept once each in a table of its own and looked up in the move.
    same = [i for i, column in enumerate(columns) if names[i] != "id" and _uniform(column)]
    staged = [i for i in range(len(names)) if i not in same]
    coded = {i: code for i in staged if names[i] != "id"
             if (code := _coded(columns[i])) is not None}
    stage = ", ".join(_quoted(names[i]) for i in staged)
    ids = list(map(int, columns[names.index("id")]))
    made = [STAGE]
    conn.exec_driver_sql(f"CREATE TEMP TABLE {STAGE} ({stage})")
    try:
        for i, (distinct, _codes) in coded.items():
            conn.exec_driver_sql(f"CREATE TEMP TABLE {STAGE}_{i} (k INTEGER PRIMARY KEY, v)")
            made.append(f"{STAGE}_{i}")  # dropped below only once it exists
            _stage(conn, f"INSERT INTO temp.{STAGE}_{i} (k, v) VALUES ", 2,
                   list(enumerate(distinct)))
        _stage(conn, f"INSERT INTO temp.{STAGE} ({stage}) VALUES ", len(staged),
               list(zip(*(coded[i][1] if i in coded else columns[i] for i in staged),
                        strict=True)))
        target = ", ".join(_quoted(names[i]) for i in (*staged, *same))
        picked = ", ".join([*(f"c{i}.v" if i in coded else f"s.{_quoted(names[i])}"
                              for i in staged), *("?" for _ in same)])
        joins = "".join(f" LEFT JOIN temp.{STAGE}_{i} AS c{i} ON c{i}.k = s.{_quoted(names[i])}"
                        for i in coded)
        with indexed_once(conn, table.name, min(ids), max(ids)):
            conn.exec_driver_sql(f"INSERT INTO main.{_quoted(table.name)} ({target}) "
                                 f"SELECT {picked} FROM temp.{STAGE} AS s{joins} "
                                 f"ORDER BY s.\"id\"", tuple(columns[i][0] for i in same))
    finally:
        for name in made:
            conn.exec_driver_sql(f"DROP TABLE temp.{name}")


def _stage(conn: Connection, insert: str, width: int, rows: Sequence[tuple[Any, ...]]) -> None:
    """``rows`` into a staging table, ``insert`` being ``INSERT INTO ... VALUES `` without the
    values: many rows per run of the statement (see the module's docstring)."""
    per = max(1, PARAMS_PER_RUN // width)
    marks = "(" + ", ".join("?" * width) + ")"
    full = len(rows) // per * per
    if full:
        conn.exec_driver_sql(insert + ", ".join([marks] * per),
                             [tuple(chain.from_iterable(rows[at:at + per]))
                              for at in range(0, full, per)])
    if full < len(rows):
        conn.exec_driver_sql(insert + ", ".join([marks] * (len(rows) - full)),
                             tuple(chain.from_iterable(rows[full:])))


def _coded(column: Sequence[Any]) -> tuple[list[Any], list[int | None]] | None:
    """A text (or bytes) column of many rows with few distinct values: those values, and each
    row's position among them (None stays None); else None."""
    if len(column) < CODED_FROM:
        return None
    types = set(map(type, column))
    types.discard(_NONE)
    if not (types == {str} or types == {bytes}):
        return None
    distinct = set(column)
    distinct.discard(None)
    if len(distinct) * 4 > len(column):
        return None
    values = list(distinct)
    position: dict[Any, int | None] = dict(zip(values, range(len(values)), strict=True))
    position[None] = None
    return values, list(map(position.__getitem__, column))


def _uniform(column: Sequence[Any]) -> bool:
    """One value, of one type, in every row (1, 1.0 and True are equal but stored apart)."""
    first = column[0]  # most columns differ early: stop at the first other value
    return all(map(eq, column, repeat(first))) and set(map(type, column)) == {type(first)}


def update_live_column(conn: Connection, table: Table, column: str,
                       values: Mapping[int, Any]) -> None:
    """``column`` of the live rows (``deleted = 0``) with these ids set to the given values,
    only where it differs, nothing else touched (``updated_at`` kept): one UPDATE ... FROM a
    staging table instead of one UPDATE run per row (the derived columns of 10,000 cases)."""
    if not values:
        return
    proc = _processors(conn, table, [column])[0]
    params = [(row_id, value if proc is None else proc(value)) for row_id, value in values.items()]
    name, target = _quoted(table.name), _quoted(column)
    conn.exec_driver_sql(f"CREATE TEMP TABLE {STAGE} (id INTEGER PRIMARY KEY, value)")
    try:
        _stage(conn, f"INSERT INTO temp.{STAGE} (id, value) VALUES ", 2, params)
        conn.exec_driver_sql(
            f"UPDATE main.{name} SET {target} = v.value FROM temp.{STAGE} AS v "
            f"WHERE {name}.id = v.id AND {name}.deleted = 0 AND {name}.{target} IS NOT v.value")
    finally:
        conn.exec_driver_sql(f"DROP TABLE temp.{STAGE}")
