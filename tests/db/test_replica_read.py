"""db.replica_read against the slow path it replaces: the same images, value for value and type
for type, from a real vault with demo cases, an open conflict and a tombstone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.vault.store import Vault
from db import replica_read
from db.replica import SYNC_TABLES, images_of
from db.replica_conflicts import open_alternatives
from db.replica_load import load_rows
from db.replica_meta import table_meta
from db.replica_read import images_by_ids, images_by_uuids
from db.row_image import RowImage
from tests.support.replica import vault_with_conflict


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    a = vault_with_conflict(tmp_path_factory.mktemp("replica-read"), seed=5)
    yield a
    a.lock()


def slow_images(s: Session, table: str, uuids: list[str]) -> list[RowImage]:
    """Images as db.replica.images_of made them before db.replica_read (SQLAlchemy Core with
    its type processors, one outer join per foreign key, open_alternatives per batch)."""
    meta = table_meta(table)
    rows = load_rows(s.connection(), meta, uuids)
    held = open_alternatives(s, meta, rows)
    travels = {*meta.content, "deleted"}
    return [RowImage(
        table=table, uuid=uuid, deleted=bool(row["deleted"]),
        origin_vault=row["origin_vault"], changed_by_vault=row["changed_by_vault"],
        version_vector={str(k): int(v) for k, v in (row["version_vector"] or {}).items()},
        field_stamps={str(k): (str(s[0]), int(s[1]))
                      for k, s in (row["field_stamps"] or {}).items() if k in travels},
        values={k: row[k] for k in meta.content},
        alternatives=held.get(uuid, {})) for uuid, row in rows.items()]


def _typed(image: RowImage) -> list[tuple[str, type, Any]]:
    return sorted((k, type(v), v) for k, v in image.values.items())


@pytest.mark.parametrize("scan", [False, True])
def test_the_same_images_as_the_slow_path(vault: Vault, scan: bool,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    if scan:  # the whole-table path a bundle of every case takes
        monkeypatch.setattr(replica_read, "SCAN_FROM", 0)
    seen = alternatives = 0
    with vault.read_session() as s:
        for table in SYNC_TABLES:
            t = table_meta(table).table
            uuids = sorted(s.execute(select(t.c.uuid)).scalars())
            ids = list(s.execute(select(t.c.id)).scalars())
            slow = {i.uuid: i for i in slow_images(s, table, uuids)}
            fast = {i.uuid: i for i in images_by_uuids(s, table, [*uuids, "00" * 16])}
            by_id = {i.uuid: i for i, _ in images_by_ids(s, table, [*ids, 10**9])}
            assert fast == slow == by_id, table
            for uuid, image in slow.items():
                assert _typed(fast[uuid]) == _typed(image), (table, uuid)
                assert type(fast[uuid].deleted) is bool
            assert images_of(s, table, uuids) == list(fast.values()) or not scan
            seen += len(slow)
            alternatives += sum(bool(i.alternatives) for i in slow.values())
    assert seen > 500 and alternatives == 1


def test_updated_at_comes_with_each_image(vault: Vault) -> None:
    with vault.read_session() as s:
        t = table_meta("case_file").table
        stored = dict(s.execute(select(t.c.uuid, t.c.updated_at)).tuples().all())
        ids = list(s.execute(select(t.c.id)).scalars())
        for image, updated_at in images_by_ids(s, "case_file", ids):
            assert updated_at.tzinfo is None and stored[image.uuid].replace(
                tzinfo=None) == updated_at


def test_the_newest_update_is_the_latest_time(vault: Vault) -> None:
    with vault.read_session() as s:
        for table in ("case_file", "journal_entry", "task"):
            ids = list(s.execute(select(table_meta(table).table.c.id)).scalars())
            read = replica_read.read_by_ids(s, table, ids)
            assert read.newest() == max(read.updated_at())
    # Texts of another shape are not compared as texts ("T" sorts after " ").
    mixed = replica_read.TableRows("task", (), ["a", "b"], [], [], [], [], [], [], {},
                                   ["2026-01-01T10:00:00", "2026-01-01 11:00:00.000000"])
    assert mixed.newest() == datetime(2026, 1, 1, 11, 0)
