"""Correcting a stored task in the case file with the keyboard: select it, F2 or Enter, type,
Strg+S; Esc cancels. What was saved is read back from the vault."""

from __future__ import annotations

import json
from datetime import timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.tasks.write import add_task
from db.models import CaseFile, CaseManager, Task
from tests.support.staff import add_colleague
from tests.ui.casefile.casefile_helpers import TIMEOUT, history_of, open_case, row, section_of
from tests.ui.model_check import check_model
from ui.casefile._form import fmt_date, set_date
from ui.casefile.sections.tasks import TasksSection
from ui.context import AppContext


def test_a_task_is_postponed_and_handed_over_with_the_keyboard(qtbot: QtBot, ctx: AppContext,
                                                                case_id: int) -> None:
    vault = ctx.vault()
    today = vault.clock.today()
    task = add_task(vault, case_id, "Ausbildungsvertrag kopieren", today + timedelta(days=5))
    colleague = add_colleague(vault, "Jonas Becker")
    widget = open_case(qtbot, ctx, case_id, "tasks")
    tasks = section_of(widget, "tasks", TasksSection)
    check_model(tasks.model)
    qtbot.waitUntil(lambda: tasks.model.rowCount() == 1, timeout=TIMEOUT)
    assert tasks.form.assignee.findText("Jonas Becker") > 0  # the staff list arrived
    assert not tasks.edit_button.isEnabled()  # nothing selected yet

    tasks.view.setFocus()
    qtbot.keyClick(tasks.view, Qt.Key.Key_Down)  # the first row, as a person selects it
    assert tasks.edit_button.isEnabled()
    qtbot.keyClick(tasks.view, Qt.Key.Key_F2)
    assert tasks.form.editing == task and tasks.form.title() == "Aufgabe bearbeiten"
    assert tasks.title.hasFocus() and tasks.title.text() == "Ausbildungsvertrag kopieren"

    # Esc cancels: nothing changes, the form is for a new task again.
    qtbot.keyClicks(tasks.title, " und abheften")
    qtbot.keyClick(tasks.title, Qt.Key.Key_Escape)
    assert tasks.form.editing is None and tasks.title.text() == ""
    assert not widget.has_unsaved_changes()

    tasks.view.setFocus()
    qtbot.keyClick(tasks.view, Qt.Key.Key_Return)  # Enter edits as well
    assert tasks.form.editing == task
    new_due = today + timedelta(days=21)
    set_date(tasks.due_on, new_due)
    combo_text = tasks.form.assignee.lineEdit()
    combo_text.setFocus()
    qtbot.keyClicks(combo_text, "Jonas Becker")
    assert widget.has_unsaved_changes()
    qtbot.keyClick(combo_text, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Strg+S

    qtbot.waitUntil(lambda: row(tasks.model, 0)[0] == fmt_date(new_due), timeout=TIMEOUT)
    assert row(tasks.model, 0)[2:4] == ["Ausbildungsvertrag kopieren", "Jonas Becker"]
    assert tasks.form.editing is None and tasks.message.text() == "Die Aufgabe wurde geändert."
    with vault.read_session() as s:
        stored = s.execute(select(Task).where(Task.uuid == task)).scalar_one()
        assert stored.due_on == new_due and stored.assignee_text is None
        assert s.get_one(CaseManager, stored.assignee_staff_id).uuid == colleague
        assert s.get_one(CaseFile, case_id).next_deadline == new_due  # the case's deadline too
    qtbot.waitUntil(lambda: fmt_date(new_due) in widget.header_deadline.text(), timeout=TIMEOUT)

    # Free text instead of a colleague; the context menu offers the same edit.
    tasks.view.selectRow(0)
    assert [a.text() for a in tasks.view.actions()] == ["Bearbeiten …",
                                                         "Als erledigt markieren"]
    tasks.view.actions()[0].trigger()
    assert tasks.form.assignee.currentText() == "Jonas Becker"
    tasks.form.assignee.lineEdit().selectAll()
    qtbot.keyClicks(tasks.form.assignee.lineEdit(), "Jobcenter, Frau Yilmaz")
    qtbot.keyClick(tasks.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: row(tasks.model, 0)[3] == "Jobcenter, Frau Yilmaz", timeout=TIMEOUT)
    with vault.read_session() as s:
        stored = s.execute(select(Task).where(Task.uuid == task)).scalar_one()
        assert (stored.assignee_text, stored.assignee_staff_id) == ("Jobcenter, Frau Yilmaz",
                                                                    None)

    history = history_of(qtbot, widget)
    lines = [row(history, r)[1:] for r in range(history.rowCount())]
    assert ["Aufgabe geändert", "Fällig am, Zuständig"] in lines
    assert ["Aufgabe geändert", "Zuständig"] in lines


def test_computed_deadlines_are_not_edited_and_say_why(qtbot: QtBot, ctx: AppContext,
                                                        case_id: int) -> None:
    from app.services.residence.records import NewStatus
    from app.services.residence.write import add_status

    vault = ctx.vault()
    today = vault.clock.today()
    add_status(vault, case_id, NewStatus("duldung", today - timedelta(days=100),
                                         today + timedelta(days=40)))
    widget = open_case(qtbot, ctx, case_id, "tasks")
    tasks = section_of(widget, "tasks", TasksSection)
    qtbot.waitUntil(lambda: tasks.model.rowCount() == 1, timeout=TIMEOUT)
    tasks.view.setFocus()
    qtbot.keyClick(tasks.view, Qt.Key.Key_Down)
    assert not tasks.edit_button.isEnabled()
    qtbot.keyClick(tasks.view, Qt.Key.Key_Return)
    assert tasks.form.editing is None
    assert "bearbeiten lassen sich nur Aufgaben" in tasks.message.text()


def test_a_correction_survives_as_a_draft_and_a_new_task_gets_its_colleague(
        qtbot: QtBot, ctx: AppContext, case_id: int) -> None:
    vault = ctx.vault()
    today = vault.clock.today()
    task = add_task(vault, case_id, "Kita-Platz anfragen", today + timedelta(days=3))
    colleague = add_colleague(vault, "Jonas Becker")
    widget = open_case(qtbot, ctx, case_id, "tasks")
    tasks = section_of(widget, "tasks", TasksSection)
    qtbot.waitUntil(lambda: tasks.model.rowCount() == 1, timeout=TIMEOUT)
    tasks.view.setFocus()
    qtbot.keyClick(tasks.view, Qt.Key.Key_Down)
    qtbot.keyClick(tasks.view, Qt.Key.Key_F2)
    set_date(tasks.due_on, today + timedelta(days=30))
    draft = json.loads(json.dumps(widget.draft_state()))  # sealed at lock as JSON
    widget.close()

    again = open_case(qtbot, ctx, case_id, "tasks")
    again.restore_draft(draft)
    tasks = section_of(again, "tasks", TasksSection)
    qtbot.waitUntil(lambda: tasks.model.rowCount() == 1, timeout=TIMEOUT)
    assert tasks.form.editing == task and again.has_unsaved_changes()
    tasks.title.setFocus()  # back in the form, where the person was typing
    qtbot.keyClick(tasks.title, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: row(tasks.model, 0)[0] == fmt_date(today + timedelta(days=30)),
                    timeout=TIMEOUT)
    assert row(tasks.model, 0)[2] == "Kita-Platz anfragen"  # only the date was changed

    # A new task is given to a colleague right away.
    qtbot.keyClicks(tasks.title, "Arztbrief anfordern")
    qtbot.keyClicks(tasks.form.assignee.lineEdit(), "Jonas Becker")
    qtbot.keyClick(tasks.title, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tasks.model.rowCount() == 2, timeout=TIMEOUT)
    with vault.read_session() as s:
        new = s.execute(select(Task).where(Task.title == "Arztbrief anfordern")).scalar_one()
        assert s.get_one(CaseManager, new.assignee_staff_id).uuid == colleague
