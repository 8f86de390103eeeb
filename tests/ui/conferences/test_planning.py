"""Planning a conference key by key on the real encrypted store, at 1280×720, then reading it
back from the service and from a reopened window."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.services.conferences.read import conference_detail
from app.services.conferences.records import (
    CONFERENCE_PURPOSE,
    AgendaInput,
    ConferencePlan,
    ParticipantInput,
)
from app.services.conferences.write import (
    create_conference,
    mark_held,
    set_agenda,
    set_participants,
)
from app.services.consent.records import NewConsent
from app.services.consent.write import record_consent
from app.vault.store import Vault
from tests.ui.conferences.support import (
    WAIT,
    activate,
    choose,
    dialog_of,
    loaded,
    press,
    seed_directory,
    type_into,
    window_of,
    workspace,
)
from tests.ui.layout_probe import clipped
from tests.ui.settle import settle
from ui.conferences.pickers import CaseSearch, ClientPicker, DirectoryPicker, InterpreterPicker
from ui.context import AppContext

CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_conference_is_planned_by_keyboard_saved_and_read_back(
        qtbot: QtBot, vault: Vault, request: object) -> None:
    seeded = seed_directory(vault)
    ctx: AppContext = request.getfixturevalue("ctx")  # type: ignore[attr-defined]
    _ws, page = workspace(qtbot, ctx)
    press(qtbot, page.new_button)
    window = window_of(qtbot, page)
    plan = window.planning
    assert window.uuid is None and not window.tabs.isTabEnabled(1)  # nothing to check yet

    type_into(qtbot, plan.title, "Fallkonferenz Familie Oeztuerk")
    type_into(qtbot, plan.when.date, "10.12.")
    type_into(qtbot, plan.when.time, "1430")
    qtbot.keyClick(plan.when.time, Qt.Key.Key_Tab)
    assert plan.when.time.text() == "14:30"
    type_into(qtbot, plan.place, "Rathaus, Raum 214")
    qtbot.waitUntil(lambda: plan.chair.count() > 1, timeout=WAIT)
    type_into(qtbot, plan.chair.lineEdit(), "Test Fallmanagerin")  # the vault's owner
    type_into(qtbot, plan.minute_taker, "Herr Schulz")

    # A case on the agenda: searched by name as typed without the special letters.
    press(qtbot, plan.add_case)
    search = dialog_of(qtbot, plan, CaseSearch)
    qtbot.keyClicks(search.query, "ozturk")
    qtbot.waitUntil(lambda: search.results.count() == 1, timeout=WAIT)
    qtbot.keyClick(search.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(plan.agenda) == 1, timeout=WAIT)
    activate(qtbot, window)  # the dialog closed (offscreen, nothing reactivates the window)
    assert plan.occasion.hasFocus()  # typing goes on with the occasion
    qtbot.keyClicks(plan.occasion, "Schulplatz und Wohnsitzauflage")
    plan.categories.setFocus()
    for code in ("residence", "education_work"):
        row = next(i for i in range(plan.categories.count())
                   if plan.categories.item(i).data(Qt.ItemDataRole.UserRole) == code)
        plan.categories.setCurrentRow(row)
        qtbot.keyClick(plan.categories, Qt.Key.Key_Space)
    assert plan.agenda[0].categories == ("residence", "education_work")

    # Participants: a contact of the directory, the client of the case, an interpreter.
    press(qtbot, plan.add_directory)
    picker = dialog_of(qtbot, plan, DirectoryPicker)
    qtbot.waitUntil(lambda: picker.institution.count() > 2, timeout=WAIT)
    choose(qtbot, picker.institution, seeded.jobcenter)
    qtbot.waitUntil(lambda: picker.name.text() == "Herr Berger", timeout=WAIT)
    qtbot.keyClick(picker.role, Qt.Key.Key_Return)
    press(qtbot, plan.add_client)
    client = dialog_of(qtbot, plan, ClientPicker)
    qtbot.keyClick(client.choice, Qt.Key.Key_Return)
    press(qtbot, plan.add_interpreter)
    interpreter = dialog_of(qtbot, plan, InterpreterPicker)
    qtbot.keyClicks(interpreter.name, "Herr Haddad")
    choose(qtbot, interpreter.language, "ar")
    qtbot.keyClick(interpreter.language, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(plan.people) == 3, timeout=WAIT)
    assert plan.has_unsaved_changes()

    activate(qtbot, window)
    qtbot.keyClick(plan.minute_taker, Qt.Key.Key_S, CTRL)  # Strg+S saves, as in a case file
    qtbot.waitUntil(lambda: plan.note.text() == "Gespeichert.", timeout=WAIT)
    loaded(qtbot, ctx, window)
    assert window.uuid is not None and window.tabs.isTabEnabled(1)
    assert not plan.has_unsaved_changes()

    detail = conference_detail(ctx.vault(), window.uuid)
    when = detail.scheduled_at.astimezone()
    assert (when.date(), when.hour, when.minute) == (date(2026, 12, 10), 14, 30)
    assert (detail.title, detail.place, detail.minute_taker_text) == (
        "Fallkonferenz Familie Oeztuerk", "Rathaus, Raum 214", "Herr Schulz")
    assert detail.chair_staff_uuid is not None and detail.chair == "Test Fallmanagerin"
    [agenda] = detail.agenda
    assert (agenda.case_id, agenda.occasion, set(agenda.data_categories)) == (
        seeded.case_id, "Schulplatz und Wohnsitzauflage", {"residence", "education_work"})
    people = {p.name: p for p in detail.participants}
    assert people["Herr Berger"].contact_uuid == seeded.jobcenter_contact
    assert people["Herr Berger"].institution_uuid == seeded.jobcenter
    assert people["Öztürk, Ayşe"].is_client
    assert people["Herr Haddad"].is_interpreter and people["Herr Haddad"].language == "ar"

    if os.environ.get("LOTSE_SCREENSHOTS"):
        folder = Path(os.environ["LOTSE_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(folder / "conference-planning.png"))
    assert clipped(window) == []

    # Closed and opened again from the list: one window, what was stored.
    uuid = window.uuid
    window.close()
    qtbot.waitUntil(lambda: not page.windows, timeout=WAIT)
    settle(ctx)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    assert page.model.index(0, 4).data() == "1" and page.model.index(0, 5).data() == "3"
    press(qtbot, page.table, Qt.Key.Key_Return)
    again = window_of(qtbot, page, uuid)
    loaded(qtbot, ctx, again)
    assert again.planning.title.text() == "Fallkonferenz Familie Oeztuerk"
    assert again.planning.when.time.text() == "14:30"
    assert again.planning.chair.currentText() == "Test Fallmanagerin"
    assert [p.participant.name for p in again.planning.people] == [
        p.name for p in detail.participants]
    press(qtbot, page.table, Qt.Key.Key_Return)  # once more: still one window
    settle(ctx)
    assert len(page.windows) == 1

    # The opening was audited; saving in the open window and its reload are no new reads.
    reads = _reads(ctx, uuid)
    activate(qtbot, again)
    again.planning.place.setFocus()
    qtbot.keyClick(again.planning.place, Qt.Key.Key_End)
    qtbot.keyClicks(again.planning.place, " Nord")
    qtbot.keyClick(again.planning.place, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: again.planning.note.text() == "Gespeichert.", timeout=WAIT)
    loaded(qtbot, ctx, again)
    settle(ctx)
    assert conference_detail(ctx.vault(), uuid, audited=False).place == "Rathaus, Raum 214 Nord"
    assert _reads(ctx, uuid) == reads


def _reads(ctx: AppContext, uuid: str) -> int:
    from sqlalchemy import func, select

    from db.models import AuditLog

    with ctx.vault().read_session() as s:
        return int(s.execute(select(func.count()).select_from(AuditLog).where(
            AuditLog.object_uuid == uuid, AuditLog.kind == "record.read")).scalar_one())


def test_unsaved_planning_asks_before_the_window_closes(
        qtbot: QtBot, vault: Vault, request: object) -> None:
    seed_directory(vault)
    ctx: AppContext = request.getfixturevalue("ctx")  # type: ignore[attr-defined]
    _ws, page = workspace(qtbot, ctx)
    press(qtbot, page.new_button)
    window = window_of(qtbot, page)
    type_into(qtbot, window.planning.title, "Halb geplant")
    questions: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        questions.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Cancel))
    window.close()  # asks (a modal question); "Abbrechen" keeps the window and the input
    assert questions and "ungespeicherte Eingaben" in questions[0]
    assert window.isVisible() and window.planning.title.text() == "Halb geplant"
    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Discard))
    window.close()
    qtbot.waitUntil(lambda: not page.windows, timeout=WAIT)
    assert len(questions) == 2


def test_the_list_filters_by_state_search_date_and_mine(
        qtbot: QtBot, vault: Vault, request: object) -> None:
    seeded = seed_directory(vault)
    school = create_conference(vault, ConferencePlan(
        "Fallkonferenz Schule", datetime(2026, 12, 10, 13, 0, tzinfo=UTC), place="Rathaus"))
    housing = create_conference(vault, ConferencePlan(
        "Fallkonferenz Wohnen", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), place="Stadthaus"))
    set_agenda(vault, housing, [AgendaInput(seeded.case_id, "Wohnung", ("housing",))])
    set_participants(vault, housing, [
        ParticipantInput("Frau Kaya", contact_uuid=seeded.abh_contact)])
    record_consent(vault, seeded.case_id, NewConsent(
        seeded.abh, ["housing"], CONFERENCE_PURPOSE, date(2026, 11, 1)))
    mark_held(vault, housing, datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
              warnings_acknowledged=True)
    ctx: AppContext = request.getfixturevalue("ctx")  # type: ignore[attr-defined]
    _ws, page = workspace(qtbot, ctx)

    def titles() -> list[str]:
        settle(ctx)
        return [str(page.model.index(r, 1).data()) for r in range(page.model.rowCount())]

    assert titles() == ["Fallkonferenz Schule", "Fallkonferenz Wohnen"]  # newest first
    assert [r.uuid for r in page.rows] == [school, housing]
    assert page.model.index(1, 3).data() == "durchgeführt"
    choose(qtbot, page.status, "held")
    assert titles() == ["Fallkonferenz Wohnen"]
    choose(qtbot, page.status, None)
    type_into(qtbot, page.search, "rathaus")
    assert titles() == ["Fallkonferenz Schule"]
    type_into(qtbot, page.search, "")
    type_into(qtbot, page.date_from, "01.12.")
    qtbot.keyClick(page.date_from, Qt.Key.Key_Return)
    assert titles() == ["Fallkonferenz Schule"]
    type_into(qtbot, page.date_from, "")
    qtbot.keyClick(page.date_from, Qt.Key.Key_Return)
    assert len(titles()) == 2
    press(qtbot, page.only_mine)  # the owner's case is on the housing conference only
    assert titles() == ["Fallkonferenz Wohnen"]
