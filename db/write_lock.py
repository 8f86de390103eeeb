"""SQLite's write lock as a cross-process mutex for files kept in step with the store.

``BEGIN IMMEDIATE`` takes the lock a writer needs before it reads, waiting up to the busy
timeout. Another process doing the same waits in turn; this works on Windows as on POSIX, unlike
advisory file locks. The connection is used through the DB-API directly: SQLAlchemy's own
``BEGIN`` (db.engine) would start a deferred transaction first. Errors arrive as the driver
raises them; whether one means "busy" is for ``db.faults.sqlite_fault`` to say, as everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine

# One SQL statement with qmark parameters, all rows returned.
Run = Callable[[str, tuple[Any, ...]], list[Any]]


@contextmanager
def write_locked(engine: Engine) -> Iterator[Run]:
    """Run statements while holding the write lock; committed at the end, rolled back on error."""
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None

        def run(sql: str, params: tuple[Any, ...]) -> list[Any]:
            return list(raw.execute(sql, params).fetchall())

        raw.execute("BEGIN IMMEDIATE")
        try:
            yield run
        except BaseException:
            raw.execute("ROLLBACK")
            raise
        raw.execute("COMMIT")
