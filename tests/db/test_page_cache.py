"""A caseload-sized import writes with a large page cache and hands it back: an open vault keeps
its usual memory footprint after a bundle, whether the apply succeeded or failed; a daily
bundle leaves the cache alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.tasks.write import add_task
from app.vault.store import Vault
from db import replica_apply
from db.page_cache import BULK_CACHE_KIB, bulk_page_cache
from db.replica import apply_images
from tests.support.replica import SENT_AT, all_images, make_vault


def _cache_size(conn: Any) -> int:
    return int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())


def _apply_watching_cache(a: Vault, b: Vault) -> tuple[list[int], int, int]:
    """A's case with a task applied to B: the cache size B had when the task row went in,
    before and after the apply."""
    add_task(a, create_case(a, NewCase("Ayşe", "Öztürk", "DO")), "Termin ABH", None)
    images = all_images(a)
    seen: list[int] = []

    def look(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith('INSERT INTO main."task"'):
            seen.append(int(cursor.connection.execute("PRAGMA cache_size").fetchone()[0]))

    with b.session() as s:
        before = _cache_size(s.connection())
        event.listen(b.engine, "before_cursor_execute", look)
        try:
            result = apply_images(s, images, remote_vault=a.info.vault_uuid,
                                  author=None, changed_at=SENT_AT)
        finally:
            event.remove(b.engine, "before_cursor_execute", look)
        assert result.inserted and not result.refused
        after = _cache_size(s.connection())
        s.rollback()
    return seen, before, after


def test_a_large_import_writes_with_the_large_cache_and_hands_it_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica_apply, "BULK_CACHE_FROM_ROWS", 1)  # this bundle counts as large
    a = make_vault(tmp_path / "a", "AAAA", "Anna Albers")
    b = make_vault(tmp_path / "b", "BBBB", "Bernd Brandt")
    try:
        seen, before, after = _apply_watching_cache(a, b)
        assert seen == [-BULK_CACHE_KIB]  # the rows went in under the large cache
        assert after == before != -BULK_CACHE_KIB
    finally:
        a.lock()
        b.lock()


def test_a_small_bundle_leaves_the_cache_alone(tmp_path: Path) -> None:
    a = make_vault(tmp_path / "a", "AAAA", "Anna Albers")
    b = make_vault(tmp_path / "b", "BBBB", "Bernd Brandt")
    try:
        seen, before, after = _apply_watching_cache(a, b)
        assert seen == [before] and after == before != -BULK_CACHE_KIB
    finally:
        a.lock()
        b.lock()


def test_a_failed_write_hands_the_cache_back_and_keeps_its_error(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "v", "VVVV")
    try:
        with vault.session() as s:
            conn = s.connection()
            before = _cache_size(conn)
            with pytest.raises(ZeroDivisionError), bulk_page_cache(conn):
                assert _cache_size(conn) == -BULK_CACHE_KIB
                _ = 1 / 0
            assert _cache_size(conn) == before
    finally:
        vault.lock()
