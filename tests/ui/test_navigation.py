"""Finding one's way with the keyboard in the real window at 1280×720: Ctrl+N starts a new case
from every page and from inside a case, the pages stay in view beside fifteen open cases, and
after a lock the cursor is back in the field the person was typing in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.journal.records import NewJournalEntry
from app.services.journal.write import add_journal_entry
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.window_helpers import lock_by_keyboard, unlock_by_typing
from ui.casefile.window import CaseFileWidget
from ui.main_window import MainWindow
from ui.workspace import Page, Workspace

T = 20000
CTRL = Qt.KeyboardModifier.ControlModifier
PAGES = [Page.TODAY, Page.CASES, Page.DIRECTORY, Page.GAPS, Page.CONFERENCES, Page.CERTIFICATES,
         Page.SETTINGS, Page.SYNC]


def open_window(qtbot: QtBot, vault_dir: Path) -> tuple[MainWindow, Workspace]:
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.workspace is not None
    return window, window.workspace


def activate(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=T)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def open_case(qtbot: QtBot, window: MainWindow, case_id: int, section: str) -> CaseFileWidget:
    assert window.ctx is not None and window.workspace is not None
    window.ctx.case_open_requested.emit(case_id, section)
    ws = window.workspace
    qtbot.waitUntil(lambda: getattr(ws.currentWidget(), "case_id", None) == case_id, timeout=T)
    case = ws.currentWidget()
    assert isinstance(case, CaseFileWidget)
    return case


def new_case_dialog_opens_on_ctrl_n(qtbot: QtBot, window: MainWindow, target: QWidget) -> None:
    assert window.workspace is not None
    cases: Any = window.workspace.page(Page.CASES)
    qtbot.keyClick(target, Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: cases.dialog is not None and cases.dialog.isVisible(), timeout=T)
    qtbot.keyClick(cases.dialog, Qt.Key.Key_Escape)  # cancelled: nothing is created
    qtbot.waitUntil(lambda: not cases.dialog.isVisible(), timeout=T)
    cases.dialog = None


def test_ctrl_n_starts_a_new_case_on_every_page_and_inside_a_case(
        qtbot: QtBot, vault: Vault, vault_dir: Path) -> None:
    case_id = create_case(vault, NewCase("Ayse", "Oeztuerk", "DO"))
    vault.lock()
    window, ws = open_window(qtbot, vault_dir)
    for number, code in enumerate(PAGES, start=1):
        activate(qtbot, window)
        target = QApplication.focusWidget() or window  # Heute may start with no focus
        qtbot.keyClick(target, Qt.Key(Qt.Key.Key_0 + number), CTRL)  # Ctrl+1 … Ctrl+8
        qtbot.waitUntil(lambda c=code: ws.current_page() == c, timeout=T)
        assert ws.page_bar.currentIndex() == number - 1
        new_case_dialog_opens_on_ctrl_n(qtbot, window, QApplication.focusWidget() or window)
        assert ws.current_page() == code  # the form opened over the page, which stays

    case = open_case(qtbot, window, case_id, "tasks")
    section: Any = case.section("tasks")
    qtbot.waitUntil(section.isEnabled, timeout=T)
    activate(qtbot, window)
    section.title.setFocus()
    assert focused() is section.title
    new_case_dialog_opens_on_ctrl_n(qtbot, window, section.title)
    assert ws.currentWidget() is case
    window.close()


def inside(outer: QRect, inner: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


def test_fifteen_open_cases_leave_every_page_in_view_and_on_the_keyboard(
        qtbot: QtBot, vault: Vault, vault_dir: Path) -> None:
    ids = [create_case(vault, NewCase(f"Vorname{i}", f"Familienname{i:02d}", "DO"))
           for i in range(15)]
    vault.lock()
    window, ws = open_window(qtbot, vault_dir)
    for case_id in ids:
        open_case(qtbot, window, case_id, "")
    assert len(ws.case_tabs()) == 15
    QApplication.processEvents()
    frame = window.rect()
    assert frame.width() == 1280  # the open cases did not widen the window either
    bar = ws.page_bar
    for index in range(len(PAGES)):  # every page's tab lies fully inside the window
        rect = bar.tabRect(index)
        top_left = bar.mapTo(window, rect.topLeft())
        assert bar.isVisible() and inside(frame, QRect(top_left, rect.size())), index
        assert bar.tabText(index) in {"Heute", "Fälle", "Verzeichnis", "Lücken im System",
                                      "Fallkonferenzen", "Bescheinigungen", "Einstellungen",
                                      "Abgleich"}
    cases_bar = ws.case_bar
    assert inside(frame, QRect(cases_bar.mapTo(window, QPoint(0, 0)), cases_bar.size()))
    # Every open case is in the menu beside the tabs, by its title.
    menu = ws.cases_menu.menu()
    menu.aboutToShow.emit()
    titles = [action.text() for action in menu.actions()]
    assert len(titles) == 15 and titles[0].startswith("Familienname00, V.")
    menu.actions()[0].trigger()
    assert ws.currentWidget() is ws.case_tabs()[0]
    ws.setCurrentWidget(ws.case_tabs()[-1])

    # Keyboard: Ctrl+2 from inside the last case shows Fälle with the search focused;
    # Ctrl+Tab walks on to the next page, Ctrl+Shift+Tab back; past the pages come the cases.
    activate(qtbot, window)
    last = ws.case_tabs()[-1]
    assert ws.currentWidget() is last
    qtbot.keyClick(focused(), Qt.Key.Key_2, CTRL)
    cases_page: Any = ws.pages[Page.CASES]
    assert ws.current_page() == Page.CASES and focused() is cases_page.search
    qtbot.keyClick(focused(), Qt.Key.Key_Tab, CTRL)
    assert ws.current_page() == Page.DIRECTORY
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert ws.current_page() == Page.CASES
    qtbot.keyClick(focused(), Qt.Key.Key_8, CTRL)  # the last page: Abgleich
    qtbot.keyClick(focused(), Qt.Key.Key_Tab, CTRL)
    assert ws.currentWidget() is ws.case_tabs()[0]
    # Ctrl+W closes the case shown; the next one takes its place.
    second = ws.case_tabs()[1]
    qtbot.keyClick(focused(), Qt.Key.Key_W, CTRL)
    qtbot.waitUntil(lambda: len(ws.case_tabs()) == 14, timeout=T)
    assert ws.currentWidget() is second
    window.close()


@pytest.mark.parametrize("lock", ["ctrl_l", "screen_locked_elsewhere"])
def test_after_unlocking_the_cursor_is_back_in_the_field_with_the_text(
        qtbot: QtBot, vault: Vault, vault_dir: Path, lock: str) -> None:
    case_id = create_case(vault, NewCase("Ayse", "Oeztuerk", "DO"))
    vault.lock()
    window, _ws = open_window(qtbot, vault_dir)
    case = open_case(qtbot, window, case_id, "tasks")
    section: Any = case.section("tasks")
    qtbot.waitUntil(section.isEnabled, timeout=T)
    activate(qtbot, window)
    section.title.setFocus()
    qtbot.keyClicks(focused(), "Rueckruf Kita")

    if lock == "ctrl_l":
        lock_by_keyboard(qtbot, window)
    else:  # another program was in front when the screen locked: Lotse has no focus widget
        other = QWidget()
        qtbot.addWidget(other)
        other.show()
        other.activateWindow()
        qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=T)
        window.session_events.lock_requested.emit()
        qtbot.waitUntil(lambda: window.ctx is None, timeout=T)
        other.close()
        activate(qtbot, window)
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.workspace is not None
    ws = window.workspace
    reopened = ws.currentWidget()
    assert isinstance(reopened, CaseFileWidget) and reopened.case_id == case_id
    assert reopened.current_section() == "tasks"  # the section, not the overview
    activate(qtbot, window)
    again: Any = reopened.section("tasks")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is again.title, timeout=T)
    assert again.title.text() == "Rueckruf Kita"
    window.close()


def test_journal_search_on_the_cases_page_opens_the_case_at_its_verlauf(
        qtbot: QtBot, vault: Vault, vault_dir: Path) -> None:
    wanted = create_case(vault, NewCase("Ayse", "Oeztuerk", "DO"))
    create_case(vault, NewCase("Otto", "Brandt", "DO"))
    add_journal_entry(vault, wanted, NewJournalEntry(
        "phone", "Kitaplatz in der Nordstadt zugesagt.", datetime(2026, 11, 20, 10, tzinfo=UTC)))
    vault.lock()
    window, ws = open_window(qtbot, vault_dir)
    activate(qtbot, window)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_2, CTRL)
    cases: Any = ws.pages[Page.CASES]
    assert focused() is cases.search
    qtbot.keyClick(cases.search, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)  # im Verlauf
    qtbot.waitUntil(cases.in_journal.isChecked, timeout=T)  # a mnemonic clicks animated
    cases.search.setFocus()
    qtbot.keyClicks(cases.search, "nordsta")
    qtbot.waitUntil(lambda: cases.journal_hits.rowCount() == 1, timeout=T)
    qtbot.keyClick(cases.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(ws.currentWidget(), "case_id", None) == wanted, timeout=T)
    case = ws.currentWidget()
    assert isinstance(case, CaseFileWidget) and case.current_section() == "journal"
    journal: Any = case.section("journal")
    qtbot.waitUntil(lambda: journal.isEnabled() and journal.isVisible(), timeout=T)
    window.close()
