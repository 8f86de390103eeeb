"""Where a conference window opens from: Heute (Enter on the conference), the case file (its
list of conferences, and a new conference with the case on the agenda); and that it goes at
lock and comes back after unlocking."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.services.conferences.read import conference_detail
from app.services.conferences.records import AgendaInput, ConferencePlan
from app.services.conferences.write import create_conference, mark_held, set_agenda
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.conferences.support import (
    WAIT,
    activate,
    loaded,
    press,
    seed_directory,
    type_into,
    window_of,
    workspace,
)
from tests.ui.settle import settle
from tests.ui.window_helpers import unlock_by_typing
from ui.casefile.window import CaseFileWidget
from ui.conferences.page import ConferencesPage
from ui.conferences.window import ConferenceWindow
from ui.context import AppContext
from ui.main_window import LOCKED_KEPT, MainWindow
from ui.today.page import TodayPage
from ui.workspace import Page


def conference(vault: Vault, case_id: int) -> str:
    uuid = create_conference(vault, ConferencePlan(
        "Fallkonferenz Familie Oeztuerk", datetime(2026, 11, 27, 13, 0, tzinfo=UTC),
        place="Rathaus"))
    set_agenda(vault, uuid, [AgendaInput(case_id, "Schulplatz", ("residence",))])
    return uuid


def test_heute_opens_the_conference_window_once_and_it_goes_at_lock(
        qtbot: QtBot, vault: Vault, request: object) -> None:
    seeded = seed_directory(vault)
    uuid = conference(vault, seeded.case_id)
    ctx: AppContext = request.getfixturevalue("ctx")  # type: ignore[attr-defined]
    ws, page = workspace(qtbot, ctx)
    ws.show_page(Page.TODAY)
    today = ws.page(Page.TODAY)
    assert isinstance(today, TodayPage)
    qtbot.waitUntil(lambda: today.conferences.title().endswith("(1)"), timeout=WAIT)
    today.conferences.list.setFocus()
    today.conferences.list.setCurrentRow(0)
    for _ in range(2):  # Enter twice: the same window, raised
        qtbot.keyClick(today.conferences.list, Qt.Key.Key_Return)
        window = window_of(qtbot, page, uuid)
        loaded(qtbot, ctx, window)
    assert len(page.windows) == 1
    assert window.planning.title.text() == "Fallkonferenz Familie Oeztuerk"
    # The workspace notes it among what to bring back after unlocking …
    assert ws.drafts()["conferences"] == [{"uuid": uuid}]
    # … and at lock it goes at once: it names the clients on its agenda.
    ctx.locked.emit()
    assert not window.isVisible() and page.windows == []


def test_the_case_file_lists_its_conferences_and_starts_one_with_the_case(
        qtbot: QtBot, vault: Vault, request: object) -> None:
    seeded = seed_directory(vault)
    uuid = conference(vault, seeded.case_id)
    ctx: AppContext = request.getfixturevalue("ctx")  # type: ignore[attr-defined]
    ws, page = workspace(qtbot, ctx)
    ctx.case_open_requested.emit(seeded.case_id, "tasks")
    qtbot.waitUntil(lambda: isinstance(ws.currentWidget(), CaseFileWidget), timeout=WAIT)
    case = ws.currentWidget()
    assert isinstance(case, CaseFileWidget)
    section = case.section("tasks")
    listing = section.conferences  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: listing.open_button.isEnabled(), timeout=WAIT)
    assert listing.list.item(0).text().endswith("Fallkonferenz Familie Oeztuerk · geplant")
    press(qtbot, listing.list, Qt.Key.Key_Return)
    opened = window_of(qtbot, page, uuid)
    loaded(qtbot, ctx, opened)

    press(qtbot, listing.new_button)
    qtbot.waitUntil(lambda: any(w.uuid is None for w in page.windows), timeout=WAIT)
    new = next(w for w in page.windows if w.uuid is None)
    settle(ctx)
    qtbot.waitUntil(lambda: len(new.planning.agenda) == 1, timeout=WAIT)
    assert new.planning.agenda[0].case_ref == seeded.case_id
    assert new.planning.agenda[0].label.endswith("Öztürk, Ayşe")


def test_open_conference_windows_come_back_with_their_input_after_locking_and_unlocking(
        qtbot: QtBot, vault: Vault, vault_dir: Path) -> None:
    seeded = seed_directory(vault)
    uuid = conference(vault, seeded.case_id)
    window, page, opened = _unlocked_with(qtbot, vault, vault_dir, uuid)
    type_into(qtbot, opened.planning.place, "Stadthaus")  # typed, not saved
    window.ctx.conference_new_requested.emit(0)
    qtbot.waitUntil(lambda: any(w.uuid is None for w in page.windows), timeout=WAIT)
    new = next(w for w in page.windows if w.uuid is None)
    type_into(qtbot, new.planning.title, "Noch ohne Termin")
    activate(qtbot, opened)
    # Ctrl+L in the conference window, which is in front, locks Lotse.
    qtbot.keyClick(opened.planning.title, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.ctx is None, timeout=WAIT)
    assert window.unlock_page.message.text() == LOCKED_KEPT
    assert not opened.isVisible()  # gone with the workspace: it names the clients
    qtbot.waitUntil(lambda: not [w for w in QApplication.topLevelWidgets()
                                 if isinstance(w, ConferenceWindow)], timeout=WAIT)
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.workspace is not None
    again = window.workspace.page(Page.CONFERENCES)
    assert isinstance(again, ConferencesPage)
    back = window_of(qtbot, again, uuid)
    qtbot.waitUntil(lambda: back.planning.title.text() == "Fallkonferenz Familie Oeztuerk",
                    timeout=WAIT)
    settle(window.ctx)
    assert back.planning.place.text() == "Stadthaus" and back.planning.has_unsaved_changes()
    [fresh] = [w for w in again.windows if w.uuid is None]
    assert fresh.planning.title.text() == "Noch ohne Termin"
    window.close()


def test_minutes_typed_and_not_saved_come_back_after_locking_and_unlocking(
        qtbot: QtBot, vault: Vault, vault_dir: Path) -> None:
    """An idle lock in the middle of writing the minutes loses nothing (sealed as a draft)."""
    from tests.ui.conferences.test_gate_and_minutes import planned

    _seeded, uuid = planned(vault)
    mark_held(vault, uuid, datetime(2026, 11, 24, 13, 0, tzinfo=UTC), warnings_acknowledged=True)
    window, _page, opened = _unlocked_with(qtbot, vault, vault_dir, uuid)
    opened.tabs.setCurrentWidget(opened.minutes)
    form = opened.minutes.case_form
    type_into(qtbot, form.legal_basis, "Einwilligung vom 20.11.2026")
    [affairs] = form.affairs.values()
    type_into(qtbot, affairs, "Duldung bis Februar")
    assert opened.has_unsaved_changes()
    activate(qtbot, opened)
    qtbot.keyClick(form.legal_basis, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.ctx is None, timeout=WAIT)
    # The only input was in the conference window: the lock screen still says it is kept.
    assert window.unlock_page.message.text() == LOCKED_KEPT
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.workspace is not None and window.ctx is not None
    again = window.workspace.page(Page.CONFERENCES)
    assert isinstance(again, ConferencesPage)
    back = window_of(qtbot, again, uuid)
    restored = back.minutes.case_form
    qtbot.waitUntil(lambda: restored.legal_basis.text() == "Einwilligung vom 20.11.2026",
                    timeout=WAIT)
    settle(window.ctx)
    assert [e.text() for e in restored.affairs.values()] == ["Duldung bis Februar"]
    assert back.has_unsaved_changes()  # still to be saved: nothing was written behind her back
    stored = conference_detail(window.ctx.vault(), uuid, audited=False).agenda[0].minutes
    assert stored.legal_basis_note is None
    window.close()


def _unlocked_with(qtbot: QtBot, vault: Vault, vault_dir: Path, uuid: str
                   ) -> tuple[MainWindow, ConferencesPage, ConferenceWindow]:
    """Lotse started on the vault, unlocked by typing, the conference opened and loaded."""
    vault.lock()
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.ctx is not None and window.workspace is not None
    window.ctx.conference_open_requested.emit(uuid)
    page = window.workspace.page(Page.CONFERENCES)
    assert isinstance(page, ConferencesPage)
    opened = window_of(qtbot, page, uuid)
    loaded(qtbot, window.ctx, opened)
    return window, page, opened
