"""A stored task can be postponed, renamed and handed over; every change is audited by field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.errors import NotFound, ValidationFailed
from app.services.audit.read import case_history
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.tasks.read import case_follow_up_rows, follow_ups_for_case
from app.services.tasks.write import add_task, complete_task, update_task
from app.vault.store import Vault
from db.models import CaseFile, Task
from tests.support.staff import add_colleague


def test_postponing_moves_the_due_date_and_the_cases_next_deadline(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    task = add_task(vault, cid, "Ausbildungsvertrag kopieren", today + timedelta(days=5))
    assert update_task(vault, task, due_on=today + timedelta(days=14),
                       assignee_text="Frau Yılmaz (Jobcenter)") == ["assignee_text", "due_on"]
    assert [f.due_on for f in follow_ups_for_case(vault, cid)] == [today + timedelta(days=14)]
    with vault.read_session() as s:
        row = s.query(Task).filter_by(uuid=task).one()
        assert s.get(CaseFile, cid).next_deadline == today + timedelta(days=14)  # type: ignore[union-attr]
        assert row.assignee_text == "Frau Yılmaz (Jobcenter)"
    assert update_task(vault, task, due_on=today + timedelta(days=14)) == []  # nothing changed
    updates = [h for h in case_history(vault, cid) if h.kind == "record.updated"]
    assert len(updates) == 1


def test_bad_changes_are_refused_and_change_nothing(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    task = add_task(vault, cid, "Ausbildungsvertrag kopieren", today)
    with pytest.raises(ValidationFailed) as exc:
        update_task(vault, task, title="   ", due_on=today + timedelta(days=3))
    assert exc.value.field == "title"
    with pytest.raises(ValidationFailed):
        update_task(vault, task, done_on=today)  # marking done has its own, audited path
    with pytest.raises(NotFound):
        update_task(vault, task, assignee_staff_uuid="0" * 32)
    assert [f.due_on for f in follow_ups_for_case(vault, cid)] == [today]
    complete_task(vault, task, today)
    assert follow_ups_for_case(vault, cid) == []


def test_a_task_is_handed_to_a_colleague_and_the_case_shows_who(vault: Vault) -> None:
    today = vault.clock.today()
    cid = create_case(vault, NewCase("Bashir", "Rahimi", "DO"))
    colleague = add_colleague(vault, "Jonas Becker")
    task = add_task(vault, cid, "Kita-Platz anfragen", today, assignee_text="  Jugendamt  ")
    [row] = case_follow_up_rows(vault, cid).items
    assert (row.assignee, row.assignee_text, row.assignee_staff_uuid) == \
        ("Jugendamt", "Jugendamt", None)
    assert update_task(vault, task, assignee_staff_uuid=colleague, assignee_text=None) == \
        ["assignee_staff_id", "assignee_text"]
    [row] = case_follow_up_rows(vault, cid).items
    assert (row.assignee, row.assignee_staff_uuid) == ("Jonas Becker", colleague)
    [line] = [h for h in case_history(vault, cid) if h.kind == "record.updated"]
    assert (line.label, line.detail) == ("Aufgabe geändert", "Zuständig")
    update_task(vault, task, due_on=today + timedelta(days=7), title="Kita-Platz beantragen")
    newest = next(h for h in case_history(vault, cid) if h.kind == "record.updated")
    assert (newest.label, newest.detail) == ("Aufgabe geändert", "Titel, Fällig am")
    complete_task(vault, task, today)
    assert case_history(vault, cid)[0].label == "Aufgabe erledigt"
