"""Migration 0005 empties the tombstones of an existing store by the same rule as the ORM and
rebuilds the search indexes so that removing a row erases its terms."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Connection, inspect, text

from app.check import run_check
from app.check_tombstones import tombstone_problems
from app.clock import FixedClock
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.documents.write import add_attachment
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.vault.store import Vault, open_vault
from db import schema
from db.engine import connect_raw
from db.folding import fold_search
from db.tombstones import kept_columns
from tests.conftest import PASSPHRASE, data_key
from tests.support.page_scan import hits
from tests.support.row_filler import MARKER, SYNCED, fill_every_table, marker_columns
from tests.support.schema_helpers import VAULT_A, migrated_engine


def _delete_at_0004(conn: Connection, ids: dict[str, int]) -> None:
    """Tombstones as Lotse made them before: only the flag set, the old triggers masking."""
    command.downgrade(schema._config(conn), "0004")
    for table in _at_0004(conn):
        conn.execute(text(f'UPDATE "{table}" SET deleted = 1 WHERE id = :i'), {"i": ids[table]})


def _at_0004(conn: Connection) -> list[str]:
    """The replicated tables a 0004 store has (later revisions add some)."""
    present = set(inspect(conn).get_table_names())
    return [t for t in (m.__table__.name for m in SYNCED) if t in present]  # type: ignore[attr-defined]


def _journal_hits(conn: Connection, term: str) -> int:
    return int(conn.execute(text("SELECT count(*) FROM journal_search WHERE journal_search MATCH "
                                 ":q"), {"q": f'"{fold_search(term)}"*'}).scalar_one())


def test_upgrade_clears_old_tombstones_like_the_orm_and_keeps_live_rows(tmp_path: Path) -> None:
    engine = migrated_engine(tmp_path / "store.db")
    with engine.begin() as conn:
        gone = fill_every_table(conn, VAULT_A, start=1000)
        live = fill_every_table(conn, VAULT_A, start=2000)
        _delete_at_0004(conn, gone)
        synced = _at_0004(conn)
        # Read at 0004: columns of later revisions left with the downgrade and come back empty.
        live_markers = {t: marker_columns(conn, t, f"id = {live[t]}") for t in synced}
        schema.upgrade(conn)
    with engine.connect() as conn:
        assert tombstone_problems(conn) == []  # the ORM rule's neutral values, exactly
        for model in SYNCED:
            table = model.__table__.name  # type: ignore[attr-defined]
            if table not in synced:
                continue
            left = marker_columns(conn, table, f"id = {gone[table]}")
            assert [c for c in left if c.split(".")[1] not in kept_columns(model)] == []
            assert marker_columns(conn, table, f"id = {live[table]}") == live_markers[table]
        # The live rows are indexed again, the tombstoned ones are not; secure-delete is on.
        assert _journal_hits(conn, MARKER) == 1
        assert conn.execute(text("SELECT count(*) FROM case_search")).scalar_one() == 1
        for fts in ("case_search", "journal_search"):
            assert conn.execute(text(f"SELECT v FROM {fts}_config WHERE k = 'secure-delete'")
                                ).scalar_one() == 1
    with engine.begin() as conn:  # and back: the old index definitions, still searchable
        command.downgrade(schema._config(conn), "0004")
        assert _journal_hits(conn, MARKER) == 1
        schema.upgrade(conn)
    engine.dispose()


def test_old_tombstones_leave_the_disk_with_the_upgrade(vault: Vault, vault_dir: Path,
                                                        clock: FixedClock) -> None:
    secret = "ZQXMIGRATE2207"
    cid = create_case(vault, NewCase(f"{secret}Vorname", f"{secret}Familie", "DO"))
    add_journal_entry(vault, cid, NewJournalEntry("office", f"{secret} Notiz", clock.now()))
    add_attachment(vault, "case_file", get_case(vault, cid).uuid, "Bescheid.pdf",
                   "application/pdf", b"%PDF-1.4 " + secret.encode() * 2000)
    key = data_key(vault)
    with vault.engine.begin() as conn:
        command.downgrade(schema._config(conn), "0004")
        for table in ("journal_entry", "attachment", "case_file", "person"):
            conn.execute(text(f"UPDATE {table} SET deleted = 1"))
        conn.execute(text("UPDATE case_manager SET deleted = 0"))
    vault.lock()
    needles = [secret.encode(), secret.lower().encode()]
    assert hits(key, vault_dir, needles)  # the old tombstones hold it
    upgraded = open_vault(vault_dir, PASSPHRASE, clock)  # migrates to 0005
    # Another Lotse process keeps the store open, so closing ours checkpoints nothing by itself.
    other = connect_raw(vault_dir / "lotse.db", key)
    try:
        report = run_check(upgraded)
        assert report.ok, report.problems
        upgraded.lock()
        assert hits(key, vault_dir, needles) == []
    finally:
        other.close()
