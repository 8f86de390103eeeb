"""Tasks section: stored and computed follow-ups, done, new tasks."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.services.residence.records import NewStatus
from app.services.residence.write import add_status
from app.services.tasks.write import add_task
from tests.ui.casefile.sections_support import (
    PURPOSE,
    Seed,
    as_in_window,
)
from tests.ui.model_check import check_model
from ui.casefile._form import set_date
from ui.context import AppContext


def test_tasks_list_stored_and_computed_follow_ups(qtbot: QtBot, seed: Seed,
                                                   ctx: AppContext) -> None:
    from ui.casefile.sections import TasksSection

    v = ctx.vault()
    today = date.today()
    add_task(v, seed.case_id, "Termin beim Jobcenter vorbereiten", today - timedelta(days=3))
    add_task(v, seed.case_id, "Schulanmeldung prüfen", today + timedelta(days=10))
    add_status(v, seed.case_id, NewStatus("duldung", today - timedelta(days=100),
                                          today + timedelta(days=40)))
    record_consent(v, seed.case_id, NewConsent(seed.jobcenter, ["residence"], PURPOSE,
                                               today, today + timedelta(days=200)))
    section = as_in_window(ctx, TasksSection(ctx, seed.case_id))
    qtbot.addWidget(section)
    check_model(section.model)
    section.refresh()
    qtbot.waitUntil(lambda: section.model.rowCount() == 4, timeout=10000)
    rows = section.model.rows()
    kinds = [r.cells[1] for r in rows]
    assert sorted(kinds) == ["Aufenthalt läuft ab", "Aufgabe", "Aufgabe",
                             "Einwilligung läuft ab"]
    overdue = [r for r in rows if r.cells[3] == "überfällig"]
    # The stored task 3 days ago and the status follow-up (lead time > 40 days) are overdue.
    assert {r.cells[2] for r in overdue} >= {"Termin beim Jobcenter vorbereiten"}
    assert all(r.foreground == "#b00020" for r in overdue)
    first = section.model.index(rows.index(overdue[0]), 0)
    assert section.model.data(first, Qt.ItemDataRole.ForegroundRole) is not None
    consent_row = next(r for r in rows if r.cells[1] == "Einwilligung läuft ab")
    assert (today + timedelta(days=200)).strftime("%d.%m.%Y") in consent_row.cells[2]

    # Computed follow-ups cannot be "done"; a stored task can.
    section.view.selectRow(rows.index(consent_row))
    assert not section.done_button.isEnabled()
    task_row = next(r for r in rows if r.cells[2] == "Termin beim Jobcenter vorbereiten")
    section.view.selectRow(rows.index(task_row))
    assert section.done_button.isEnabled()
    qtbot.mouseClick(section.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.model.rowCount() == 3, timeout=10000)
    assert "Termin beim Jobcenter vorbereiten" not in [r.cells[2] for r in section.model.rows()]

    # A new task: empty title → message next to the field; then a real one appears.
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    label = section.errors.labels["title"]
    qtbot.waitUntil(lambda: label.isVisibleTo(section), timeout=10000)
    assert label.text() == "Bitte die Aufgabe benennen."
    qtbot.keyClicks(section.title, "Arztbrief anfordern")
    set_date(section.due_on, date(2099, 1, 15))
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: section.model.rowCount() == 4, timeout=10000)
    new = next(r for r in section.model.rows() if r.cells[2] == "Arztbrief anfordern")
    assert new.cells[0] == "15.01.2099" and new.cells[1] == "Aufgabe"
    assert not label.isVisibleTo(section) and section.title.text() == ""
