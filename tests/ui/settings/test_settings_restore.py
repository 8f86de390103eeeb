"""Einstellungen → "Sicherung wiederherstellen" with a real backup made by app.backup: a
verified backup replaces the vault (the old one kept beside it) and the window asks for the
backup's passphrase; a backup with one flipped byte is refused in German and nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import restore as restore_module
from app.backup import backup
from app.backup_format import FORGED_DE
from app.demo.generator import generate_demo
from app.services.cases.read import list_cases
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import DB_NAME, Vault
from tests.conftest import PASSPHRASE, file_hashes
from tests.ui.settle import settle
from tests.ui.window_helpers import T, unlock_by_typing
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.settings.page import SettingsPage
from ui.settings.restore_box import CONFIRM_WORD, RestoreBox

LONG = 120000  # a restore unwraps the key and reads every page


def backed_up(vault: Vault, tmp_path: Path) -> Path:
    """A backup with one case, then a second case the backup does not have."""
    create_case(vault, NewCase(given_names="Vor", family_name="Sicherung", municipality="DO"))
    target = tmp_path / "sicherungen"
    target.mkdir()
    made = backup(vault, target).path
    create_case(vault, NewCase(given_names="Nach", family_name="Sicherung", municipality="DO"))
    vault.lock()
    return made


def settings_of(qtbot: QtBot, vault_dir: Path) -> tuple[MainWindow, RestoreBox]:
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=T)
    unlock_by_typing(qtbot, window, PASSPHRASE)
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)  # Einstellungen
    assert window.workspace is not None
    qtbot.waitUntil(lambda: isinstance(window.workspace.currentWidget(), SettingsPage),
                    timeout=T)
    page = window.workspace.currentWidget()
    assert isinstance(page, SettingsPage)
    return window, page.restore_box


def fill_in(qtbot: QtBot, box: RestoreBox, chosen: Path) -> None:
    box.path.setFocus()
    qtbot.keyClicks(box.path, str(chosen))
    qtbot.keyClicks(box.passphrase, PASSPHRASE)
    qtbot.keyClicks(box.confirmation, CONFIRM_WORD)
    box.button.setFocus()
    qtbot.keyClick(box.button, Qt.Key.Key_Space)


def names(window: MainWindow) -> set[str]:
    assert window.ctx is not None
    window.ctx.wait_idle()
    return {c.family_name + ", " + c.given_names for c in list_cases(window.ctx.vault()).rows}


def test_restore_replaces_the_vault_and_asks_for_the_backups_passphrase(
        qtbot: QtBot, vault: Vault, vault_dir: Path, tmp_path: Path) -> None:
    made = backed_up(vault, tmp_path)
    window, box = settings_of(qtbot, vault_dir)
    assert names(window) == {"Sicherung, Vor", "Sicherung, Nach"}
    # Without the typed word nothing starts.
    box.path.setFocus()
    qtbot.keyClicks(box.path, str(made / "manifest.json"))
    qtbot.keyClicks(box.passphrase, PASSPHRASE)
    box.button.setFocus()
    qtbot.keyClick(box.button, Qt.Key.Key_Space)
    assert box.confirm_error.isVisibleTo(box) and CONFIRM_WORD in box.confirm_error.text()
    qtbot.keyClicks(box.confirmation, CONFIRM_WORD)
    box.button.setFocus()
    qtbot.keyClick(box.button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.ctx is None
                    and "wiederhergestellt" in window.unlock_page.message.text(), timeout=LONG)
    # (the settings page went with the lock: its fields are deleted by now)
    old = [p for p in vault_dir.parent.iterdir() if p.name.startswith("vault.replaced-")]
    assert len(old) == 1 and str(old[0]) in window.unlock_page.message.text()
    assert not [p for p in vault_dir.parent.iterdir() if ".restore-" in p.name]
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert names(window) == {"Sicherung, Vor"}  # the state of the backup


def test_a_damaged_backup_is_refused_and_nothing_changes(
        qtbot: QtBot, ctx: AppContext, vault_dir: Path, tmp_path: Path) -> None:
    # Test setup on the GUI thread while the database thread is idle (as the case fixtures do).
    create_case(ctx.vault(), NewCase(given_names="Vor", family_name="Sicherung",
                                     municipality="DO"))
    target = tmp_path / "sicherungen"
    target.mkdir()
    made = backup(ctx.vault(), target).path
    data = bytearray((made / DB_NAME).read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit in the middle of the store
    (made / DB_NAME).write_bytes(bytes(data))
    page = SettingsPage(ctx)  # alone: no other page queues reads that write audit entries
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.settings is not None, timeout=T)
    settle(ctx)
    before = file_hashes(vault_dir)
    siblings = sorted(p.name for p in vault_dir.parent.iterdir())
    box = page.restore_box
    fill_in(qtbot, box, made)
    qtbot.waitUntil(lambda: box.message.text().startswith("Nicht wiederhergestellt"),
                    timeout=LONG)
    assert FORGED_DE in box.message.text()
    settle(ctx)
    assert file_hashes(vault_dir) == before
    assert sorted(p.name for p in vault_dir.parent.iterdir()) == siblings
    assert ctx.vault().folder == vault_dir and not ctx.vault().locked  # still open, as it was


def test_abbrechen_during_the_restore_stops_it_and_changes_nothing(
        qtbot: QtBot, ctx: AppContext, vault_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    generate_demo(ctx.vault(), 10, seed=5)  # many chunks to copy and hash: many reports
    monkeypatch.setattr(restore_module, "CHUNK", 16 * 1024)
    target = tmp_path / "sicherungen"
    target.mkdir()
    made = backup(ctx.vault(), target).path
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    qtbot.waitUntil(lambda: page.settings is not None, timeout=T)
    settle(ctx)
    before = (file_hashes(vault_dir), file_hashes(made))
    siblings = sorted(p.name for p in vault_dir.parent.iterdir())
    box = page.restore_box
    seen: list[tuple[int, int, bool]] = []
    values: list[int] = []

    def first_report(value: int) -> None:
        values.append(value)
        # At the first report the restore is mid-way; "Abbrechen" has the focus.
        if not seen:
            bar = box.progress.bar
            seen.append((value, bar.maximum(), box.progress.cancel_button.hasFocus()))
            qtbot.keyClick(box.progress.cancel_button, Qt.Key.Key_Space)

    box.progress.bar.valueChanged.connect(first_report)
    fill_in(qtbot, box, made)
    cancelled_de = "Wiederherstellung abgebrochen; der Tresor ist unverändert."
    qtbot.waitUntil(lambda: box.message.text() == cancelled_de, timeout=LONG)
    value, maximum, focused = seen[0]
    assert 0 < value < maximum and focused  # a determinate bar, and Abbrechen to press
    assert max(values) < maximum  # it stopped mid-way, not after a finished restore
    assert not box.progress.isVisible() and box.button.isEnabled()
    settle(ctx)
    assert (file_hashes(vault_dir), file_hashes(made)) == before
    assert sorted(p.name for p in vault_dir.parent.iterdir()) == siblings
    assert ctx.vault().folder == vault_dir and not ctx.vault().locked
