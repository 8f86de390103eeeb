"""The sync line in the main window's status bar at 1280×720 on real vaults: what it says
without a share, and "Jetzt synchronisieren" by its shortcut (F5) bringing in a colleague's
bundle, which the line then counts as waiting; the run's result is said in German."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.devices.read import own_device
from app.services.devices.write import trust
from app.services.directory.records import NewInstitution
from app.services.directory.write import add_institution
from app.services.sync.read import status
from app.services.sync.write import export_directory, run_sync, set_share_folder
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.sync.support import WAIT, colleague, share
from tests.ui.window_helpers import unlock_by_typing
from ui.help_menu import SHORTCUT_TEXTS
from ui.main_window import MainWindow
from ui.sync.controller import NO_SHARE_HINT_DE
from ui.sync.labels import NO_SHARE_DE
from ui.workspace import Page

SYNCED = re.compile(r"^Zuletzt abgeglichen (\d\d:\d\d|\d\d\.\d\d\. \d\d:\d\d) · Ausgang 0 · "
                    r"wartet (\d) · abgewiesen 0 · Konflikte 0$")


def open_window(qtbot: QtBot, vault_dir: Path) -> MainWindow:
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    window.activateWindow()
    return window


def test_without_a_share_the_line_says_so_and_f5_explains(qtbot: QtBot, vault: Vault,
                                                         vault_dir: Path) -> None:
    vault.lock()
    window = open_window(qtbot, vault_dir)
    line = window.sync.widget
    qtbot.waitUntil(lambda: line.isVisible() and line.text() == NO_SHARE_DE, timeout=WAIT)
    assert "F5" in SHORTCUT_TEXTS
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=WAIT)
    assert NO_SHARE_HINT_DE in window.statusBar().currentMessage() or \
        window.statusBar().currentMessage().startswith("Abgleich")
    # A click on the line opens the Abgleich page.
    qtbot.mouseClick(line.line, Qt.MouseButton.LeftButton)
    assert window.workspace is not None and window.workspace.current_page() == Page.SYNC
    window.close()


def test_f5_brings_in_a_colleagues_bundle_and_the_line_counts_it(
        qtbot: QtBot, vault: Vault, vault_dir: Path, tmp_path: Path, clock: FixedClock) -> None:
    folder = tmp_path / "share"
    with colleague(tmp_path / "bochum", clock) as other:
        share(folder, vault, other.vault())
        # She trusts this vault; this vault does not know yet that the card is hers.
        trust(other.vault(), own_device(vault).fingerprint_display)
        vault.lock()
        window = open_window(qtbot, vault_dir)
        line = window.sync.widget
        qtbot.waitUntil(lambda: SYNCED.match(line.text()) is not None, timeout=WAIT)
        assert SYNCED.match(line.text()).group(2) == "0"  # type: ignore[union-attr]

        add_institution(other.vault(), NewInstitution("Jobcenter Bielefeld", "jobcenter", "BI"))
        assert export_directory(other.vault()) is not None
        run_sync(other.vault())

        window.activateWindow()
        qtbot.keyClick(window, Qt.Key.Key_F5)
        qtbot.waitUntil(lambda: (m := SYNCED.match(line.text())) is not None
                        and m.group(2) == "1", timeout=WAIT)
        message = window.statusBar().currentMessage()
        assert message.startswith("Abgleich beendet:") and "1 wartet" in message
        assert window.ctx is not None
        window.ctx.wait_idle()
        assert status(window.ctx.vault()).waiting == 1
        window.close()


def test_the_share_gone_is_said_with_the_outbox(qtbot: QtBot, vault: Vault, vault_dir: Path,
                                                 tmp_path: Path) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    set_share_folder(vault, folder)
    folder.rmdir()  # the laptop left the office network
    vault.lock()
    window = open_window(qtbot, vault_dir)
    line = window.sync.widget
    qtbot.waitUntil(lambda: line.text() == "Austauschordner nicht erreichbar – Ausgang 0",
                    timeout=WAIT)
    window.close()
