"""Migration 0003 fills the new ``last_contact_at`` from the journal of an existing store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import text

from db import schema
from db.sync import VAULT_KEY, LotseSession
from tests.support.schema_helpers import (
    T0,
    VAULT_A,
    add_person,
    add_staff,
    journal,
    migrated_engine,
    new_case,
)


def test_upgrade_from_0002_backfills_the_last_contact(tmp_path: Path) -> None:
    engine = migrated_engine(tmp_path / "store.db")
    with LotseSession(engine, info={VAULT_KEY: VAULT_A}) as s:
        staff = add_staff(s)
        met = new_case(add_person(s, "Öztürk", "Ayşe"), staff, "DO-1")
        never = new_case(add_person(s, "Nowak", "Piotr"), staff, "DO-2")
        s.add_all([met, never])
        s.flush()
        s.add_all([journal(met, staff, T0, "Erstgespräch"),
                   journal(met, staff, T0 + timedelta(days=30), "Folgetermin")])
        gone = journal(met, staff, T0 + timedelta(days=60), "versehentlich angelegt")
        gone.deleted = True  # a tombstoned entry was no contact
        s.add(gone)
        s.commit()
        met_id, never_id = met.id, never.id
    with engine.begin() as conn:  # back to the store as 0002 left it, then forward again
        command.downgrade(schema._config(conn), "0002")
        columns = {r[1] for r in conn.execute(text("PRAGMA table_info(case_file)"))}
        assert "last_contact_at" not in columns
        schema.upgrade(conn)
    with engine.connect() as conn:
        last = dict(conn.execute(text("SELECT id, last_contact_at FROM case_file")).all())
        indexes = {r[1] for r in conn.execute(text("PRAGMA index_list(case_file)"))}
    assert str(last[met_id]).startswith(f"{T0 + timedelta(days=30):%Y-%m-%d %H:%M}")
    assert last[never_id] is None
    assert "ix_case_quiet" in indexes
    engine.dispose()
