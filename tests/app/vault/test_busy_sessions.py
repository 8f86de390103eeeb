"""Another Lotse process writes: every unit of work that writes (an audited read writes its audit
entry) waits for it and succeeds, or says the vault is busy when it takes longer than the wait;
pure reads neither wait nor hold the write lock; a read session refuses any write."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, text

from app import audit
from app.errors import VaultBusy
from app.faults import BUSY_DE
from app.services.audit.read import case_history
from app.services.cases.read import list_cases, record_view
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent, withdraw_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.journal import read as journal_read
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.services.search.read import search_names
from app.services.today.read import today_overview
from app.settings import load_settings
from app.vault.store import Vault
from db.engine import WAITING, configure_waiting
from db.errors import WriteInReadSession
from db.models import AuditLog, Consent, JournalEntry
from tests.conftest import PASSPHRASE, ROOT
from tests.support.write_holder import OtherWriter

HOLD = 1.0  # how long the other process writes: well below this process's wait (5 s)


@dataclass(frozen=True)
class Case:
    id: int
    consent: str


@pytest.fixture
def case(vault: Vault) -> Case:
    case_id = create_case(vault, NewCase("Mariam", "Haidari", "DO"))
    jobcenter = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    consent = record_consent(vault, case_id, NewConsent(jobcenter, ["education_work"],
                                                        "Vermittlung", date(2026, 3, 1)))
    return Case(case_id, consent)


@pytest.fixture
def other(vault: Vault, vault_dir: object) -> Iterator[OtherWriter]:
    writer = OtherWriter(vault.folder, PASSPHRASE, ROOT)
    yield writer
    writer.quit()


@pytest.fixture
def short_wait() -> Iterator[None]:
    before = (WAITING.seconds, WAITING.notice)
    configure_waiting(0.3)
    yield
    configure_waiting(*before)


def _entry() -> NewJournalEntry:
    return NewJournalEntry("phone", "Rückruf Jobcenter wegen Maßnahme",
                           datetime(2026, 11, 25, 9, 0, tzinfo=UTC))


def _actions(vault: Vault, case: Case) -> dict[str, Callable[[], object]]:
    """What the desktop does: a person turns to a case-file section (its view is audited),
    saves a journal entry, withdraws a consent (each reads first, then writes)."""
    return {
        "journal section": lambda: record_view(vault, case.id, "journal"),
        "journal entry": lambda: add_journal_entry(vault, case.id, _entry()),
        "withdrawal": lambda: withdraw_consent(vault, case.consent, date(2026, 11, 25)),
    }


def _reads_of_journal(vault: Vault) -> int:
    with vault.read_session() as s:
        rows = s.execute(select(AuditLog.detail).where(
            AuditLog.kind == audit.Kind.CASE_READ)).scalars()
        return sum(1 for d in rows if d.get("section") == "journal")


def _state(vault: Vault, case: Case) -> tuple[int, int, int, date | None]:
    with vault.read_session() as s:
        entries = s.execute(select(func.count()).select_from(AuditLog)).scalar_one()
        journal = s.execute(select(func.count()).select_from(JournalEntry)).scalar_one()
        withdrawn = s.execute(select(Consent.withdrawn_on).where(
            Consent.uuid == case.consent)).scalar_one()
    return entries, _reads_of_journal(vault), journal, withdrawn


def test_audited_reads_and_edits_wait_for_another_writer_and_succeed(
        vault: Vault, case: Case, other: OtherWriter) -> None:
    for name, action in _actions(vault, case).items():
        other.hold(HOLD)  # the other process writes for a second from now
        try:
            action()  # without waiting, this failed at once with "busy"
        except VaultBusy:
            pytest.fail(f"{name}: gave up instead of waiting for the other process")
        finally:
            other.released()
    _, journal_reads, journal, withdrawn = _state(vault, case)
    assert journal_reads == 1  # the section's read is in the audit log
    assert journal == 1 and withdrawn == date(2026, 11, 25)
    assert [r.text for r in journal_read.journal(vault, case.id)] == [_entry().text]


def test_held_longer_than_the_wait_each_says_the_vault_is_busy_and_writes_nothing(
        vault: Vault, case: Case, other: OtherWriter, short_wait: None) -> None:
    before = _state(vault, case)
    other.hold()  # until told
    try:
        for name, action in _actions(vault, case).items():
            with pytest.raises(VaultBusy) as err:
                action()
            assert err.value.message_de == BUSY_DE, name
    finally:
        other.release()
    assert _state(vault, case) == before


def test_pure_reads_neither_wait_for_nor_hold_the_write_lock(
        vault: Vault, case: Case, other: OtherWriter, short_wait: None) -> None:
    other.hold()
    try:  # Heute, the case list, search as you type: unaffected by the other writer
        assert [r.id for r in list_cases(vault).rows] == [case.id]
        assert [h.case_id for h in search_names(vault, "Haid")] == [case.id]
        today_overview(vault)
        assert case_history(vault, case.id)
        journal_read.journal(vault, case.id)  # loading a section: its view was audited apart
        load_settings(vault)
    finally:
        other.release()
    # A read in progress here (the desktop's Heute thread, say) does not keep the other
    # process from writing: it takes the lock at once, while this read still goes on.
    with vault.read_session() as s:
        assert s.execute(select(func.count()).select_from(AuditLog)).scalar_one() > 0
        other.hold()
        other.release()


def test_a_read_session_refuses_writes_and_writers_are_unaffected(vault: Vault,
                                                                   case: Case) -> None:
    before = _state(vault, case)
    with pytest.raises(WriteInReadSession), vault.read_session() as s:
        s.execute(text("UPDATE consent SET purpose = 'x'"))
    with pytest.raises(WriteInReadSession), vault.read_session() as s:
        audit.record(s, audit.Kind.CASE_READ, "case", "0" * 32, section="journal")
    with pytest.raises(WriteInReadSession), vault.read_session() as s:
        s.execute(select(Consent).where(Consent.uuid == case.consent)).scalar_one() \
            .purpose = "geändert"  # never flushed: would vanish without a word
    assert _state(vault, case) == before
    withdraw_consent(vault, case.consent, date(2026, 11, 25))  # a unit that writes, writes
    assert _state(vault, case)[3] == date(2026, 11, 25)
