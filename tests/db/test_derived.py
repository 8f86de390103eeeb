"""The case row's derived columns follow every change of their sources, written as plain ORM
changes that call nothing: the flush hook (db.derived) is the only one keeping them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.editing import apply_changes, tombstone
from app.services.tasks.queries import CONSENT_LEAD_DAYS, status_lead
from app.vault.store import Vault
from db.models import (
    CaseFile,
    CaseManager,
    Consent,
    Institution,
    JournalEntry,
    ResidenceStatus,
    Task,
)


def stored(vault: Vault, case_id: int) -> tuple[date | None, datetime | None]:
    """What a fresh read of the store says, not what some session holds."""
    with vault.read_session() as s:
        row = s.execute(select(CaseFile.next_deadline, CaseFile.last_contact_at)
                        .where(CaseFile.id == case_id)).one()
    return row[0], row[1]


def deadline(vault: Vault, case_id: int) -> date | None:
    return stored(vault, case_id)[0]


def contact(vault: Vault, case_id: int) -> datetime | None:
    return stored(vault, case_id)[1]


def add(vault: Vault, row: Any) -> int:
    with vault.session() as s:
        s.add(row)
        s.flush()
        return int(row.id)


def change(vault: Vault, model: type[Any], row_id: int, **values: Any) -> None:
    with vault.session() as s:
        row = s.get_one(model, row_id)
        for name, value in values.items():
            setattr(row, name, value)


def person_of(vault: Vault, case_id: int) -> int:
    with vault.read_session() as s:
        return s.get_one(CaseFile, case_id).person_id


def test_tasks_drive_the_next_deadline(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    other = create_case(vault, NewCase("Nadia", "Karimi", "DO"))
    assert deadline(vault, cid) is None
    late = add(vault, Task(case_id=cid, title="Antrag", due_on=today + timedelta(days=20)))
    assert deadline(vault, cid) == today + timedelta(days=20)
    soon = add(vault, Task(case_id=cid, title="Termin", due_on=today - timedelta(days=3)))
    assert deadline(vault, cid) == today - timedelta(days=3)  # overdue stays the next one
    change(vault, Task, soon, due_on=today + timedelta(days=5))
    assert deadline(vault, cid) == today + timedelta(days=5)
    change(vault, Task, soon, done_on=today)
    assert deadline(vault, cid) == today + timedelta(days=20)
    change(vault, Task, late, case_id=other)  # the case it left and the case it joined
    assert (deadline(vault, cid), deadline(vault, other)) == (None, today + timedelta(days=20))
    with vault.session() as s:  # deleted through the shared helper, which calls no refresh
        tombstone(s, s.get_one(Task, late))
    assert deadline(vault, other) is None


def test_the_newest_residence_status_of_the_client_drives_every_case(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    person = person_of(vault, cid)
    lead = timedelta(days=status_lead("duldung"))
    first = add(vault, ResidenceStatus(person_id=person, kind="duldung",
                                       valid_from=today - timedelta(days=100),
                                       valid_until=today + timedelta(days=200)))
    assert deadline(vault, cid) == today + timedelta(days=200) - lead
    newer = add(vault, ResidenceStatus(person_id=person, kind="duldung",
                                       valid_from=today - timedelta(days=10),
                                       valid_until=today + timedelta(days=400)))
    assert deadline(vault, cid) == today + timedelta(days=400) - lead  # the old one was replaced
    change(vault, ResidenceStatus, newer, valid_until=today + timedelta(days=300))
    assert deadline(vault, cid) == today + timedelta(days=300) - lead
    change(vault, ResidenceStatus, newer, valid_from=today - timedelta(days=200))
    assert deadline(vault, cid) == today + timedelta(days=200) - lead  # now the first is newest
    # A second case of the same client, written as a plain row, starts with the deadline.
    with vault.session() as s:
        case = s.get_one(CaseFile, cid)
        second = CaseFile(case_number="DO-2026-T3ST-9999", person_id=person, municipality="DO",
                          case_manager_id=case.case_manager_id, opened_on=today,
                          sort_name=case.sort_name)
        s.add(second)
        s.flush()
        assert second.next_deadline == today + timedelta(days=200) - lead  # the held object too
        second_id = second.id
    assert deadline(vault, second_id) == today + timedelta(days=200) - lead
    change(vault, ResidenceStatus, first, deleted=True)
    change(vault, ResidenceStatus, newer, deleted=True)
    assert (deadline(vault, cid), deadline(vault, second_id)) == (None, None)


def test_consents_drive_the_next_deadline_until_withdrawn(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Nadia", "Karimi", "DO"))
    person = person_of(vault, cid)
    jc = add_institution(vault, NewInstitution("Jobcenter Dortmund", "jobcenter", "DO"))
    with vault.read_session() as s:
        inst = s.execute(select(Institution.id).where(Institution.uuid == jc)).scalar_one()
    lead = timedelta(days=CONSENT_LEAD_DAYS)
    consent = add(vault, Consent(person_id=person, case_id=cid, institution_id=inst,
                                 purpose="Vermittlung", given_on=today - timedelta(days=30),
                                 valid_until=today + timedelta(days=90)))
    assert deadline(vault, cid) == today + timedelta(days=90) - lead
    with vault.session() as s:  # the generic editing helper: no service remembers anything
        apply_changes(s, s.get_one(Consent, consent), {"valid_until": today + timedelta(60)})
    assert deadline(vault, cid) == today + timedelta(days=60) - lead
    change(vault, Consent, consent, withdrawn_on=today)
    assert deadline(vault, cid) is None
    change(vault, Consent, consent, withdrawn_on=None)
    assert deadline(vault, cid) == today + timedelta(days=60) - lead
    with vault.session() as s:
        s.delete(s.get_one(Consent, consent))  # even a row removed outright
    assert deadline(vault, cid) is None


def test_a_closed_case_keeps_only_its_tasks(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    add(vault, ResidenceStatus(person_id=person_of(vault, cid), kind="duldung",
                               valid_until=today + timedelta(days=100)))
    add(vault, Task(case_id=cid, title="Abschlussbericht", due_on=today + timedelta(days=90)))
    computed = today + timedelta(days=100 - status_lead("duldung"))
    assert deadline(vault, cid) == min(computed, today + timedelta(days=90))
    change(vault, CaseFile, cid, phase="closed")
    assert deadline(vault, cid) == today + timedelta(days=90)
    change(vault, CaseFile, cid, phase="monitoring")
    assert deadline(vault, cid) == min(computed, today + timedelta(days=90))


def test_the_last_contact_is_the_newest_live_journal_entry(vault: Vault) -> None:
    cid = create_case(vault, NewCase("Nadia", "Karimi", "DO"))
    with vault.read_session() as s:
        author = s.execute(select(CaseManager.id)).scalars().first()
    at = [datetime(2026, 11, day, 10, 0, tzinfo=UTC) for day in (2, 9, 16)]

    def entry(when: datetime) -> JournalEntry:
        return JournalEntry(case_id=cid, occurred_at=when, contact_kind="office",
                            text="Gespräch", author_id=author)

    assert contact(vault, cid) is None
    middle = add(vault, entry(at[1]))
    assert contact(vault, cid) == at[1]
    add(vault, entry(at[0]))  # an older entry written later changes nothing
    assert contact(vault, cid) == at[1]
    newest = add(vault, entry(at[2]))
    assert contact(vault, cid) == at[2]
    with vault.session() as s:
        tombstone(s, s.get_one(JournalEntry, newest))
    assert contact(vault, cid) == at[1]  # a deleted entry was no contact
    change(vault, JournalEntry, middle, occurred_at=at[0] - timedelta(days=1))
    assert contact(vault, cid) == at[0]  # a corrected date moves it back too
    change(vault, JournalEntry, middle, deleted=True)
    with vault.session() as s:
        for row in s.execute(select(JournalEntry).where(JournalEntry.case_id == cid,
                                                        JournalEntry.deleted.is_(False))):
            row[0].deleted = True
    assert contact(vault, cid) is None


def test_a_derived_value_written_by_hand_is_put_right(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    add(vault, Task(case_id=cid, title="Antrag", due_on=today + timedelta(days=7)))
    change(vault, CaseFile, cid, next_deadline=date(2000, 1, 1),
           last_contact_at=datetime(2000, 1, 1, tzinfo=UTC))
    assert stored(vault, cid) == (today + timedelta(days=7), None)
