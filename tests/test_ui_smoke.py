"""The desktop starts offscreen, unlocks a real vault off the GUI thread and shows its size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from ui.main_window import MainWindow


def test_unlock_window_opens_vault_and_counts_cases(qtbot: QtBot, vault: Vault,
                                                    vault_dir: Path) -> None:
    from app.services.cases import NewCase, create_case

    create_case(vault, NewCase(given_names="Ayşe", family_name="Öztürk", municipality="DO"))
    vault.lock()
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.unlock_page
    window.unlock_page.passphrase.setText("falsch falsch")
    qtbot.mouseClick(window.unlock_page.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "falsch" in window.unlock_page.message.text(), timeout=10000)
    window.unlock_page.passphrase.setText(PASSPHRASE)
    qtbot.keyClick(window.unlock_page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=10000)
    summary = window.findChild(QLabel, "homeSummary")
    assert summary is not None and "<b>1</b> Fälle" in summary.text()
    assert "Klärung / Zugang</td><td align='right'>1<" in summary.text()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.unlock_page
    assert window.home.summary.text() == ""
    assert window.session._vault is None


def test_first_start_shows_create_page(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(tmp_path / "neu")
    qtbot.addWidget(window)
    assert window.stack.currentWidget() is window.create_page
    window.create_page.passphrase.setText("kurz")
    assert "Zu kurz" in window.create_page.strength.text()
