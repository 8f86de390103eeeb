"""Abbrechen in Einstellungen: a cancelled backup leaves nothing in the folder and no "last
backup"; a cancelled passphrase change keeps the old passphrase. The button is there only while
work runs, takes the keyboard focus and works with the keyboard."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import backup as backup_module
from app.backup import BackupResult
from app.services.account import write as account_module
from app.services.account.read import last_backup
from app.settings import load_settings
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.settings.settings_helpers import settings_page
from tests.ui.window_helpers import assert_opens_only_with
from ui.context import AppContext
from ui.settings.page import SettingsPage
from ui.settings.progress_row import ProgressRow

WAIT = 20000
NEW = "Neue Passphrase fuer den Winter 2026"


def cancel_by_keyboard(qtbot: QtBot, row: ProgressRow) -> None:
    """While work runs the button is shown and focused: Space presses it."""
    assert row.isVisible() and row.cancel_button.isEnabled()
    assert QApplication.focusWidget() is row.cancel_button
    assert row.cancel_button.focusPolicy() & Qt.FocusPolicy.TabFocus
    qtbot.keyClick(row.cancel_button, Qt.Key.Key_Space)
    assert not row.cancel_button.isEnabled()  # pressed once; the work is stopping


class Pause:
    """Holds the real backup after its first batch of pages until the test lets it go on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reached, self.resume = threading.Event(), threading.Event()
        monkeypatch.setattr(backup_module, "COPY_STEP_PAGES", 4)  # several batches
        monkeypatch.setattr(account_module, "backup", self.backup)

    def backup(self, vault: Vault, folder: Path, **kw: Any) -> BackupResult:
        def report(done: int, total: int) -> None:
            kw["progress"](done, total)
            self.reached.set()
            self.resume.wait(WAIT / 1000)
        return backup_module.backup(vault, folder, progress=report, cancelled=kw["cancelled"])


def start_paused_backup(qtbot: QtBot, page: SettingsPage, pause: Pause, share: Path) -> None:
    share.mkdir()
    page.choose_folder = lambda _start: str(share)
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(pause.reached.is_set, timeout=WAIT)
    assert [p.name.endswith(".partial") for p in share.iterdir()] == [True]  # half written


def test_cancel_backup_midway_leaves_nothing_and_a_later_backup_works(
        qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pause = Pause(monkeypatch)
    page = settings_page(qtbot, ctx)
    row = page.backup_progress
    assert row.isHidden() and not row.cancel_button.isVisible()
    share = tmp_path / "share"
    start_paused_backup(qtbot, page, pause, share)
    cancel_by_keyboard(qtbot, row)
    assert page.backup_result.text() == "Die Sicherung wird abgebrochen …"
    pause.resume.set()
    qtbot.waitUntil(lambda: row.isHidden(), timeout=WAIT)
    assert page.backup_result.text() == "Sicherung abgebrochen – es wurde nichts geschrieben."
    assert list(share.iterdir()) == []
    assert page.backup_button.isEnabled()
    assert QApplication.focusWidget() is page.backup_button  # the keyboard user is back
    ctx.wait_idle()
    assert last_backup(ctx.vault()) is None
    assert load_settings(ctx.vault()).backup_folder in (None, "")
    assert page.last_backup_label.text() == "noch keine Sicherung"

    monkeypatch.undo()
    page.choose_folder = lambda _start: str(share)
    qtbot.mouseClick(page.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.backup_result.text().startswith("Gesichert nach"),
                    timeout=WAIT)
    assert row.isHidden()
    assert [p.name.endswith(".partial") for p in share.iterdir()] == [False]
    qtbot.waitUntil(lambda: "Uhr" in page.last_backup_label.text(), timeout=WAIT)


def test_locking_stops_a_running_backup(qtbot: QtBot, ctx: AppContext, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pause = Pause(monkeypatch)
    page = settings_page(qtbot, ctx)
    share = tmp_path / "share"
    start_paused_backup(qtbot, page, pause, share)
    ctx.locked.emit()  # what the main window does first when it locks
    pause.resume.set()
    assert ctx.wait_idle()
    assert list(share.iterdir()) == []
    assert last_backup(ctx.vault()) is None


def test_cancel_passphrase_change_keeps_the_old_passphrase(
        qtbot: QtBot, ctx: AppContext, vault_dir: Path) -> None:
    page = settings_page(qtbot, ctx)
    row = page.pass_progress
    assert row.isHidden()
    gate = threading.Event()
    ctx.run(lambda _vault: gate.wait(WAIT / 1000), lambda _r: None)  # the database thread is busy
    page.old_pass.setText(PASSPHRASE)
    page.new_pass.setText(NEW)
    page.repeat_pass.setText(NEW)
    qtbot.mouseClick(page.change_button, Qt.MouseButton.LeftButton)
    assert not page.change_button.isEnabled()
    cancel_by_keyboard(qtbot, row)
    gate.set()
    qtbot.waitUntil(lambda: row.isHidden(), timeout=WAIT)
    assert page.pass_message.text() == "Passphrase nicht geändert."
    assert page.change_button.isEnabled()
    assert QApplication.focusWidget() is page.change_button
    assert page.old_pass.text() == PASSPHRASE  # typed input kept for a second try
    ctx.wait_idle()
    ctx.session.lock()
    assert_opens_only_with(vault_dir, PASSPHRASE, NEW)
