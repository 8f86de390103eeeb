"""The demo vault says so on every screen; a first start shows an orientation once; the help
menu (F1) lists the shortcuts and says version, vault location and schema revision."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.demo.generator import generate_demo
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import Vault
from db import schema
from tests.conftest import PASSPHRASE
from tests.ui.window_helpers import T, lock_by_keyboard, unlock_by_typing
from ui.demo_banner import TEXT, demo_banner
from ui.help_menu import NO_TEXT, AboutDialog, ShortcutsDialog, german_keys
from ui.main_window import MainWindow
from ui.orientation import OrientationBar, OrientationDialog
from ui.pages import page_specs


@pytest.fixture
def demo_dir(vault: Vault, vault_dir: Path) -> Path:
    generate_demo(vault, 12, seed=3)
    vault.lock()
    return vault_dir


@pytest.fixture
def plain_dir(vault: Vault, vault_dir: Path) -> Path:
    create_case(vault, NewCase(given_names="Ayse", family_name="Kaya", municipality="DO"))
    vault.lock()
    return vault_dir


def opened(qtbot: QtBot, folder: Path) -> MainWindow:
    window = MainWindow(folder)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=T)
    unlock_by_typing(qtbot, window, PASSPHRASE)
    return window


def banner_shows_above(window: MainWindow) -> bool:
    banner = demo_banner(window)
    central = window.centralWidget()
    return (banner is not None and banner.isVisible() and banner.label.text() == TEXT
            and banner.geometry().bottom() < central.geometry().top()
            and window.stack.currentWidget() is window.workspace)


def test_the_demo_banner_is_on_every_page_and_case_tab(qtbot: QtBot, demo_dir: Path) -> None:
    window = opened(qtbot, demo_dir)
    qtbot.waitUntil(lambda: banner_shows_above(window), timeout=T)
    assert window.workspace is not None
    for number in range(1, len(page_specs()) + 1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda n=number: window.workspace is not None
                        and window.workspace.current_page() == page_specs()[n - 1].code
                        and banner_shows_above(window), timeout=T)
    assert window.ctx is not None
    window.ctx.case_open_requested.emit(1, "journal")
    qtbot.waitUntil(lambda: getattr(window.workspace.currentWidget(), "case_id", None) == 1
                    and banner_shows_above(window), timeout=T)
    # Locked, it goes with the workspace; unlocked again, it is back (the marker is stored).
    lock_by_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: demo_banner(window) is None, timeout=T)
    unlock_by_typing(qtbot, window, PASSPHRASE)
    qtbot.waitUntil(lambda: banner_shows_above(window), timeout=T)


def test_a_normal_vault_has_no_banner(qtbot: QtBot, plain_dir: Path) -> None:
    window = opened(qtbot, plain_dir)
    assert window.ctx is not None
    window.ctx.wait_idle()
    QApplication.processEvents()
    assert demo_banner(window) is None


def test_orientation_shows_once_without_taking_the_focus(qtbot: QtBot,
                                                         plain_dir: Path) -> None:
    window = opened(qtbot, plain_dir)
    bar = window.findChild(OrientationBar)
    assert bar is not None and window.isActiveWindow()
    # Laid out on the next turns of the event loop: above the workspace.
    qtbot.waitUntil(lambda: bar.isVisible() and bar.geometry().bottom()
                    < window.centralWidget().geometry().top(), timeout=T)
    bar.open_button.setFocus()
    qtbot.keyClick(bar.open_button, Qt.Key.Key_Space)
    dialog = window.findChild(OrientationDialog)
    assert dialog is not None and dialog.isVisible()
    for words in ("Heute", "Fälle", "Fallakte", "Lücken", "Verzeichnis", "Strg+L", "F1"):
        assert words in dialog.text.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # "Verstanden"
    assert not dialog.isVisible()
    lock_by_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: window.findChild(OrientationBar) is None, timeout=T)
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.ctx is not None
    window.ctx.wait_idle()
    QApplication.processEvents()
    assert window.findChild(OrientationBar) is None  # once per vault and user
    # Reopened from the help menu, by the keyboard.
    window.help_menu.orientation_action.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(OrientationDialog)),
                    timeout=T)


def test_f1_lists_the_shortcuts_and_about_says_version_location_revision(
        qtbot: QtBot, plain_dir: Path) -> None:
    window = opened(qtbot, plain_dir)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(ShortcutsDialog) is not None, timeout=T)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    rows = dict(dialog.rows())
    assert "sperren" in rows["Strg+L"] and rows["F1"].startswith("Hilfe")
    assert "Strg+W" in rows and "Alt+1 … Alt+0" in rows
    # Every shortcut the window holds is in the list, with a description: it cannot go stale.
    for shortcut in window.findChildren(QShortcut):
        key = shortcut.key().toString(QKeySequence.SequenceFormat.PortableText)
        if not key[-1].isdigit():
            assert rows.get(german_keys(key), NO_TEXT) != NO_TEXT, key
    dialog.reject()

    window.help_menu.about_action.trigger()
    about = window.findChild(AboutDialog)
    assert about is not None
    qtbot.waitUntil(lambda: "Tresorkürzel" in about.text.text(), timeout=T)
    text = about.text.text()
    assert f"Version {metadata.version('lotse')}" in text
    assert str(plain_dir) in text and f"Datenbankschema: {schema.HEAD_REVISION}" in text
    assert [a.text() for a in window.help_menu.menu.actions()] == [
        "&Tastenkürzel …", "&Einführung …", "Bescheinigung &prüfen …", "Ü&ber Lotse …"]
