"""Deleted means deleted: what was deleted is in no page of the store, its WAL or a later backup,
read as someone holding the key would read them (every page decrypted, free pages included)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select, text

from app.backup import backup
from app.check import run_check
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.records import NewConsent
from app.services.consent.write import attach_consent_form, record_consent, record_legal_basis
from app.services.directory.records import NewAgreement, NewInstitution
from app.services.directory.write import add_agreement, add_institution, delete_agreement
from app.services.documents.write import add_attachment
from app.services.editing import tombstone
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.services.plan.records import NewGoal
from app.services.plan.write import (
    add_assessment,
    add_goal,
    add_measure,
    add_referral,
    delete_assessment,
    delete_goal,
    delete_referral,
)
from app.services.search.read import search_journal, search_names
from app.vault.store import Vault
from db.models import CaseFile, Consent, Disclosure, JournalEntry, Person
from tests.conftest import data_key
from tests.support.page_scan import hits

KINDS = ("FAMILY", "GIVEN", "JOURNAL", "PLACE", "DOCUMENT", "CONSENT", "FORM", "GOAL",
         "MEASURE", "ASSESSMENT", "REFERRAL", "AGREEMENT")
MARK = {kind: f"ZQX{kind}7731" for kind in KINDS}


def needles(kinds: tuple[str, ...] = KINDS) -> list[bytes]:
    """As written, as folded for search and sorting, and as UTF-16 (as Windows might keep it)."""
    out: list[bytes] = []
    for kind in kinds:
        out += [MARK[kind].encode(), MARK[kind].lower().encode(), MARK[kind].encode("utf-16-le")]
    return out


def _fill(vault: Vault) -> tuple[int, str]:
    """One client with a note, a document, a consent with its signed form, a plan and an
    agreement, each carrying its own marker."""
    cid = create_case(vault, NewCase(f"{MARK['GIVEN']}Vorname", f"{MARK['FAMILY']}Familie", "DO"))
    case_uuid = get_case(vault, cid).uuid
    add_journal_entry(vault, cid, NewJournalEntry(
        "office", f"{MARK['JOURNAL']} Gesprächsnotiz über die Duldung",
        vault.clock.now(), place=f"{MARK['PLACE']}strasse 5"))
    # Big enough to need overflow pages, which are freed (and must be zeroed) as a whole.
    add_attachment(vault, "case_file", case_uuid, "Bescheid.pdf", "application/pdf",
                   b"%PDF-1.4\n" + MARK["DOCUMENT"].encode() * 3000)
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    abh = add_institution(vault, NewInstitution("Ausländerbehörde", "auslaenderbehoerde", "DO"))
    consent = record_consent(vault, cid, NewConsent(jc, ["education_work"],
                                                    f"{MARK['CONSENT']} Vermittlung",
                                                    date(2026, 3, 1)))
    attach_consent_form(vault, consent, "Einwilligung.pdf", "application/pdf",
                        b"%PDF-1.4\n" + MARK["FORM"].encode() * 50)
    goal = add_goal(vault, cid, NewGoal("residence", f"{MARK['GOAL']} Aufenthalt sichern", None,
                                        None))
    add_measure(vault, goal, f"{MARK['MEASURE']} Termin ABH")
    assessment = add_assessment(vault, cid, "residence", resources=None,
                                needs=f"{MARK['ASSESSMENT']} Bedarf", client_view=None,
                                assessed_on=date(2026, 3, 1))
    # A referral discloses: its purpose goes into the disclosure log too (on a legal basis).
    record_legal_basis(vault, cid, jc, "education_work", "§ 69 SGB X", "Vermittlung",
                       date(2026, 3, 1))
    referral = add_referral(vault, cid, jc, f"{MARK['REFERRAL']} Anlass", date(2026, 3, 2),
                            ["education_work"])
    agreement = add_agreement(vault, NewAgreement(f"{MARK['AGREEMENT']} Vereinbarung", [jc, abh],
                                                  ["residence"]))
    delete_goal(vault, goal)  # with its measure
    delete_assessment(vault, assessment)
    delete_referral(vault, referral)
    delete_agreement(vault, agreement)
    return cid, consent


def _delete_client(vault: Vault, cid: int, consent_uuid: str) -> None:
    """What deleting a client takes (there is no such service yet; a tombstone arriving from
    another vault is applied the same way): through the one tombstone step."""
    with vault.session() as s:
        case = s.get_one(CaseFile, cid)
        for entry in s.execute(select(JournalEntry).where(JournalEntry.case_id == cid)).scalars():
            tombstone(s, entry)
        tombstone(s, s.execute(select(Consent).where(Consent.uuid == consent_uuid)).scalar_one())
        for disclosure in s.execute(select(Disclosure).where(Disclosure.case_id == cid)).scalars():
            tombstone(s, disclosure)  # the log names the purpose of what went out
        tombstone(s, s.get_one(Person, case.person_id))
        tombstone(s, case)  # its documents go with it


def test_deleted_records_leave_no_byte_in_store_wal_or_backup(vault: Vault, vault_dir: Path,
                                                              tmp_path: Path) -> None:
    cid, consent = _fill(vault)
    key = data_key(vault)
    # The scan can see them: every marker of a record that still exists is found.
    alive = ("FAMILY", "GIVEN", "JOURNAL", "PLACE", "DOCUMENT", "CONSENT", "FORM")
    found = " ".join(hits(key, vault_dir, needles(alive)))
    assert all(MARK[kind] in found for kind in alive), found

    _delete_client(vault, cid, consent)

    # At once, while unlocked: committed tombstones are scrubbed and the WAL truncated.
    assert hits(key, vault_dir, needles()) == []
    assert search_names(vault, MARK["FAMILY"]) == []
    assert search_journal(vault, MARK["JOURNAL"]) == []
    report = run_check(vault)
    assert report.ok, report.problems
    made = backup(vault, tmp_path)
    assert hits(key, made.path, needles()) == []
    vault.lock()
    assert hits(key, vault_dir, needles()) == []


def test_planner_samples_of_a_deleted_client_are_dropped(vault: Vault, vault_dir: Path) -> None:
    """ANALYZE (run by the demo generator and by PRAGMA optimize) copies index keys such as
    the sortable name into sqlite_stat4; deleting the client must not leave them there."""
    cid, consent = _fill(vault)
    with vault.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
        assert conn.execute(text("SELECT count(*) FROM sqlite_stat4 WHERE tbl = 'person'")
                            ).scalar()
    _delete_client(vault, cid, consent)
    assert hits(data_key(vault), vault_dir, needles(("FAMILY", "GIVEN"))) == []

