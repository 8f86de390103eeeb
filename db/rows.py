"""Reading one column of many rows without SQLAlchemy's per-row result machinery."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

_PLAIN = (str, int, float, type(None))


def _plain(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if not isinstance(value, _PLAIN):
        raise TypeError(f"first_column() takes plain parameters, not {type(value).__name__}")
    return value


def first_column(session: Session, query: Select[Any]) -> list[Any]:
    """The first column of every row, read straight from the DB-API cursor.

    For the case list's 100,000 ids the ORM's row handling was 0.3 of 0.37 s. No bind or
    result processors run here, so only plain parameters are accepted (str, int, float, None)
    and the column comes back as SQLite stores it: use it for ids and text keys only. A date
    parameter is bound as its ISO text, exactly as SQLAlchemy stores dates in SQLite.
    """
    conn = session.connection()
    compiled = query.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    args = tuple(_plain(params[name]) for name in compiled.positiontup or ())
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), args)
        return [row[0] for row in cursor.fetchall()]
    finally:
        cursor.close()
