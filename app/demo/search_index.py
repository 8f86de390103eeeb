"""Bulk-fill the FTS5 indexes for demo rows in one statement each, sorted by rowid.

Through the per-row triggers FTS5 flushes its pending index at every row (each trigger runs
under a savepoint), which makes bulk inserts ~10x slower. During a bulk load the insert triggers
are suspended and their own SQL, read back from ``sqlite_master``, is re-run as one
INSERT … SELECT over the new rows; the migration stays the single source of the index rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

INSERT_TRIGGERS = ("case_search_ai", "journal_search_ai")
_SHAPE = re.compile(r"WHEN\s+(?P<when>.+?)\s+BEGIN\s+(?P<body>INSERT\s+INTO\s+.+?);\s*END\s*$",
                    re.S | re.I)
_VALUES = re.compile(r"^(?P<target>INSERT\s+INTO\s+\w+\s*\([^)]*\))\s*VALUES\s*\((?P<exprs>.*)\)$",
                     re.S | re.I)


@dataclass(frozen=True)
class SuspendedTrigger:
    name: str
    table: str
    sql: str

    def backfill_sql(self) -> str:
        """The trigger body as one statement over the rows with ``new.id`` in [:first, :last]."""
        shape = _SHAPE.search(self.sql)
        if shape is None:
            raise RuntimeError(f"trigger {self.name} changed shape; update app/demo/search_index")
        when, body = shape["when"], shape["body"].strip()
        rows = f"({when}) AND new.id BETWEEN :first AND :last"
        values = _VALUES.match(body)
        if values is not None:
            return (f"{values['target']} SELECT {values['exprs']} FROM {self.table} AS new "
                    f"WHERE {rows} ORDER BY 1")
        head, sep, tail = body.rpartition(" WHERE ")
        if not sep or " SELECT " not in head.upper():
            raise RuntimeError(f"trigger {self.name} changed shape; update app/demo/search_index")
        return f"{head}, {self.table} AS new WHERE {rows} AND {tail} ORDER BY 1"


def suspend(conn: Connection) -> list[SuspendedTrigger]:
    found = [SuspendedTrigger(str(r.name), str(r.tbl_name), str(r.sql)) for r in conn.execute(
        text("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
             "AND name IN ('case_search_ai', 'journal_search_ai') ORDER BY name"))]
    if len(found) != len(INSERT_TRIGGERS):
        raise RuntimeError("search triggers missing; run `lotse check`")
    for trig in found:
        trig.backfill_sql()  # fail before dropping anything
        conn.execute(text(f'DROP TRIGGER "{trig.name}"'))
    return found


def backfill_and_restore(conn: Connection, triggers: list[SuspendedTrigger],
                         first_ids: dict[str, int]) -> None:
    """Index rows of each table from ``first_ids[table]`` on, then recreate the triggers."""
    for trig in triggers:
        conn.execute(text(trig.backfill_sql()), {"first": first_ids[trig.table],
                                                 "last": 2**62})
        conn.execute(text(trig.sql))
