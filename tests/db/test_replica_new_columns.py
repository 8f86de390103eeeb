"""New rows of a bundle made column by column for a whole table (``NewColumns``) hold exactly
what the row path (``NewRows``, one image at a time) makes of the same images: same columns,
same values, same types, row by row (foreign keys, ids and sort keys looked up per row)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.demo.generator import generate_demo
from app.services.cases.write import update_person
from app.vault.store import Vault
from db.models import CaseFile, JournalEntry
from db.replica import SYNC_TABLES
from db.replica_bulk import insert_columns
from db.replica_meta import table_meta
from db.replica_new import NewColumns, NewRows
from tests.support.replica import all_images, make_vault

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


def _typed(row: dict[str, Any]) -> dict[str, tuple[type, Any]]:
    return {k: (type(v), v) for k, v in row.items()}  # True and 1 are equal, not alike


def _ids(images: list[Any]) -> dict[str, dict[str, int]]:
    """A local id for every image, per table: every parent known."""
    return {name: {i.uuid: n for n, i in enumerate(images, 1) if i.table == name}
            for name in SYNC_TABLES}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Any:
    vault = make_vault(tmp_path_factory.mktemp("columns") / "a", "AAAA", "Anna Albers")
    generate_demo(vault, 12, seed=7)
    with vault.session() as s:  # a tombstone, and a person with a field stamp of an edit
        s.execute(select(JournalEntry).limit(1)).scalar_one().deleted = True
        case_id = s.execute(select(CaseFile.id).limit(1)).scalar_one()
    update_person(vault, case_id, family_name="Nowak-Şahin")
    yield vault
    vault.lock()


def test_columns_hold_what_the_row_path_makes_of_every_table(source: Any) -> None:
    images = all_images(source)
    ids = _ids(images)
    compared = set()
    for name in SYNC_TABLES:
        mine = [i for i in images if i.table == name]
        if not mine:
            continue
        meta = table_meta(name)
        columns = NewColumns(meta, ids, NOW).columns(mine)
        assert columns is not None
        assert set(columns) == {c.name for c in meta.table.columns}
        row_path = NewRows(meta, ids, NOW)
        for at, image in enumerate(mine):
            expected = row_path(image)
            assert expected is not None
            assert _typed({k: columns[k][at] for k in expected}) == _typed(expected), name
        compared.add(name)
    # The demo reaches every kind of row that matters here: foreign keys, the person's sort
    # key, a tombstone, a field stamp.
    assert {"person", "case_file", "journal_entry", "consent_scope", "task"} <= compared
    assert any(i.deleted for i in images if i.table == "journal_entry")
    assert any(i.field_stamps for i in images if i.table == "person")


def test_a_parent_not_known_here_sends_the_table_row_by_row(source: Any) -> None:
    images = [i for i in all_images(source) if i.table == "task"]
    ids = {"task": {i.uuid: n for n, i in enumerate(images, 1)}, "case_file": {}}
    assert NewColumns(table_meta("task"), ids, NOW).columns(images) is None


def test_insert_columns_refuses_a_missing_or_short_column(vault: Vault) -> None:
    table = table_meta("task").table
    with vault.session() as s:
        conn = s.connection()
        full = {c.name: [None, None] for c in table.columns}
        with pytest.raises(KeyError):
            insert_columns(conn, table, {k: v for k, v in full.items() if k != "uuid"})
        with pytest.raises(ValueError, match="different lengths"):
            insert_columns(conn, table, {**full, "uuid": ["x"]})
        s.rollback()


def test_nothing_to_insert_writes_nothing(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "v", "VVVV")
    try:
        table = table_meta("task").table
        with vault.session() as s:
            before = s.execute(select(table.c.id)).all()
            insert_columns(s.connection(), table, {c.name: [] for c in table.columns})
            assert s.execute(select(table.c.id)).all() == before
    finally:
        vault.lock()


def test_counters_that_are_not_ints_become_ints_as_in_the_row_path(source: Any) -> None:
    every = all_images(source)
    ids = _ids(every)
    images = [i for i in every if i.table == "task"]
    odd = [replace(images[0], version_vector={k: True for k in images[0].version_vector}),
           *images[1:]]
    meta = table_meta("task")
    columns = NewColumns(meta, ids, NOW).columns(odd)
    assert columns is not None
    made = NewRows(meta, ids, NOW)(odd[0])
    assert made is not None
    assert _typed({"v": columns["version_vector"][0]}) == _typed({"v": made["version_vector"]})
    assert set(map(type, columns["version_vector"][0].values())) == {int}
