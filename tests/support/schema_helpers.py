"""Shared stores, fixtures and records for the schema tests (tests/test_schema*.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlcipher3 import dbapi2 as sqlcipher

from db import schema
from db.engine import SQL_FUNCTIONS, engine_over
from db.folding import fold_search, fold_sort
from db.models import CaseFile, CaseManager, JournalEntry, Person
from db.sync import VAULT_KEY, LotseSession

VAULT_A = "a" * 32
VAULT_B = "b" * 32
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def unencrypted_engine(path: Path) -> Engine:
    """An unencrypted store with the real engine's DB-API module (sqlcipher3 bundles the SQLite
    with FTS5 contentless_delete), pool, transaction handling and SQL functions."""

    def creator() -> Any:
        conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        for name, function in SQL_FUNCTIONS.items():
            conn.create_function(name, 1, function, deterministic=True)
        return conn

    return engine_over(creator)


def migrated_engine(path: Path) -> Engine:
    engine = unencrypted_engine(path)
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


def journal(case: CaseFile, staff: CaseManager, at: datetime, body: str,
            place: str | None = None) -> JournalEntry:
    return JournalEntry(case_id=case.id, occurred_at=at, contact_kind="office", text=body,
                        place=place, author_id=staff.id)
