"""A Nachtrag or a correction of a journal entry is a new entry pointing at it: the original
never changes, both stay visible and searchable, and the amendment is audited with its link."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app import audit
from app.errors import NotFound, ValidationFailed
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.journal.read import journal
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry, amend_journal_entry
from app.services.search.read import search_journal
from app.vault.store import Vault
from db.models import AuditLog, JournalEntry


def _entry(vault: Vault, text: str) -> NewJournalEntry:
    when = datetime.combine(vault.clock.today(), datetime.min.time()).astimezone()
    return NewJournalEntry("office", text, when - timedelta(days=2), duration_minutes=30)


def _stored(vault: Vault, entry_id: int) -> tuple[object, ...]:
    with vault.read_session() as s:
        j = s.get_one(JournalEntry, entry_id)
        return (j.text, j.entry_kind, j.duration_minutes, j.amends_id, j.updated_at)


def test_correction_and_addendum_keep_the_original(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    original = _entry(vault, "Termin beim Jobcenter am Montag vereinbart")
    oid = add_journal_entry(vault, cid, original)
    before = _stored(vault, oid)

    fixed = replace(original, entry_kind="correction",
                    text="Termin beim Jobcenter am Dienstag vereinbart")
    cor = amend_journal_entry(vault, oid, fixed)
    add = amend_journal_entry(vault, oid, replace(original, entry_kind="addendum",
                                                  text="Dolmetscherin Farsi organisiert"))
    assert _stored(vault, oid) == before  # the original is never touched
    assert _stored(vault, cor)[:4] == ("Termin beim Jobcenter am Dienstag vereinbart",
                                       "correction", 30, oid)
    assert _stored(vault, add)[1::2] == ("addendum", oid)

    rows = {r.id: r for r in journal(vault, cid)}
    assert len(rows) == 3
    assert [a.entry_id for a in rows[oid].amended_by] == [cor, add]
    assert rows[oid].corrected and not rows[cor].corrected
    assert rows[cor].amends is not None and rows[cor].amends.entry_id == oid
    assert rows[cor].amends.occurred_at == original.occurred_at
    assert rows[oid].amended_by[0].recorded_at.date() == vault.clock.today()

    # Full-text search finds the original and its correction.
    assert {h.entry_id for h in search_journal(vault, "Jobcenter")} == {oid, cor}
    with vault.read_session() as s:
        uuids = dict(s.execute(select(JournalEntry.id, JournalEntry.uuid)).tuples().all())
        created = [(a.object_uuid, dict(a.detail or {})) for a in s.execute(
            select(AuditLog).where(AuditLog.kind == audit.Kind.RECORD_CREATED,
                                   AuditLog.object_type == "journal_entry")
            .order_by(AuditLog.seq)).scalars()]
    assert [(u, d.get("amends")) for u, d in created] == [
        (uuids[oid], None), (uuids[cor], uuids[oid]), (uuids[add], uuids[oid])]


def test_bad_amendments_are_refused_and_store_nothing(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    original = _entry(vault, "Erstgespraech")
    oid = add_journal_entry(vault, cid, original)
    with pytest.raises(ValidationFailed) as same:  # a correction that changes nothing
        amend_journal_entry(vault, oid, replace(original, entry_kind="correction"))
    assert same.value.field == "text"
    with pytest.raises(ValidationFailed):  # a plain note is no amendment
        amend_journal_entry(vault, oid, replace(original, text="Neu"))
    with pytest.raises(ValidationFailed):  # and an amendment needs the entry it amends
        add_journal_entry(vault, cid, replace(original, entry_kind="addendum"))
    with pytest.raises(ValidationFailed) as empty:
        amend_journal_entry(vault, oid, replace(original, entry_kind="addendum", text="  "))
    assert empty.value.field == "text"
    with pytest.raises(NotFound):
        amend_journal_entry(vault, oid + 99, replace(original, entry_kind="addendum"))
    assert [r.id for r in journal(vault, cid)] == [oid]
