"""Keys and constraints of the migrated schema: indexed foreign keys, rowid primary keys, CHECK
constraints, the append-only audit log, ON DELETE SET NULL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, UniqueConstraint, exc, text

from db.models import AuditLog, Base, Household
from db.sync import LotseSession
from tests.support import schema_helpers
from tests.support.schema_helpers import T0, add_person, add_staff, new_case

# Fixtures live in the helper module; naming them here makes pytest use them.
engine = schema_helpers.engine
session = schema_helpers.session


def test_every_foreign_key_is_indexed() -> None:
    for table in Base.metadata.sorted_tables:
        leading = {next(iter(ix.columns)).name for ix in table.indexes}
        leading |= {next(iter(u.columns)).name for u in table.constraints
                    if isinstance(u, UniqueConstraint)}
        for fk in table.foreign_keys:
            assert fk.parent.name in leading, f"{table.name}.{fk.parent.name} has no index"


def test_every_synced_table_has_integer_rowid_primary_key(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if "uuid" not in table.c:
                continue
            sql = conn.execute(
                text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": table.name}
            ).scalar_one()
            assert "id INTEGER NOT NULL" in sql and f"pk_{table.name} PRIMARY KEY (id)" in sql
        # id is the rowid itself (stable under VACUUM), not a second column beside it.
        conn.execute(text("INSERT INTO vault_meta(key, value) VALUES ('probe', 'x')"))
        conn.execute(text(
            "INSERT INTO household(id, uuid, origin_vault, changed_by_vault, version_vector,"
            " field_stamps, deleted, created_at, updated_at, label)"
            " VALUES (4711, 'u', 'v', 'v', '{}', '{}', 0, '2026-01-01', '2026-01-01', 'H')"
        ))
        assert conn.execute(text("SELECT rowid FROM household")).scalar_one() == 4711


def test_check_constraints_guard_fixed_value_sets(session: LotseSession) -> None:
    staff, person = add_staff(session), add_person(session, "Demir", "Ayşe")
    session.add(new_case(person, staff, "DO-2026-AB-0001", phase="waiting"))
    with pytest.raises(exc.IntegrityError, match="ck_case_file_phase"):
        session.flush()


def test_audit_log_is_append_only(session: LotseSession) -> None:
    session.add(AuditLog(seq=1, at=T0, kind="case.read", actor="system", object_type="case",
                         object_uuid=None, detail={"n": 1}, prev_hash="0" * 64, hash="1" * 64))
    session.commit()
    for statement in ("UPDATE audit_log SET kind = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(exc.DatabaseError, match="append-only"):
            session.execute(text(statement))
        session.rollback()
    assert session.query(AuditLog).one().kind == "case.read"


def test_household_link_is_optional(session: LotseSession) -> None:
    household = Household(label="Familie Haddad")
    session.add(household)
    session.flush()
    person = add_person(session, "Haddad", "Lina")
    person.household_id = household.id
    session.flush()
    session.delete(household)
    session.flush()
    session.refresh(person)
    assert person.household_id is None  # ON DELETE SET NULL (purge of a household)
