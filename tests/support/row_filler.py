"""One row in every table with every column filled with a marker or a non-neutral value (Core
inserts, so no ORM hook touches them): the worst case for what a tombstone could keep."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Date, Integer, LargeBinary, String, insert

from db.base import Base, SyncMixin, UTCDateTime
from db.sync import initial_metadata

MARKER = "ZQXROWFILL5519"
CONSTRAINED = {"phase": "intake", "from_phase": "intake", "to_phase": "assessment",
               "attainment": "erreicht", "work_permission": "allowed", "status": "planned"}
SYNCED = sorted((m.class_ for m in Base.registry.mappers if issubclass(m.class_, SyncMixin)),
                key=lambda m: m.__name__)
SYNC = {"uuid", "origin_vault", "changed_by_vault", "version_vector", "field_stamps", "deleted",
        "created_at", "updated_at"}


def _checked(table: Any) -> set[str]:
    found: set[str] = set()
    for c in table.constraints:
        found.update(re.findall(r"(\w+) IN \(", str(getattr(c, "sqltext", ""))))
    return found


def _value(table: Any, col: Any, ids: dict[str, int], n: int) -> Any:
    if col.foreign_keys:
        return ids.get(next(iter(col.foreign_keys)).column.table.name)
    kind = col.type
    if isinstance(kind, UTCDateTime):
        return datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    if isinstance(kind, Date):
        return date(2026, 3, 2)
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, Integer):
        return n
    if isinstance(kind, JSON):
        return [MARKER]
    if isinstance(kind, LargeBinary):
        return MARKER.encode() * 400 + b"-%d" % n  # beyond a page; unique per row
    if isinstance(kind, String):
        return f"{MARKER}-{table.name}-{col.name}-{n}"
    raise AssertionError(f"unhandled type {kind!r} in {table.name}.{col.name}")


# Approved minutes take no new rows but amendments, and amendments only approved minutes
# (migration 0008): the conference is filled unlocked, locked after its rows, then amended.
LOCKED_AFTER = {"conference_amendment"}


def tables_in_fill_order() -> list[Any]:
    """Every table in dependency order, those that need approved minutes last."""
    tables = Base.metadata.sorted_tables
    return ([t for t in tables if t.name not in LOCKED_AFTER]
            + [t for t in tables if t.name in LOCKED_AFTER])


def approve(conn: Connection, conference_id: int) -> None:
    conn.exec_driver_sql("UPDATE conference SET minutes_locked = 1 "
                         f"WHERE id = {int(conference_id)}")


def fill_every_table(conn: Connection, vault_uuid: str, start: int = 1000) -> dict[str, int]:
    """Insert one row per table (not the audit log); returns table -> primary key."""
    ids: dict[str, int] = {}
    for n, table in enumerate(tables_in_fill_order(), start=start):
        if table.name in LOCKED_AFTER:  # every row of the minutes is in: approve them
            approve(conn, ids["conference"])
        if table.name in {"audit_log", "alembic_version"}:
            continue
        checked = _checked(table)
        row: dict[str, Any] = {}
        for col in table.columns:
            if col.primary_key and isinstance(col.type, Integer):
                continue
            if col.name in SYNC:
                continue
            row[col.name] = CONSTRAINED[col.name] if col.name in checked \
                else _value(table, col, ids, n)
        if "uuid" in table.c:
            row["uuid"] = f"{n:032x}"
            row["deleted"] = False
            row.update(initial_metadata(vault_uuid, list(row)))
        if table.name == "journal_entry":
            row["text"] = f"{MARKER} Gesprächsnotiz"
        if table.name == "conference":
            row["minutes_locked"] = False  # until its rows are in (above)
        pk = conn.execute(insert(table).values(**row)).inserted_primary_key
        if pk and pk[0] is not None:
            ids[table.name] = pk[0]
    return ids


def marker_columns(conn: Connection, table: str, where: str = "deleted = 1") -> list[str]:
    """``table.column`` of every value (text, JSON or bytes) that still carries the marker."""
    found = []
    rows = conn.exec_driver_sql(f'SELECT * FROM "{table}" WHERE {where}')
    for row in rows.mappings():
        for name, value in row.items():
            raw = value if isinstance(value, bytes) else str(value).encode()
            if MARKER.encode() in raw:
                found.append(f"{table}.{name}")
    return found


def fill_cases(conn: Connection, vault_uuid: str, count: int, case_manager_id: int,
               municipality: str = "DO") -> None:
    """``count`` fictional clients with one open case each, in two executemany inserts (Core:
    thousands of cases in a fraction of a second, enough to page through)."""
    people = Base.metadata.tables["person"]
    cases = Base.metadata.tables["case_file"]
    first = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM person").scalar_one()) + 1
    sync = initial_metadata(vault_uuid, [])
    conn.execute(insert(people), [
        {"id": first + n, "uuid": f"{first + n:032x}", "given_names": f"Vorname{n:06d}",
         "family_name": f"Nachname{n:06d}", "sort_key": f"nachname{n:06d} vorname{n:06d}",
         "deleted": False, **sync} for n in range(count)])
    conn.execute(insert(cases), [
        {"uuid": f"c{first + n:031x}", "case_number": f"DO-2026-FILL-{first + n:06d}",
         "person_id": first + n, "municipality": municipality,
         "case_manager_id": case_manager_id, "phase": "intake", "opened_on": date(2026, 1, 5),
         "sort_name": f"nachname{n:06d} vorname{n:06d}", "deleted": False, **sync}
        for n in range(count)])
