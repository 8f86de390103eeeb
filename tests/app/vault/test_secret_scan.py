"""A marker written into every text column of every mapped table appears in zero bytes on disk."""

from __future__ import annotations

import os
import re
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, LargeBinary, String, Text, insert

from app.vault.store import Vault
from db.base import UTCDateTime
from db.sync import initial_metadata
from tests.support.row_filler import LOCKED_AFTER, approve, tables_in_fill_order

MARKER = "ZQXMARKER7731Geheimnis"


def _check_constrained(table: Any) -> set[str]:
    cols = set()
    for c in table.constraints:
        sql = str(getattr(c, "sqltext", ""))
        cols.update(re.findall(r"(\w+) IN \(", sql))
    return cols


def _value(table: Any, col: Any, ids: dict[str, int], n: int, vault_uuid: str) -> Any:
    if col.foreign_keys:
        target = next(iter(col.foreign_keys)).column.table.name
        return ids.get(target)
    t = col.type
    if isinstance(t, UTCDateTime):
        from datetime import UTC, datetime
        return datetime.now(UTC)
    if isinstance(t, Boolean):
        return False
    if isinstance(t, Date):
        return date(2026, 11, 25)
    if isinstance(t, Integer):
        return n
    if isinstance(t, JSON):
        return [MARKER]
    if isinstance(t, LargeBinary):
        return MARKER.encode() * 3
    if isinstance(t, String | Text):
        return f"{MARKER}-{table.name}-{col.name}-{n}"
    raise AssertionError(f"unhandled type {t!r} in {table.name}.{col.name}")


CONSTRAINED_VALUES = {"phase": "intake", "from_phase": "intake", "to_phase": "assessment",
                      "attainment": "erreicht", "work_permission": "allowed",
                      "status": "planned", "attendance": "present"}
LOCAL_COLUMNS = {"uuid", "origin_vault", "changed_by_vault", "version_vector", "field_stamps",
                 "prev_hash", "hash"}


def test_marker_in_every_text_column_never_reaches_disk(vault: Vault, vault_dir: Path) -> None:
    started = time.time() - 1
    ids: dict[str, int] = {}
    written: list[str] = []
    with vault.engine.begin() as conn:
        for n, table in enumerate(tables_in_fill_order(), start=1000):
            if table.name in {"audit_log", "alembic_version"}:
                continue  # audit rows are written only through the chain (ids, no free text)
            if table.name in LOCKED_AFTER:  # amendments only to approved minutes
                approve(conn, ids["conference"])
            constrained = _check_constrained(table)
            row: dict[str, Any] = {}
            for col in table.columns:
                if col.primary_key and isinstance(col.type, Integer):
                    continue
                if col.name in constrained:
                    row[col.name] = CONSTRAINED_VALUES[col.name]
                elif col.name in LOCAL_COLUMNS:
                    continue
                else:
                    row[col.name] = _value(table, col, ids, n, vault.info.vault_uuid)
                    if isinstance(col.type, String | Text | JSON) and not col.foreign_keys:
                        written.append(f"{table.name}.{col.name}")
            if "uuid" in table.c:
                row["uuid"] = f"{n:032x}"
                row.update(initial_metadata(vault.info.vault_uuid, list(row)))
            if table.name == "journal_entry":
                row["text"] = f"{MARKER} Gesprächsnotiz"
            result = conn.execute(insert(table).values(**row))
            pk = result.inserted_primary_key
            if pk and pk[0] is not None:
                ids[table.name] = pk[0]
    assert len(written) >= 140, "the scan must cover the whole model"
    # Read it back through search (FTS indexes hold the folded marker too).
    from app.services.search.read import search_journal
    assert search_journal(vault, MARKER.lower()[:12])

    def scan() -> list[str]:
        needles = [MARKER.encode(), MARKER.encode("utf-16-le"), MARKER.lower().encode()]
        hits = []
        roots = {vault_dir, Path(tempfile.gettempdir())}
        for root in roots:
            for dirpath, _dirs, files in os.walk(root):
                for f in files:
                    p = Path(dirpath) / f
                    try:
                        st = p.stat()
                        if st.st_mtime < started or st.st_size > 200_000_000 or not p.is_file():
                            continue
                        data = p.read_bytes()
                    except OSError:
                        continue
                    if any(n in data for n in needles):
                        hits.append(str(p))
        return hits

    wal = vault_dir / "lotse.db-wal"
    assert wal.exists() and wal.stat().st_size > 0, "the scan must include a live WAL"
    assert scan() == []
    vault.lock()
    assert scan() == []
