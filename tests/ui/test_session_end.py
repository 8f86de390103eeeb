"""The session ending (SIGTERM, log-off, quit) seals unsaved input and open case files exactly as
a lock does: after a restart and unlock they are back."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import DRAFTS_NAME, Vault
from tests.conftest import PASSPHRASE
from tests.support.desktop_process import start_child, wait_for_line
from tests.ui.window_helpers import DRAFT, open_case_with_draft, unlock_by_typing
from ui.main_window import MainWindow
from ui.session_end import SessionEnd

T = 20000


def assert_case_and_draft_back(qtbot: QtBot, vault_dir: Path, case_id: int,
                               draft: str) -> None:
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.workspace is not None
    reopened: Any = window.workspace.currentWidget()
    assert getattr(reopened, "case_id", None) == case_id
    text = reopened.section("journal").text
    qtbot.waitUntil(lambda: text.toPlainText() == draft, timeout=T)
    assert not (vault_dir / DRAFTS_NAME).exists()  # taken once
    window.close()


def test_sigterm_seals_the_draft_and_the_open_case(qtbot: QtBot, vault: Vault, vault_dir: Path,
                                                   tmp_path: Path) -> None:
    case_id = create_case(vault, NewCase("Ayşe", "Öztürk", "DO"))
    vault.lock()
    proc = start_child("sigterm", vault_dir, case_id, PASSPHRASE, tmp_path)
    try:
        line = wait_for_line(proc)
        assert line == "ready", proc.stderr.read() if proc.stderr else line
        os.kill(proc.pid, signal.SIGTERM)  # a shutdown, or the session stopping its programs
        assert proc.wait(timeout=60) == 0  # ended by itself, after sealing
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert (vault_dir / DRAFTS_NAME).is_file()
    assert_case_and_draft_back(qtbot, vault_dir, case_id, DRAFT)


def test_quitting_the_application_seals_like_a_lock(qtbot: QtBot, vault: Vault,
                                                    vault_dir: Path) -> None:
    case_id = create_case(vault, NewCase("Ayşe", "Öztürk", "DO"))
    vault.lock()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    session_end = SessionEnd(app)
    session_end.ending.connect(window.end_session)
    try:
        unlock_by_typing(qtbot, window, PASSPHRASE)
        unlocked = window.session.vault()
        open_case_with_draft(qtbot, window, case_id)
        app.aboutToQuit.emit()  # what QApplication.quit() sends before the loop ends
        assert window.ctx is None and unlocked.locked
        assert "sicher verwahrt" in window.unlock_page.message.text()
    finally:
        session_end.close()
    window.close()
    assert_case_and_draft_back(qtbot, vault_dir, case_id, DRAFT)
