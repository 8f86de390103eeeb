"""Vaults that exchange rows directly through db.replica (no bundle files): the helpers of the
replica tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.clock import FixedClock
from app.demo.generator import generate_demo
from app.services.cases.records import NewCase
from app.services.cases.write import create_case, update_case
from app.vault.store import Vault
from db.models import CaseFile, JournalEntry
from db.models.sync_state import SyncConflict
from db.replica import SYNC_TABLES, apply_images, images_of
from db.replica_meta import table_meta
from db.row_image import ApplyResult, RowImage
from tests.support.vault_copy import copied_vault

PASSPHRASE = "korrekt Pferd Batterie Heftklammer"
SENT_AT = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)


def make_vault(folder: Path, code: str, owner: str = "Test Fallmanagerin") -> Vault:
    clock = FixedClock(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))
    return copied_vault(folder, PASSPHRASE, owner_name=owner, municipality="DO",
                        vault_code=code, clock=clock)


def all_images(vault: Vault, tables: tuple[str, ...] = SYNC_TABLES) -> list[RowImage]:
    out: list[RowImage] = []
    with vault.session() as s:
        for name in tables:
            table = table_meta(name).table
            uuids = list(s.execute(select(table.c.uuid)).scalars())
            out.extend(images_of(s, name, uuids))
    return out


def apply(vault: Vault, images: list[RowImage], sender: Vault) -> ApplyResult:
    with vault.session() as s:
        result = apply_images(s, images, remote_vault=sender.info.vault_uuid,
                              author=sender.info.owner_name, changed_at=SENT_AT)
        assert not result.refused, result.refused
        return result


def exchange(source: Vault, target: Vault) -> ApplyResult:
    return apply(target, all_images(source), source)


def snapshot(vault: Vault, only: set[tuple[str, str]] | None = None,
             ) -> dict[tuple[str, str], dict[str, Any]]:
    """Every synced row as it travels, keyed by (table, uuid) (just ``only`` if given)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for image in all_images(vault):
        if only is not None and (image.table, image.uuid) not in only:
            continue
        out[(image.table, image.uuid)] = {
            "deleted": image.deleted, "vector": dict(image.version_vector),
            "stamps": dict(image.field_stamps), "values": dict(image.values),
            "origin": image.origin_vault}
    return out


def row_keys(*vaults: Vault) -> set[tuple[str, str]]:
    """(table, uuid) of every synced row on these vaults."""
    out: set[tuple[str, str]] = set()
    for vault in vaults:
        with vault.session() as s:
            for name in SYNC_TABLES:
                table = table_meta(name).table
                out.update((name, u) for u in s.execute(select(table.c.uuid)).scalars())
    return out


def open_conflicts(vault: Vault, rows: set[str] | None = None) -> list[SyncConflict]:
    """Open conflicts (of these row uuids, if given)."""
    with vault.session() as s:
        query = select(SyncConflict).where(SyncConflict.resolved_at.is_(None))
        if rows is not None:
            query = query.where(SyncConflict.row_uuid.in_(sorted(rows)))
        rows_found = list(s.execute(query.order_by(SyncConflict.id)).scalars())
        s.expunge_all()
        return rows_found


def all_conflicts(vault: Vault) -> list[SyncConflict]:
    with vault.session() as s:
        rows = list(s.execute(select(SyncConflict).order_by(SyncConflict.id)).scalars())
        s.expunge_all()
        return rows


def vault_with_conflict(folder: Path, seed: int) -> Vault:
    """A vault of demo cases plus one with an open field conflict (its other value travels as
    an alternative), a tombstoned journal entry and field stamps; the colleague's vault that
    made the conflict is locked again."""
    a = make_vault(folder / "a", "AAAA", "Anna Albers")
    b = make_vault(folder / "b", "BBBB", "Bernd Brandt")
    generate_demo(a, 12, seed=seed)
    cid = create_case(a, NewCase("Ayşe", "Öztürk", "DO"))
    exchange(a, b)
    with a.session() as s:
        case_uuid = s.get_one(CaseFile, cid).uuid
        s.execute(select(JournalEntry).limit(1)).scalar_one().deleted = True
    update_case(a, cid, indication="von A")
    with b.session() as s:
        b_id = s.execute(select(CaseFile.id).where(CaseFile.uuid == case_uuid)).scalar_one()
    update_case(b, b_id, indication="von B")
    exchange(b, a)  # an open field conflict on A
    assert open_conflicts(a)
    b.lock()
    return a
