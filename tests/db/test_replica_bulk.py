"""db.replica_bulk writes exactly what a SQLAlchemy Core insert writes, triggers included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, insert, text
from sqlalchemy.dialects import sqlite

from app.vault.store import Vault
from db.replica import SYNC_TABLES
from db.replica_bulk import (
    CODED_FROM,
    _fast,
    _stage,
    bound_columns,
    insert_many,
    update_live_column,
)
from db.replica_meta import table_meta


def _row(row_id: int, uuid: str) -> dict[str, Any]:
    at = datetime(2025, 3, 4, 10, 5, 6, 123456, tzinfo=UTC)
    return {
        "id": row_id, "uuid": uuid, "origin_vault": "a" * 32, "changed_by_vault": "b" * 32,
        "version_vector": {"a" * 32: 3}, "field_stamps": {"text": ["a" * 32, 2]},
        "deleted": False, "created_at": at, "updated_at": at, "case_id": 7,
        # A number-like place and a NULL: stored as given, no affinity from the staging table.
        "occurred_at": at, "contact_kind": "phone", "place": "1e3", "interpreter_used": True,
        "interpreter_language": None, "language": "de", "duration_minutes": 15,
        "entry_kind": "progress_note", "text": f"Gespräch über Wohnung {uuid}", "author_id": 1,
        "system_gap_id": None, "confided": False, "amends_id": None}


def _stored(conn: Any, row_id: int, columns: list[str]) -> list[tuple[str, str]]:
    picked = ", ".join(f'typeof("{c}"), quote("{c}")' for c in columns)
    values = conn.execute(text(f"SELECT {picked} FROM journal_entry WHERE id = :id"),
                          {"id": row_id}).one()
    return list(zip(values[::2], values[1::2], strict=True))


def test_insert_many_stores_what_core_stores(vault: Vault) -> None:
    table = table_meta("journal_entry").table
    columns = [c.name for c in table.columns if c.name not in {"id", "uuid", "text"}]
    with vault.session() as s:
        conn = s.connection()
        triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        before = conn.execute(text(triggers)).all()
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # no case 7: rolled back below
        conn.execute(insert(table), [_row(1001, "core")])
        insert_many(conn, table, [_row(1003, "bulkb"), _row(1002, "bulka")])
        core = _stored(conn, 1001, columns)
        assert core == _stored(conn, 1002, columns) == _stored(conn, 1003, columns)
        assert ("text", "'2025-03-04 10:05:06.123456'") in core  # the store's own format
        # The FTS trigger indexed every row the same way (rowid = day * 2^32 + id).
        found = conn.execute(text("SELECT rowid & 4294967295 FROM journal_search "
                                  "WHERE journal_search MATCH 'wohnung' ORDER BY 1")).scalars()
        assert list(found) == [1001, 1002, 1003]
        # The insert trigger suspended for the bulk fill is back, word for word.
        assert conn.execute(text(triggers)).all() == before
        # The staging table is gone.
        assert conn.execute(text("SELECT count(*) FROM temp.sqlite_master")).scalar() == 0
        s.rollback()


def _bulk_beside_core(conn: Any, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """``rows`` through ``insert_many``, a twin of each (id + 10,000) through a Core insert:
    every row stored exactly as its twin."""
    table = table_meta("journal_entry").table
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # no case 7: the caller rolls back
    conn.execute(insert(table), [{**row, "id": row["id"] + 10_000, "uuid": row["uuid"] + "c"}
                                 for row in rows])
    insert_many(conn, table, rows)
    for row in rows:
        assert _stored(conn, row["id"], columns) == _stored(conn, row["id"] + 10_000, columns)


def test_columns_alike_in_every_row_are_stored_as_if_staged(vault: Vault) -> None:
    """A column holding one value in every row is bound once, not staged: what is stored is
    still what Core stores, row by row, beside columns that differ (and equal values of
    different types, 15 and 15.0, count as different)."""
    table = table_meta("journal_entry").table
    columns = [c.name for c in table.columns if c.name not in {"id", "uuid", "text"}]
    rows = [_row(2001, "x1"), _row(2002, "x2"), _row(2003, "x3")]
    rows[1]["place"], rows[2]["duration_minutes"] = None, 15.0
    rows[2]["version_vector"] = {"a" * 32: 4}
    for row, language in zip(rows, (7, 7, 7.0), strict=True):  # a text column: '7' and '7.0'
        row["interpreter_language"] = language
    with vault.session() as s:
        conn = s.connection()
        _bulk_beside_core(conn, rows, columns)
        assert _stored(conn, 2002, ["place"]) == [("null", "NULL")]
        assert _stored(conn, 2003, ["duration_minutes"]) == [("integer", "15")]
        assert _stored(conn, 2003, ["interpreter_language"]) == [("text", "'7.0'")]
        s.rollback()


def test_columns_with_few_values_are_stored_as_if_staged(vault: Vault) -> None:
    """Many rows whose text columns repeat a few values (kinds, languages, version vectors,
    NULLs between them) go in as numbers and come out as the values: every row as Core stores
    it."""
    table = table_meta("journal_entry").table
    columns = [c.name for c in table.columns if c.name not in {"id", "uuid", "text"}]
    count = CODED_FROM + 44
    rows = [_row(3000 + n, f"m{n}") for n in range(count)]
    for n, row in enumerate(rows):
        row["contact_kind"] = ("phone", "office", "home_visit")[n % 3]
        row["interpreter_language"] = (None, "ar", "uk", "fa")[n % 4]
        row["place"] = f"Raum {n % 7}"
        row["version_vector"] = {"a" * 32: 3 + n % 5}
        row["occurred_at"] = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n)
    with vault.session() as s:
        conn = s.connection()
        _bulk_beside_core(conn, rows, columns)
        assert _stored(conn, 3001, ["interpreter_language", "place"]) == [
            ("text", "'ar'"), ("text", "'Raum 1'")]
        assert conn.execute(text("SELECT count(*) FROM temp.sqlite_master")).scalar() == 0
        s.rollback()


def test_update_live_column_writes_live_rows_only(vault: Vault) -> None:
    table = table_meta("journal_entry").table
    later = datetime(2025, 5, 6, 7, 8, 9, tzinfo=UTC)
    with vault.session() as s:
        conn = s.connection()
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        rows = [_row(2001, "live"), _row(2002, "same"), {**_row(2003, "gone"), "deleted": True}]
        insert_many(conn, table, rows)
        kept = _row(2002, "same")["occurred_at"]
        update_live_column(conn, table, "occurred_at", {2001: later, 2002: kept, 2003: later})
        stored = dict(conn.execute(text(
            "SELECT id, occurred_at || '|' || updated_at FROM journal_entry "
            "WHERE id BETWEEN 2001 AND 2003")).tuples().all())
        assert stored == {2001: "2025-05-06 07:08:09.000000|2025-03-04 10:05:06.123456",
                          2002: "2025-03-04 10:05:06.123456|2025-03-04 10:05:06.123456",
                          2003: "2025-03-04 10:05:06.123456|2025-03-04 10:05:06.123456"}
        assert conn.execute(text("SELECT count(*) FROM temp.sqlite_master")).scalar() == 0
        s.rollback()


_UTC_TIMES = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                          timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)),
                                                     timezone(timedelta(hours=-11, minutes=-30))]))
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text() |
                     st.floats(allow_nan=False, allow_infinity=False),
                     lambda inner: st.lists(inner, max_size=4) |
                     st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
_VALUES = {"UTCDateTime": _UTC_TIMES | st.none(), "JSON": _JSON,
           "Boolean": st.booleans() | st.none() | st.sampled_from([0, 1]),
           "Date": st.dates() | st.none()}


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_bulk_bind_processors_match_sqlalchemys(data: st.DataObject) -> None:
    """The direct processors for the synced tables' four converted types give exactly what
    SQLAlchemy's own give the driver, for every column of every synced table."""
    dialect = sqlite.dialect()
    for name in SYNC_TABLES:
        for column in table_meta(name).table.columns:
            slow = column.type.dialect_impl(dialect).bind_processor(dialect)
            fast = _fast(column.type, dialect)
            if slow is None:
                assert fast is None
                continue
            assert fast is not None
            kind = type(column.type).__name__
            value = data.draw(_VALUES[kind], label=f"{name}.{column.name}")
            assert fast(value) == slow(value)
            assert type(fast(value)) is type(slow(value))


