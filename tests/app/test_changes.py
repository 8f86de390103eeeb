"""Typed change records: every committed write reports the kinds and ids it touched, by itself."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select, update

from app.backup import backup
from app.changes import Changes, Kind, recording
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.services.residence.records import NewStatus
from app.services.residence.write import add_status
from app.services.tasks.write import add_task
from app.settings import update_settings
from app.vault.store import Vault
from db.models import (
    CaseFile,
    Consent,
    ConsentScope,
    Goal,
    JournalEntry,
    Measure,
    ResidenceStatus,
)


def _changes(vault: Vault, work) -> Changes:  # type: ignore[no-untyped-def]
    with recording() as rec:
        work()
    return rec.changes


def _case(vault: Vault, family: str) -> int:
    return create_case(vault, NewCase(given_names="Amina", family_name=family, municipality="DO"))


def test_creating_a_case_reports_the_case_and_its_person(vault: Vault) -> None:
    with recording() as rec:
        case_id = _case(vault, "Haddad")
    assert rec.changes.cases == {case_id}
    assert rec.changes.ids_of(Kind.CASE) == {case_id}
    assert rec.changes.touches(Kind.PERSON)
    assert not rec.changes.touches(Kind.DIRECTORY, Kind.GAP, Kind.SETTINGS)


def test_a_journal_entry_touches_its_case_only(vault: Vault) -> None:
    first, second = _case(vault, "Haddad"), _case(vault, "Öztürk")
    entry = NewJournalEntry(contact_kind="office", text="Erstgespräch",
                            occurred_at=datetime(2026, 12, 1, 10, tzinfo=UTC))
    changes = _changes(vault, lambda: add_journal_entry(vault, first, entry))
    assert changes.touches(Kind.JOURNAL)
    assert changes.cases == {first}
    assert changes.touches_case(first) and not changes.touches_case(second)
    with vault.read_session() as s:
        entry_id = s.execute(select(JournalEntry.id).where(
            JournalEntry.case_id == first)).scalar_one()
    assert changes.ids_of(Kind.JOURNAL) == {entry_id}


def test_a_status_names_its_case_through_the_person(vault: Vault) -> None:
    first, second = _case(vault, "Haddad"), _case(vault, "Öztürk")
    status = NewStatus(kind="aufenthaltsgestattung", valid_from=date(2026, 1, 1),
                       valid_until=date(2027, 1, 1))
    add_status(vault, second, status)

    def correct_note() -> None:  # a plain edit of the status row, nothing else
        with vault.session() as s:
            s.execute(select(ResidenceStatus)).scalar_one().note = "Fiktionsbescheinigung"

    changes = _changes(vault, correct_note)
    assert changes.kinds == {Kind.STATUS}
    assert changes.cases == {second}
    assert not changes.touches_case(first)


def test_settings_and_backups_touch_no_case(vault: Vault, tmp_path: Path) -> None:
    case_id = _case(vault, "Haddad")
    changes = _changes(vault, lambda: update_settings(vault, idle_lock_minutes=7))
    assert changes.kinds == {Kind.SETTINGS}
    assert not changes.touches_case(case_id)
    target = tmp_path / "sicherung"
    target.mkdir()
    changes = _changes(vault, lambda: backup(vault, target))
    assert not changes.touches_case(case_id)
    assert not changes.touches(Kind.CASE, Kind.PERSON, Kind.JOURNAL)


def test_the_directory_is_shown_in_every_case(vault: Vault) -> None:
    case_id = _case(vault, "Haddad")
    changes = _changes(vault, lambda: add_institution(
        vault, NewInstitution(name="Jobcenter Dortmund", kind="jobcenter")))
    assert changes.kinds == {Kind.DIRECTORY}
    assert changes.touches_case(case_id)


def test_a_bulk_statement_reports_its_kind_with_unknown_ids(vault: Vault) -> None:
    case_id = _case(vault, "Haddad")

    def bulk() -> None:
        with vault.session() as s:
            s.execute(update(ResidenceStatus).values(note="geprüft"))

    changes = _changes(vault, bulk)
    assert changes.ids_of(Kind.STATUS) is None
    assert changes.touches_case(case_id)  # which cases it touched is unknown: all of them


def test_a_failed_write_reports_nothing(vault: Vault) -> None:
    case_id = _case(vault, "Haddad")

    def failing() -> None:
        with vault.session() as s:
            case = s.execute(select(CaseFile).where(CaseFile.id == case_id)).scalar_one()
            case.phase = "assessment"
            s.flush()
            raise RuntimeError("abort")

    with recording() as rec, contextlib.suppress(RuntimeError):
        failing()
    assert not rec.changes


def test_recordings_nest_and_merge(vault: Vault) -> None:
    with recording() as outer:
        first = _case(vault, "Haddad")
        with recording() as inner:
            second = _case(vault, "Öztürk")
    assert inner.changes.cases == {second}
    assert outer.changes.cases == {first, second}


def test_a_recomputed_deadline_reports_the_case_row(vault: Vault) -> None:
    """The next deadline is written behind the unit of work (db.derived): the case list must
    still learn that the case row changed."""
    case_id = _case(vault, "Haddad")
    changes = _changes(vault, lambda: add_task(vault, case_id, "Pass abholen", date(2026, 12, 20)))
    assert changes.touches(Kind.TASK)
    assert changes.ids_of(Kind.CASE) == {case_id}


def test_rows_that_name_their_case_through_a_parent_report_that_case(vault: Vault) -> None:
    """A consent's scopes and a goal's measures carry no case id of their own."""
    first, second = _case(vault, "Haddad"), _case(vault, "Öztürk")
    inst = add_institution(vault, NewInstitution(name="Jobcenter Dortmund", kind="jobcenter"))
    consent = record_consent(vault, second, NewConsent(inst, ["residence"], "Abstimmung",
                                                       given_on=date(2026, 11, 9)))

    def add_scope_and_measure() -> None:
        with vault.session() as s:
            consent_id = s.execute(select(Consent.id).where(Consent.uuid == consent)).scalar_one()
            goal = Goal(case_id=first, life_domain="work", description="Arbeit finden")
            s.add(goal)
            s.flush()
            s.add(ConsentScope(consent_id=consent_id, data_category="health"))
            s.add(Measure(goal_id=goal.id, description="Bewerbungstraining"))

    changes = _changes(vault, add_scope_and_measure)
    assert changes.touches(Kind.CONSENT, Kind.PLAN)
    assert changes.cases == {first, second}
