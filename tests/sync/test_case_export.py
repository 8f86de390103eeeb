"""The two ways a case selection becomes a bundle's rows write the same payload bytes: through
images (``case_images`` + ``encode_images``, small selections) and straight from the read
columns (``case_encoded``, bundles of many cases). Real vaults with demo cases, an open field
conflict (its other value travels as an alternative), a tombstone and field stamps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.bundle import payload
from app.bundle.records import TRANSFER, AuditHead, BundleContent, Sender
from app.sync.case_rows import (
    CONTENT_TABLES,
    SUPPORT_TABLES,
    CaseRows,
    case_encoded,
    case_images,
    every_case,
    select_case,
    table_order,
    uuids_of,
)
from app.vault.store import Vault
from db.models import CaseFile
from db.replica import images_of
from db.replica_meta import table_meta
from db.row_image import RowImage
from tests.support.replica import vault_with_conflict

HEAD = {"kind": TRANSFER, "bundle_uuid": "0f" * 16,
        "created_at": datetime(2026, 12, 5, 12, 0, tzinfo=UTC),
        "sender": Sender("a1" * 16, "AAAA", "Anna", "Anna Albers", "DO", "9c" * 32),
        "audit_head": AuditHead(7, "00" * 32), "body": {"case_uuids": ["0e" * 16]}}


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    a = vault_with_conflict(tmp_path_factory.mktemp("case-export"), seed=7)
    yield a
    a.lock()


def every_case_by_hand(s: Session) -> CaseRows:
    """Every case of the vault as one selection, the ids asked for through the session."""
    rows = CaseRows(case_id=0, case_uuid="")
    for table in (*CONTENT_TABLES, *SUPPORT_TABLES):
        ids = set(s.execute(text(f'SELECT id FROM "{table}"')).scalars())
        (rows.support if table in SUPPORT_TABLES else rows.content)[table] = ids
    return rows


def test_every_case_is_every_row_of_its_tables(vault: Vault) -> None:
    with vault.read_session() as s:
        rows = every_case(s)
        assert rows == every_case_by_hand(s)
        assert rows.content["journal_entry"] and rows.support["case_manager"]
        assert "conference" not in rows.all()


def both_payloads(s: Session, rows: CaseRows, **options: object) -> tuple[bytes, bytes, int]:
    images, newest = case_images(s, rows, **options)  # type: ignore[arg-type]
    encoded, newest_too = case_encoded(s, rows, **options)  # type: ignore[arg-type]
    assert newest == newest_too
    slow = payload.encode(BundleContent(rows=tuple(images), **HEAD))  # type: ignore[arg-type]
    fast = payload.encode(BundleContent(**HEAD), encoded)  # type: ignore[arg-type]
    # What was sent comes back: alternatives, tombstones, vectors and stamps included.
    assert payload.decode(fast).rows == tuple(images)
    return slow, fast, len(images)


def test_every_case_the_same_bytes_both_ways(vault: Vault) -> None:
    with vault.read_session() as s:
        images, _ = case_images(s, every_case(s))
        assert any(i.alternatives for i in images) and any(i.deleted for i in images)
        assert any(i.field_stamps for i in images)
        slow, fast, n = both_payloads(s, every_case(s))
    assert n > 500 and fast == slow


def selected_images(s: Session, rows: CaseRows) -> tuple[list[RowImage], int]:
    """The images a whole selection should give, made one by one: each table's rows through
    ``images_of`` in table order and by uuid, references to rows that do not travel (a
    conference) emptied; and how many references were emptied."""
    uuids = {table: uuids_of(s, table, ids) for table, ids in rows.all().items()}
    out = []
    emptied = 0
    for table in table_order():
        meta = table_meta(table)
        for image in sorted(images_of(s, table, uuids.get(table, ())), key=lambda i: i.uuid):
            values = dict(image.values)
            for column, target in meta.fks.items():
                if meta.table.c[column].nullable and values[column] is not None \
                        and values[column] not in uuids.get(target, ()):
                    values[column] = None
                    emptied += 1
            out.append(replace(image, values=values))
    return out, emptied


def test_every_case_as_the_rows_one_by_one(vault: Vault) -> None:
    with vault.read_session() as s:
        images, _ = case_images(s, every_case(s))
        expected, emptied = selected_images(s, every_case(s))
    assert images == expected
    assert emptied, "the demo cases refer to a conference somewhere"


def test_one_case_and_its_deltas_the_same_bytes_both_ways(vault: Vault) -> None:
    with vault.read_session() as s:
        ids = list(s.execute(select(CaseFile.id).order_by(CaseFile.id)).scalars())
        for case_id in ids[:4] + ids[-1:]:
            rows = select_case(s, case_id)
            for options in ({}, {"changed_after": datetime(2026, 1, 1, tzinfo=UTC)},
                            {"changed_after": datetime(2099, 1, 1, tzinfo=UTC)},
                            {"skip_changed_by": vault.info.vault_uuid}):
                slow, fast, _ = both_payloads(s, rows, **options)
                assert fast == slow, (case_id, options)
