"""The FTS5 insert triggers' work done once for a range of new rows (``db.replica_bulk``).

Fired per row, a trigger runs as a sub-program with its own frame and FTS5 flushes its pending
index each time: ~4x the cost of indexing the same rows in one statement. For a bulk insert the
table's insert trigger (``case_search_ai``, ``journal_search_ai``; migration 0005) is dropped
inside the caller's transaction, the rows inserted, the trigger's own SQL, read back from
``sqlite_master``, re-run as one INSERT ... SELECT over exactly the new ids, and the trigger
created again from the same text. Same index entries as the trigger would have made; a rollback
restores the trigger with everything else. The migration stays the single source of the rules.

The demo generator's bulk load (``app.demo.search_index``) uses ``Suspended`` too. Only search
triggers are ever suspended, never a protection trigger.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, text

INSERT_TRIGGERS = {"case_file": "case_search_ai", "journal_entry": "journal_search_ai"}
_SHAPE = re.compile(r"WHEN\s+(?P<when>.+?)\s+BEGIN\s+(?P<body>INSERT\s+INTO\s+.+?);\s*END\s*$",
                    re.S | re.I)
_VALUES = re.compile(r"^(?P<target>INSERT\s+INTO\s+\w+\s*\([^)]*\))\s*VALUES\s*\((?P<exprs>.*)\)$",
                     re.S | re.I)


@dataclass(frozen=True)
class Suspended:
    name: str
    table: str
    sql: str

    def backfill_sql(self) -> str:
        """The trigger body as one statement over the rows with ``new.id`` in :ids."""
        shape = _SHAPE.search(self.sql)
        if shape is None:
            raise RuntimeError(f"trigger {self.name} changed shape; update db/search_triggers")
        when, body = shape["when"], shape["body"].strip()
        rows = f"({when}) AND new.id BETWEEN :first AND :last"
        values = _VALUES.match(body)
        if values is not None:
            return (f"{values['target']} SELECT {values['exprs']} FROM {self.table} AS new "
                    f"WHERE {rows} ORDER BY 1")
        head, sep, tail = body.rpartition(" WHERE ")
        if not sep or " SELECT " not in head.upper():
            raise RuntimeError(f"trigger {self.name} changed shape; update db/search_triggers")
        return f"{head}, {self.table} AS new WHERE {rows} AND {tail} ORDER BY 1"


@contextmanager
def indexed_once(conn: Connection, table: str, first: int, last: int) -> Iterator[None]:
    """Rows of ``table`` inserted inside the block, all with ids in [first, last] and none
    there before, are indexed by one statement on leaving it. Tables without an FTS insert
    trigger: nothing happens."""
    name = INSERT_TRIGGERS.get(table)
    if name is None:
        yield
        return
    row = conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                            "AND name = :name AND tbl_name = :table"),
                       {"name": name, "table": table}).first()
    if row is None:
        raise RuntimeError(f"search trigger {name} missing; run `lotse check`")
    trigger = Suspended(name, table, str(row[0]))
    backfill = trigger.backfill_sql()  # fail before dropping anything
    held = conn.execute(text(f'SELECT count(*) FROM "{table}" WHERE id BETWEEN :first AND :last'),
                        {"first": first, "last": last}).scalar()
    if held:
        raise RuntimeError(f"{table}: ids {first}..{last} are not all new")
    conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    try:
        yield
        conn.execute(text(backfill), {"first": first, "last": last})
    finally:  # a failed insert wrote nothing (one statement): the trigger is back either way
        conn.exec_driver_sql(trigger.sql)
