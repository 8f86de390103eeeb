"""`lotse check` reports tombstones that still hold content and documents their deleted owner
left behind: counts and uuids, never the content (exit 3)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.check import run_check
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.documents.write import add_attachment
from app.services.editing import tombstone
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.vault.store import Vault
from db.models import CaseFile, JournalEntry
from tests.conftest import run_cli

SECRET = "ZQXCHECK3381Geheimnis"


def test_a_tombstone_holding_content_fails_the_check(vault: Vault, vault_dir: Path) -> None:
    cid = create_case(vault, NewCase("Amina", "Yusuf", "DO"))
    entry = add_journal_entry(vault, cid, NewJournalEntry("office", "Erstgespräch",
                                                          vault.clock.now()))
    with vault.session() as s:
        tombstone(s, s.get_one(JournalEntry, entry))
        uuid = s.get_one(JournalEntry, entry).uuid
    assert run_check(vault).ok
    # As a vault of an older version (or a write past the ORM) could have it.
    with vault.engine.begin() as conn:
        conn.execute(text("UPDATE journal_entry SET text = :t WHERE id = :i"),
                     {"t": SECRET, "i": entry})
    report = run_check(vault)
    assert report.problems == [f"1 deleted rows in journal_entry still hold content: {uuid}"]
    vault.lock()
    res = run_cli("check", vault=vault_dir)
    assert res.returncode == 3, res.stdout + res.stderr
    assert uuid in res.stdout and SECRET not in res.stdout + res.stderr


def test_documents_left_behind_by_a_deleted_case_fail_the_check(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Amina", "Yusuf", "DO"))
    owner = get_case(vault, cid).uuid
    doc = add_attachment(vault, "case_file", owner, "Bescheid.pdf", "application/pdf",
                         b"%PDF-1.4 " + SECRET.encode())
    with vault.session() as s:
        s.get_one(CaseFile, cid).deleted = True  # past editing.tombstone: documents stay
    report = run_check(vault)
    assert report.problems == [f"1 documents of deleted case_file rows are not deleted: {doc}"]
