"""A tombstone keeps its uuid, sync metadata and required structure only; nothing written into
it later is stored; the clearing is stamped as part of the deletion."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import UniqueConstraint, func, select

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.editing import tombstone
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.vault.store import Vault
from db.models import JournalEntry
from db.sync import derived_columns
from db.tombstones import content_predicate, declared_keeps, kept_columns, neutral_values
from tests.support.row_filler import MARKER, SYNCED, fill_every_table, marker_columns

# Not under a constraint, kept all the same: the owner reference is a NOT NULL foreign key in all
# but name (owner table + uuid, so one table serves every kind of owner).
REFERENCES = {("attachment", "owner_table"), ("attachment", "owner_uuid")}


def _table(model: type[Any]) -> Any:
    return model.__table__


def _constrained(model: type[Any]) -> set[str]:
    """NOT NULL, non-foreign-key columns under a UNIQUE or CHECK constraint."""
    table = _table(model)
    names: set[str] = set()
    for c in table.constraints:
        if isinstance(c, UniqueConstraint):
            names.update(col.name for col in c.columns)
        names.update(re.findall(r"(\w+) IN \(", str(getattr(c, "sqltext", ""))))
    names.update(col.name for col in table.columns if col.unique)
    return {n for n in names if not table.c[n].nullable and not table.c[n].foreign_keys}


def test_declared_keeps_are_exactly_the_constrained_columns() -> None:
    for model in SYNCED:
        name = _table(model).name
        needed = _constrained(model) - {"uuid"}
        declared = set(declared_keeps(model))
        assert needed <= kept_columns(model), f"{name}: {needed - kept_columns(model)} not kept"
        extra = {c for c in declared - needed if (name, c) not in REFERENCES}
        assert not extra, f"{name} keeps {extra} without a constraint that needs it"
        assert declared <= set(_table(model).c.keys()), name


def test_every_kind_of_record_becomes_an_empty_tombstone(vault: Vault) -> None:
    with vault.engine.begin() as conn:
        ids = fill_every_table(conn, vault.info.vault_uuid)
    kept_before: dict[str, dict[str, Any]] = {}
    changed: dict[str, set[str]] = {}
    with vault.session() as s:
        for model in SYNCED:
            row = s.get_one(model, ids[_table(model).name])
            changed[_table(model).name] = {k for k, v in neutral_values(model).items()
                                           if getattr(row, k) != v} - derived_columns(row)
            kept_before[_table(model).name] = {k: getattr(row, k) for k in kept_columns(model)
                                                if k not in {"deleted", "field_stamps",
                                                             "version_vector", "updated_at",
                                                             "changed_by_vault"}}
            row.deleted = True
    with vault.engine.connect() as conn:
        for model in SYNCED:
            name = _table(model).name
            kept = kept_columns(model)
            leaked = [c for c in marker_columns(conn, name) if c.split(".")[1] not in kept]
            assert leaked == [], leaked
            holding = conn.execute(select(func.count()).select_from(_table(model)).where(
                _table(model).c.deleted.is_(True), content_predicate(model))).scalar_one()
            assert holding == 0, name
    with vault.session() as s:
        for model in SYNCED:
            row = s.get_one(model, ids[_table(model).name])
            name = _table(model).name
            assert {k: getattr(row, k) for k in kept_before[name]} == kept_before[name], name
            assert {k: getattr(row, k) for k in neutral_values(model)} == neutral_values(model)
            # One event: "deleted" and every cleared field carry the same, newest stamp.
            stamps = row.field_stamps
            newest = [vault.info.vault_uuid, row.version_vector[vault.info.vault_uuid]]
            assert stamps["deleted"] == newest, name
            assert {tuple(v) for v in stamps.values()} == {tuple(newest)}, name
            assert changed[name] <= set(stamps), name


def test_nothing_written_into_a_tombstone_is_kept(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Amina", "Yusuf", "DO"))
    entry = add_journal_entry(vault, cid, NewJournalEntry("office", "Erstgespräch",
                                                          vault.clock.now()))
    with vault.session() as s:
        tombstone(s, s.get_one(JournalEntry, entry))
    with vault.session() as s:
        row = s.get_one(JournalEntry, entry)
        vector, stamps = dict(row.version_vector), dict(row.field_stamps)
        row.text, row.place = f"{MARKER} nachgetragen", "Dortmund"
        row.occurred_at = row.occurred_at + timedelta(days=3)
    with vault.session() as s:
        row = s.get_one(JournalEntry, entry)
        assert (row.text, row.place, row.occurred_at.year) == ("", None, 1970)
        # Nothing changed, so no new event either: other vaults see no edit of a tombstone.
        assert (row.version_vector, row.field_stamps) == (vector, stamps)


def test_a_row_arriving_as_a_tombstone_holds_nothing(vault: Vault) -> None:
    """How a deletion from another vault may be stored: created already deleted."""
    cid = create_case(vault, NewCase("Amina", "Yusuf", "DO"))
    with vault.session() as s:
        author = s.execute(select(JournalEntry.author_id)).scalar()
        s.add(JournalEntry(case_id=cid, occurred_at=vault.clock.now(), contact_kind="office",
                           text=f"{MARKER} von woanders", author_id=author or 1, deleted=True))
    with vault.engine.connect() as conn:
        assert marker_columns(conn, "journal_entry") == []
