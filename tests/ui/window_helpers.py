"""What the whole-window tests check again and again: what is on screen, that a lock took the
personal data away and kept the draft, and which passphrase opens the vault; and what they do
again and again: type the passphrase, type a draft into a case, lock with Ctrl+L."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.errors import WrongPassphrase
from app.vault.store import open_vault
from ui.main_window import MainWindow

T = 20000
DRAFT = "Rueckruf wegen Kita Platz"  # ASCII: typed key by key


def visible_texts(window: MainWindow) -> str:
    QApplication.processEvents()
    texts = [w.text() for w in window.findChildren(QLabel) + window.findChildren(QLineEdit)]
    texts += [w.toPlainText() for w in window.findChildren(QPlainTextEdit)]
    return "\n".join(texts)


def assert_locked_with_draft_sealed(qtbot: QtBot, window: MainWindow, name: str, draft: str,
                                    timeout: int) -> None:
    """Locked: the unlock page shows, the client's name and the unsaved draft are off screen,
    and the message says the draft is kept."""
    assert window.workspace is None and window.ctx is None
    assert window.stack.currentWidget() is window.unlock_page
    assert "sicher verwahrt" in window.unlock_page.message.text()
    qtbot.waitUntil(lambda: name not in visible_texts(window), timeout=timeout)
    assert draft not in visible_texts(window)


def assert_opens_only_with(vault_dir: Path, passphrase: str, refused: str) -> None:
    with pytest.raises(WrongPassphrase):
        open_vault(vault_dir, refused)
    with open_vault(vault_dir, passphrase) as reopened:
        assert reopened.info.owner_name == "Test Fallmanagerin"


def unlock_by_typing(qtbot: QtBot, window: MainWindow, passphrase: str) -> None:
    field = window.unlock_page.passphrase
    field.setFocus()
    qtbot.keyClicks(field, passphrase)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.ctx is not None, timeout=T)


def open_case_with_draft(qtbot: QtBot, window: MainWindow, case_id: int) -> Any:
    assert window.ctx is not None
    window.ctx.case_open_requested.emit(case_id, "journal")
    qtbot.waitUntil(lambda: window.workspace is not None and getattr(
        window.workspace.currentWidget(), "case_id", None) == case_id, timeout=T)
    assert window.workspace is not None
    case: Any = window.workspace.currentWidget()
    text = case.section("journal").text
    text.setFocus()
    qtbot.keyClicks(text, DRAFT)
    return case


def lock_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.ctx is None, timeout=T)
