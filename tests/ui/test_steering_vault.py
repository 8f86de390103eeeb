"""A steering committee's vault opens on what it is for, at 1280×720, by the keyboard: the
reports received, first in the page bar; the case work's pages (and Verzeichnis, Lücken im
System) are not offered and their Ctrl+digit keys do nothing; F1 lists no shortcut of a case
file. A casework vault still opens on Heute with all eight pages.

The steering vault is made by ``create_vault(..., role="steering")`` (what ``lotse init --role
steering`` runs, through the suite's copy of it) and holds one report a casework vault sent it
through a temp folder as the share."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.steering.read import reports
from app.services.steering.write import export_report
from app.services.sync.write import run_sync
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.support.steering_world import CaseSpec, add_cases
from tests.support.vault_copy import copied_vault
from tests.ui.layout_probe import clipped
from tests.ui.sync.support import share, trust_each_other
from tests.ui.test_demo_and_help import opened
from tests.ui.window_helpers import T
from ui.help_menu import ShortcutsDialog
from ui.main_window import MainWindow
from ui.orientation import OrientationBar
from ui.sync.page import SyncPage
from ui.sync.reports_tab import ReportsTab
from ui.workspace import Page, Workspace

CTRL = Qt.KeyboardModifier.ControlModifier
CASEWORK_PAGES = ["Heute", "Fälle", "Verzeichnis", "Lücken im System", "Fallkonferenzen",
                  "Bescheinigungen", "Einstellungen", "Abgleich"]
STEERING_PAGES = ["Berichte", "Einstellungen", "Abgleich"]


@pytest.fixture
def steering_dir(vault: Vault, tmp_path: Path, clock: FixedClock) -> Path:
    """The committee's vault, locked, with one report from the casework vault ``vault``."""
    add_cases(vault, [CaseSpec("newly_arrived", "DO", date(2026, 3, 2), None, None,
                               "assessment", "duldung", "consent", "jobcenter")] * 6,
              as_of=clock.today())
    folder = tmp_path / "lenkung"
    board = copied_vault(folder, PASSPHRASE, owner_name="Lenkungskreis Dortmund",
                         municipality="DO", vault_code="LK01", clock=clock, role="steering")
    try:
        share(tmp_path / "share", vault, board)
        trust_each_other(vault, board)
        export_report(vault, date(2026, 1, 1), date(2026, 10, 31))
        run_sync(vault)
        run_sync(board)
        assert len(reports(board)) == 1
    finally:
        board.lock()
    return folder


def workspace(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def bar(ws: Workspace) -> list[str]:
    return [ws.page_bar.tabText(i) for i in range(ws.page_bar.count())]


def held_keys(window: MainWindow) -> set[str]:
    return {s.key().toString(QKeySequence.SequenceFormat.PortableText)
            for s in window.findChildren(QShortcut) if s.isEnabled()}


def shortcut_rows(qtbot: QtBot, window: MainWindow) -> dict[str, str]:
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(ShortcutsDialog) is not None, timeout=T)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None
    rows = dict(dialog.rows())
    dialog.reject()
    dialog.deleteLater()
    QApplication.processEvents()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=T)
    return rows


def test_a_steering_vault_opens_on_its_reports(qtbot: QtBot, steering_dir: Path) -> None:
    window = opened(qtbot, steering_dir)
    ws = workspace(window)
    assert bar(ws) == STEERING_PAGES
    assert ws.current_page() == Page.REPORTS
    # No case is ever shown here: no bar or menu of open case files, no orientation that
    # explains Heute, Fälle and the case file.
    assert not ws.case_bar.isVisible() and not ws.cases_menu.isVisible()
    assert window.findChild(OrientationBar) is None
    page = ws.pages[Page.REPORTS]
    assert isinstance(page, ReportsTab) and page.isVisible()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=T)
    assert page.message.text() == ""

    # By the keys a person uses: Ctrl+1 puts the keyboard in the list, Down chooses the report.
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    qtbot.waitUntil(lambda: page.table.hasFocus(), timeout=T)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.cells.topLevelItemCount() > 0, timeout=T)
    assert page.cells.topLevelItem(0).text(0) == "Summen"
    assert clipped(page) == []

    # Abgleich (Ctrl+3) keeps only what can hold something here: reports waiting for trust.
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    qtbot.waitUntil(lambda: ws.current_page() == Page.SYNC, timeout=T)
    sync = ws.pages[Page.SYNC]
    assert isinstance(sync, SyncPage)
    assert [sync.tabs.tabText(i) for i in range(sync.tabs.count())] == ["&Eingang"]
    assert not sync.inbox.offers.isVisibleTo(sync)
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    qtbot.waitUntil(lambda: ws.current_page() == Page.SETTINGS, timeout=T)


def test_the_case_pages_cannot_be_reached_in_a_steering_vault(qtbot: QtBot,
                                                              steering_dir: Path) -> None:
    window = opened(qtbot, steering_dir)
    ws = workspace(window)
    keys = held_keys(window)
    assert {"Ctrl+1", "Ctrl+2", "Ctrl+3"} <= keys
    assert not keys & ({f"Ctrl+{n}" for n in range(4, 10)} | {"Ctrl+N", "Ctrl+W"})
    built = set(ws.pages)
    for key in (Qt.Key.Key_4, Qt.Key.Key_5, Qt.Key.Key_6, Qt.Key.Key_7, Qt.Key.Key_8,
                Qt.Key.Key_N):
        qtbot.keyClick(window, key, CTRL)
        QApplication.processEvents()
        assert ws.current_page() == Page.REPORTS
    assert set(ws.pages) == built  # nothing was built behind the scenes either
    assert ws.case_tabs() == []

    rows = shortcut_rows(qtbot, window)  # F1 says only what works here
    assert rows["Strg+1 … Strg+3"].startswith("Seite")
    assert not {"Strg+N", "Strg+W", "Alt+1 … Alt+0", "Strg+1 … Strg+8"} & set(rows)


def test_a_casework_vault_still_opens_on_heute_with_every_page(qtbot: QtBot, vault: Vault,
                                                                vault_dir: Path) -> None:
    vault.lock()
    window = opened(qtbot, vault_dir)
    ws = workspace(window)
    assert bar(ws) == CASEWORK_PAGES
    assert ws.current_page() == Page.TODAY
    assert ws.case_bar.isVisible() and ws.cases_menu.isVisible()
    assert window.findChild(OrientationBar) is not None
    assert {f"Ctrl+{n}" for n in range(1, 9)} | {"Ctrl+N", "Ctrl+W"} <= held_keys(window)
    for number, code in enumerate([Page.TODAY, Page.CASES, Page.DIRECTORY, Page.GAPS,
                                   Page.CONFERENCES, Page.CERTIFICATES, Page.SETTINGS,
                                   Page.SYNC], start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), CTRL)
        qtbot.waitUntil(lambda c=code: ws.current_page() == c, timeout=T)
    sync = ws.pages[Page.SYNC]
    assert isinstance(sync, SyncPage)
    assert [sync.tabs.tabText(i) for i in range(sync.tabs.count())] == [
        "&Konflikte", "&Eingang", "Geteilte &Fälle"]
    assert window.findChild(ReportsTab) is None

    rows = shortcut_rows(qtbot, window)
    assert {"Strg+N", "Strg+W", "Alt+1 … Alt+0", "Strg+1 … Strg+8"} <= set(rows)
    assert "Fallakte" in rows["Strg+S"]