_PLAIN = st.none() | st.integers(-(2**62), 2**62) | st.text(max_size=6)
_BINARY = st.none() | st.binary(max_size=6)


@pytest.mark.parametrize("name", SYNC_TABLES)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_bound_values_give_each_value_what_sqlalchemy_gives_it(name: str,
                                                             data: st.DataObject) -> None:
    """Rows are converted column by column, date/times and booleans once per distinct value:
    still exactly SQLAlchemy's own result for every value, also where values repeat or are
    equal without being alike (one instant in two zones, True and 1)."""
    table = table_meta(name).table
    names = [c.name for c in table.columns]
    at = datetime(2025, 3, 4, 10, 5, 6, 7, tzinfo=UTC)
    alike = {"UTCDateTime": [at, at.astimezone(timezone(timedelta(hours=2)))],
             "Boolean": [True, 1, False, 0]}
    pools = {}
    for column in table.columns:
        kind = type(column.type).__name__
        drawn = data.draw(st.lists(_VALUES.get(kind, _BINARY if kind == "LargeBinary" else _PLAIN),
                                   min_size=1, max_size=2),
                          label=column.name)
        pools[column.name] = drawn + alike.get(kind, [])
    count = data.draw(st.integers(1, 5), label="rows")
    picks = data.draw(st.lists(st.integers(0, 5), min_size=count, max_size=count))
    rows = [{key: pool[(pick + i) % len(pool)] for i, (key, pool) in enumerate(pools.items())}
            for pick in picks]
    with create_engine("sqlite://").connect() as conn:
        columns: list[Any] = list(zip(*([row[n] for n in names] for row in rows), strict=True))
        got = list(zip(*bound_columns(conn, table, names, columns), strict=True))
        processors = [c.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
                      for c in table.columns]
    want = [tuple(value if proc is None else proc(value)
                  for proc, value in zip(processors, (row[n] for n in names), strict=True))
            for row in rows]
    assert got == want
    assert [tuple(map(type, r)) for r in got] == [tuple(map(type, r)) for r in want]


@pytest.mark.parametrize("count", [1, 2, 498, 499, 500, 1501])
def test_rows_staged_many_per_run_arrive_each_once(vault: Vault, count: int) -> None:
    """Rows go into a staging table 499 (999 values // 2) per run: around every batch border
    each row arrives once, none lost, none twice, text and NULL as given."""
    rows = [(n, None if n % 7 == 0 else f"Wert {n} äöü") for n in range(count)]
    with vault.session() as s:
        conn = s.connection()
        conn.exec_driver_sql("CREATE TEMP TABLE staged_here (k, v)")
        _stage(conn, "INSERT INTO temp.staged_here (k, v) VALUES ", 2, rows)
        got = conn.exec_driver_sql("SELECT k, v FROM temp.staged_here ORDER BY k").all()
        assert [tuple(r) for r in got] == rows
        s.rollback()
