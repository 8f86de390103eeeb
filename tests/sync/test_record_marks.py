"""The per-record sync state of a shared case (``handover.read.record_marks``) between two real
vaults through a temp folder: a record changed after the case was sealed for the colleague
waits, until the next bundle (and what came from the colleague is never "not sent" by the one
who received it); a consent's scope marks the consent whose row shows it; a field changed on
both sides names its field, also on the client's record (which names no case)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services.cases.write import update_person
from app.services.handover import read, write
from app.services.handover.records import RecordMarks
from app.services.tasks.write import update_task
from db.models import CaseFile, Consent, ConsentScope, Person, Task
from tests.support.handover_world import Desk, case_ref, close_desks, full_case, make_desks


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[dict[str, Desk]]:
    world = make_desks(tmp_path, "AB")
    yield world
    close_desks(world)


def test_marks_follow_what_was_sent_and_what_both_changed(desks: dict[str, Desk]) -> None:
    a, b = desks["A"], desks["B"]
    number = full_case(a)
    uuid, _ = case_ref(a, number)
    assert read.record_marks(a.vault, uuid) == RecordMarks(uuid)  # not shared: nothing waits
    write.share_case(a.vault, number, b.fingerprint)
    with a.vault.read_session() as s:
        person = s.execute(select(Person.uuid).join(
            CaseFile, CaseFile.person_id == Person.id).where(CaseFile.uuid == uuid)).scalar_one()
        task = s.execute(select(Task.uuid).join(CaseFile, CaseFile.id == Task.case_id).where(
            CaseFile.uuid == uuid)).scalar_one()
        consent, scope = s.execute(select(Consent.uuid, ConsentScope.uuid).join(
            ConsentScope, ConsentScope.consent_id == Consent.id).join(
            CaseFile, CaseFile.id == Consent.case_id).where(CaseFile.uuid == uuid)).first()
    # Sharing seals the whole case for the colleague at once: nothing waits.
    assert read.record_marks(a.vault, uuid).unsent == {}
    update_task(a.vault, task, details="Mit Dolmetscherin")
    assert read.record_marks(a.vault, uuid).unsent == {task: ("Katharina Nowak",)}
    _both_in_one_read(a, uuid)

    a.sync()
    b.sync()
    assert read.record_marks(a.vault, uuid).unsent == {}
    assert read.record_marks(b.vault, uuid).unsent == {}  # A's records are A's, already there

    # Only the scope changes (the forms never do that alone; a bundle could): its consent's
    # row is where a person sees it.
    with a.vault.session() as s:
        row = s.execute(select(ConsentScope).where(ConsentScope.uuid == scope)).scalar_one()
        row.data_category = "housing"
    assert set(read.record_marks(a.vault, uuid).unsent) == {scope, consent}

    update_task(a.vault, task, title="Unterlagen bis Freitag anfordern")
    update_task(b.vault, task, title="Unterlagen bis Montag anfordern")
    # The client's record names no case; its conflict is still one of this case.
    update_person(a.vault, number, phone="0231 111111")
    update_person(b.vault, number, phone="0231 222222")
    a.sync()
    b.sync()
    a.sync()
    for desk in (a, b):
        assert read.record_marks(desk.vault, uuid).conflicts == {
            task: ("Titel",), person: ("Telefon",)}
        _both_in_one_read(desk, uuid)


def _both_in_one_read(desk: Desk, uuid: str) -> None:
    """The case file's sync line reads the case's state and its records' marks together: the
    same as asking for each on its own."""
    state, marks = read.case_sync(desk.vault, uuid)
    assert (state, marks) == (read.case_sync_state(desk.vault, uuid),
                              read.record_marks(desk.vault, uuid))
    assert state.unsent_changes == bool(marks.unsent)
