"""Bulk-fill the FTS5 indexes for demo rows in one statement each, sorted by rowid.

Through the per-row triggers FTS5 flushes its pending index at every row (each trigger runs
under a savepoint), which makes bulk inserts ~10x slower. During a bulk load the insert triggers
are suspended and their own SQL, read back from ``sqlite_master``, is re-run as one
INSERT … SELECT over the new rows (``db.search_triggers``, which bundle imports use too); the
migration stays the single source of the index rules.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from db.search_triggers import INSERT_TRIGGERS as TRIGGER_OF_TABLE
from db.search_triggers import Suspended

INSERT_TRIGGERS = tuple(sorted(TRIGGER_OF_TABLE.values()))


def suspend(conn: Connection) -> list[Suspended]:
    found = [Suspended(str(r.name), str(r.tbl_name), str(r.sql)) for r in conn.execute(
        text("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
             "AND name IN ('case_search_ai', 'journal_search_ai') ORDER BY name"))]
    if len(found) != len(INSERT_TRIGGERS):
        raise RuntimeError("search triggers missing; run `lotse check`")
    for trig in found:
        trig.backfill_sql()  # fail before dropping anything
        conn.execute(text(f'DROP TRIGGER "{trig.name}"'))
    return found


def backfill_and_restore(conn: Connection, triggers: list[Suspended],
                         first_ids: dict[str, int]) -> None:
    """Index rows of each table from ``first_ids[table]`` on, then recreate the triggers."""
    for trig in triggers:
        conn.execute(text(trig.backfill_sql()), {"first": first_ids[trig.table],
                                                 "last": 2**62})
        conn.execute(text(trig.sql))
