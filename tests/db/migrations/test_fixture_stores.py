"""Stores made by every released schema revision (tests/fixtures/schema_*, each made once by the
code of its revision: tests/fixtures/README.md) open with today's code, migrate to head, and keep
every record, searchable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from app.check import run_check
from app.services.search.read import search_journal, search_names
from app.vault.keyfile import KeyFile
from app.vault.store import DB_NAME, KEY_NAME, open_vault
from db import schema
from db.engine import connect_raw
from tests.conftest import PASSPHRASE, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
VERSIONS = ROOT / "db" / "migrations" / "versions"
# What tests/fixtures/make_store.py writes: (given names, family name, journal note).
CASES = [("Ayşe", "Öztürk", "Rückruf Jobcenter wegen Sprachkurs"),
         ("Mariam", "Haidari", "Termin Ausländerbehörde Duldung verlängert"),
         ("Łukasz", "Wójcik", "Wohnungssuche mit Straßensozialarbeit besprochen")]
RELEASED = sorted(p.name[:4] for p in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def test_every_released_revision_has_its_fixture_store() -> None:
    """A new migration comes with a store made by the code that introduced it."""
    assert RELEASED[:5] == ["0001", "0002", "0003", "0004", "0005"]
    assert sorted(p.name for p in FIXTURES.glob("schema_*")) == [f"schema_{r}" for r in RELEASED]


def _copy(revision: str, tmp_path: Path) -> Path:
    """A private copy, owner-only as a vault must be (git keeps no modes; opening writes)."""
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES / f"schema_{revision}", folder)
    folder.chmod(0o700)
    for f in folder.iterdir():
        f.chmod(0o600)
    return folder


def _revision_of(folder: Path) -> str | None:
    key = KeyFile.load(folder / KEY_NAME).unwrap(PASSPHRASE)
    con = connect_raw(folder / DB_NAME, key)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]  # type: ignore[no-any-return]
    finally:
        con.close()


@pytest.mark.parametrize("revision", RELEASED)
def test_fixture_store_migrates_to_head_with_every_record_searchable(
        revision: str, tmp_path: Path) -> None:
    folder = _copy(revision, tmp_path)
    assert _revision_of(folder) == revision, "the fixture was not made at its own revision"
    with open_vault(folder, PASSPHRASE) as vault:  # migrates before any other use
        with vault.engine.connect() as conn:
            assert schema.current_revision(conn) == RELEASED[-1]
            assert conn.execute(text("SELECT count(*) FROM case_file")).scalar_one() == 3
        for given, family, note in CASES:
            hits = search_names(vault, family[:3])
            assert [(h.given_names, h.family_name) for h in hits] == [(given, family)], family
            found = search_journal(vault, note.split()[-1])
            assert [h.case_id for h in found] == [hits[0].case_id], note
        report = run_check(vault)
        assert report.ok, report
    assert _revision_of(folder) == RELEASED[-1]
