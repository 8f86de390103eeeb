"""The 0001 migration on a real file store: tables, model parity, FTS triggers, audit protection,
per-field sync stamps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, exc, inspect, text
from sqlcipher3 import dbapi2 as sqlcipher

from db import schema
from db.base import SYNC_COLUMNS
from db.models import (
    AuditLog,
    Base,
    CaseFile,
    CaseManager,
    Household,
    JournalEntry,
    Person,
)
from db.sync import VAULT_KEY, LotseSession, content_columns, field_stamp

try:  # written in parallel by another engineer; until then any folding will do for triggers
    from db.folding import fold_search, fold_sort
except ImportError:  # pragma: no cover - depends on the state of the tree

    def fold_search(text: str | None) -> str:
        return (text or "").lower()

    fold_sort = fold_search

VAULT_A = "a" * 32
VAULT_B = "b" * 32
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def make_engine(path: Path) -> Engine:
    """An unencrypted store opened through the same DB-API module and transaction handling as
    the real engine (sqlcipher3 bundles the SQLite with FTS5 contentless_delete)."""

    def creator() -> Any:
        conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.create_function("lotse_fold", 1, fold_search, deterministic=True)
        conn.create_function("lotse_sort_key", 1, fold_sort, deterministic=True)
        return conn

    engine = create_engine("sqlite://", module=sqlcipher, creator=creator)

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def migrated_engine(path: Path) -> Engine:
    engine = make_engine(path)
    with engine.begin() as conn:
        schema.upgrade(conn)
    return engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = migrated_engine(tmp_path / "store.db")
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[LotseSession]:
    with LotseSession(engine, info={VAULT_KEY: VAULT_A}) as s:
        yield s


# --- migration -------------------------------------------------------------------------------


def test_upgrade_on_empty_store_creates_every_table(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "store.db")
    with engine.begin() as conn:
        assert schema.current_revision(conn) is None
        schema.upgrade(conn)
    with engine.connect() as conn:
        assert schema.current_revision(conn) == schema.HEAD_REVISION
        names = set(inspect(conn).get_table_names())
    assert set(Base.metadata.tables) <= names
    assert {"case_search", "journal_search", "alembic_version"} <= names
    # A second run (every unlock does it) changes nothing.
    with engine.begin() as conn:
        schema.upgrade(conn)
        assert schema.current_revision(conn) == schema.HEAD_REVISION


def test_head_revision_constant_matches_the_scripts() -> None:
    scripts = ScriptDirectory.from_config(schema._config())
    assert scripts.get_heads() == [schema.HEAD_REVISION]
    assert not schema.is_newer_than_known(schema.HEAD_REVISION)
    assert not schema.is_newer_than_known(None)
    assert schema.is_newer_than_known("9f3c1a2b7d00")


def test_failed_upgrade_leaves_no_half_schema(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "store.db")
    with pytest.raises(RuntimeError), engine.begin() as conn:
        schema.upgrade(conn)
        raise RuntimeError("crash after migrating, before commit")
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []


def test_migrated_schema_matches_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_name": schema.include_name, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []
        # Alembic does not compare ON DELETE or CHECK constraints: compare them here.
        insp = inspect(conn)
        for table in Base.metadata.sorted_tables:
            reflected_fks = {
                (tuple(fk["constrained_columns"]), fk["referred_table"],
                 (fk.get("options") or {}).get("ondelete"))
                for fk in insp.get_foreign_keys(table.name)
            }
            model_fks = {
                (tuple(c.name for c in fk.columns), fk.referred_table.name, fk.ondelete)
                for fk in table.foreign_key_constraints
            }
            assert reflected_fks == model_fks, table.name
            reflected_checks = {c["name"] for c in insp.get_check_constraints(table.name)}
            model_checks = {
                c.name for c in table.constraints if c.__class__.__name__ == "CheckConstraint"
            }
            assert reflected_checks == model_checks, table.name


def test_model_change_without_migration_is_detected(engine: Engine) -> None:
    """The parity check above can fail: a column added to the models only shows up."""
    from sqlalchemy import Column, MetaData, Text

    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["person"].append_column(Column("nickname", Text))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": schema.include_name})
        diff = compare_metadata(context, changed)
    assert [d[0] for d in diff] == ["add_column"]


def test_every_foreign_key_is_indexed() -> None:
    for table in Base.metadata.sorted_tables:
        leading = {next(iter(ix.columns)).name for ix in table.indexes}
        leading |= {next(iter(u.columns)).name for u in table.constraints
                    if u.__class__.__name__ == "UniqueConstraint"}
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


# --- audit log ------------------------------------------------------------------------------


def test_audit_log_is_append_only(session: LotseSession) -> None:
    session.add(AuditLog(seq=1, at=T0, kind="case.read", actor="system", object_type="case",
                         object_uuid=None, detail={"n": 1}, prev_hash="0" * 64, hash="1" * 64))
    session.commit()
    for statement in ("UPDATE audit_log SET kind = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(exc.DatabaseError, match="append-only"):
            session.execute(text(statement))
        session.rollback()
    assert session.query(AuditLog).one().kind == "case.read"


# --- sync stamps ------------------------------------------------------------------------------


def test_insert_stamps_every_content_field_update_only_changed_ones(engine: Engine) -> None:
    with LotseSession(engine, info={VAULT_KEY: VAULT_A}) as s:
        person = add_person(s, "Okafor", "Chidi")
        s.commit()
        fields = content_columns(person)
        assert "deleted" in fields and not set(fields) & SYNC_COLUMNS
        assert person.origin_vault == VAULT_A
        assert person.version_vector == {VAULT_A: 1}
        assert person.field_stamps == {}  # creation stamp is implicit for every field
        assert all(field_stamp(person, f) == (VAULT_A, 1) for f in fields)
        person.family_name = "Okafor-Schmidt"
        s.commit()
        assert person.version_vector == {VAULT_A: 2}
        assert person.field_stamps["family_name"] == [VAULT_A, 2]
        assert field_stamp(person, "given_names") == (VAULT_A, 1)
        assert set(person.field_stamps) == {"family_name"}
        person_id = person.id
    with LotseSession(engine, info={VAULT_KEY: VAULT_B}) as s:
        person = s.get_one(Person, person_id)
        person.phone = "0231 000000"
        s.commit()
        assert person.version_vector == {VAULT_A: 2, VAULT_B: 1}
        assert person.changed_by_vault == VAULT_B
        assert person.field_stamps["phone"] == [VAULT_B, 1]
        assert person.field_stamps["family_name"] == [VAULT_A, 2]
        stamped_by_b = [f for f, (vault, _) in person.field_stamps.items() if vault == VAULT_B]
        assert stamped_by_b == ["phone"]


# --- full-text search -----------------------------------------------------------------------


def add_staff(s: LotseSession) -> CaseManager:
    staff = CaseManager(display_name="Fallmanagerin Test", municipality="DO")
    s.add(staff)
    return staff


def add_person(s: LotseSession, family: str, given: str, birth: str | None = None) -> Person:
    person = Person(family_name=family, given_names=given, birth_name=birth,
                    sort_key=fold_sort(f"{family} {given}"))
    s.add(person)
    s.flush()
    return person


def new_case(person: Person, staff: CaseManager, number: str, **kw: Any) -> CaseFile:
    return CaseFile(case_number=number, person_id=person.id, municipality="DO",
                    case_manager_id=staff.id, opened_on=date(2026, 1, 5),
                    sort_name=person.sort_key, **kw)


def matches(s: LotseSession, table: str, term: str) -> set[int]:
    query = f'"{fold_search(term)}"*'
    rows = s.execute(text(f"SELECT rowid FROM {table} WHERE {table} MATCH :q"), {"q": query})
    return {r[0] for r in rows}


def indexed(s: LotseSession, table: str) -> set[int]:
    return {r[0] for r in s.execute(text(f"SELECT rowid FROM {table}"))}


def test_case_search_follows_cases_and_names(session: LotseSession) -> None:
    s = session
    staff = add_staff(s)
    s.flush()
    anna = add_person(s, "Müller", "Anna Maria", birth="Yılmaz")
    omar = add_person(s, "Haddad", "Omar")
    c1 = new_case(anna, staff, "DO-2026-K7QX-0001")
    c2 = new_case(anna, staff, "DO-2026-K7QX-0002")
    c3 = new_case(omar, staff, "DO-2026-K7QX-0003")
    s.add_all([c1, c2, c3])
    s.flush()
    assert indexed(s, "case_search") == {c1.id, c2.id, c3.id}
    assert matches(s, "case_search", "Mül") == {c1.id, c2.id}
    assert matches(s, "case_search", "mari") == {c1.id, c2.id}
    assert matches(s, "case_search", "Yılmaz") == {c1.id, c2.id}  # birth name
    assert matches(s, "case_search", "had") == {c3.id}
    assert matches(s, "case_search", "0003") == {c3.id}
    assert matches(s, "case_search", "k7qx") == {c1.id, c2.id, c3.id}

    # A person's name change reaches every one of their cases, and the old name is gone.
    anna.family_name = "Schneider"
    s.flush()
    assert matches(s, "case_search", "Mül") == set()
    assert matches(s, "case_search", "schn") == {c1.id, c2.id}

    # Renumbering, moving a case to another client, tombstoning, restoring, purging.
    c3.case_number = "DO-2026-K7QX-0099"
    s.flush()
    assert matches(s, "case_search", "0003") == set()
    assert matches(s, "case_search", "0099") == {c3.id}
    c2.person_id = omar.id
    s.flush()
    assert matches(s, "case_search", "haddad") == {c2.id, c3.id}
    assert matches(s, "case_search", "schneider") == {c1.id}
    c1.deleted = True
    s.flush()
    assert matches(s, "case_search", "schneider") == set()
    anna.given_names = "Anna"  # renaming must not resurrect the tombstoned case
    s.flush()
    assert indexed(s, "case_search") == {c2.id, c3.id}
    c1.deleted = False
    s.flush()
    assert matches(s, "case_search", "schneider") == {c1.id}
    s.delete(c3)
    s.flush()
    assert indexed(s, "case_search") == {c1.id, c2.id}


def test_fts_triggers_run_on_the_real_encrypted_store(tmp_path: Path) -> None:
    """Through db.engine: keyed SQLCipher, real folding. The triggers call lotse_fold(), which
    SQLite only allows while trusted_schema is ON (Python cannot mark it innocuous)."""
    from db.engine import connect_raw, enable_writes, make_engine

    path, key = tmp_path / "lotse.db", bytes(range(32))
    raw = connect_raw(path, key, create=True)
    enable_writes(raw, create=True)
    raw.close()
    engine = make_engine(path, key)
    try:
        with engine.begin() as conn:
            schema.upgrade(conn)
        with LotseSession(engine, info={VAULT_KEY: VAULT_A}) as s:
            staff = add_staff(s)
            s.flush()
            case = new_case(add_person(s, "Müller", "Anna"), staff, "DO-2026-K7QX-0001")
            s.add(case)
            s.flush()
            assert matches(s, "case_search", "Mueller") == {case.id}
    finally:
        engine.dispose()


def journal(case: CaseFile, staff: CaseManager, at: datetime, body: str,
            place: str | None = None) -> JournalEntry:
    return JournalEntry(case_id=case.id, occurred_at=at, contact_kind="office", text=body,
                        place=place, author_id=staff.id)


def test_journal_search_is_exact_and_newest_first(session: LotseSession) -> None:
    s = session
    staff = add_staff(s)
    s.flush()
    case = new_case(add_person(s, "Nowak", "Piotr"), staff, "MS-2026-AB-0001")
    s.add(case)
    s.flush()
    old = journal(case, staff, T0 - timedelta(days=40), "Termin beim Jobcenter vereinbart")
    mid = journal(case, staff, T0 - timedelta(days=3), "Wohnungssuche besprochen",
                  place="Gemeinschaftsunterkunft Aaseeblick")
    new = journal(case, staff, T0, "Jobcenter: Antrag abgegeben")
    s.add_all([old, mid, new])
    s.flush()

    def hits(term: str) -> list[int]:
        rows = s.execute(
            text("SELECT rowid FROM journal_search WHERE journal_search MATCH :q"
                 " ORDER BY rowid DESC"), {"q": f'"{fold_search(term)}"*'})
        return [r[0] & 0xFFFFFFFF for r in rows]

    assert hits("jobcent") == [new.id, old.id]
    assert hits("aasee") == [mid.id]  # the place is indexed too
    assert len(indexed(s, "journal_search")) == 3

    old.occurred_at = T0 + timedelta(days=1)  # a corrected date moves it to the front
    s.flush()
    assert hits("jobcent") == [old.id, new.id]
    assert len(indexed(s, "journal_search")) == 3

    new.text = "Ausländerbehörde: Duldung verlängert"
    s.flush()
    assert hits("jobcent") == [old.id]
    assert hits("duldung") == [new.id]

    mid.deleted = True
    s.flush()
    assert hits("aasee") == []
    mid.deleted = False
    mid.place = None
    s.flush()
    assert hits("aasee") == []
    assert hits("wohnung") == [mid.id]

    s.delete(old)
    s.flush()
    assert hits("jobcent") == []
    assert {k & 0xFFFFFFFF for k in indexed(s, "journal_search")} == {mid.id, new.id}


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
