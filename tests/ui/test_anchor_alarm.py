"""The desktop after an older copy of the store was put back: a red bar after unlocking that
explains, stays across locks, and goes only when a new anchor is begun behind a confirmation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.cases.read import get_case
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.store import DB_NAME, Vault, open_vault
from db.engine import SIDECARS
from tests.conftest import PASSPHRASE, run_cli
from tests.support.rollback_helpers import roll_back_and_cut_anchor
from tests.ui.casefile.sections_support import answer_confirmation
from tests.ui.window_helpers import unlock_by_typing
from ui.anchor_alarm import AnchorAlarmBar, AnchorDetails
from ui.main_window import MainWindow

T = 20000


def _alarm(window: MainWindow) -> AnchorAlarmBar | None:
    QApplication.processEvents()
    bar = window.findChild(AnchorAlarmBar, "anchorAlarm")
    return bar if bar is not None and bar.isVisible() else None


def _unlock(qtbot: QtBot, window: MainWindow) -> None:
    """Type the passphrase key by key and press Enter, as a caseworker does."""
    unlock_by_typing(qtbot, window, PASSPHRASE)


def _roll_back(vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    case_id = create_case(vault, NewCase(given_names="Mariam", family_name="Haidari",
                                         municipality="DO"))
    vault.lock()
    old = (vault_dir / DB_NAME).read_bytes()
    clock.advance(timedelta(minutes=5))
    with open_vault(vault_dir, PASSPHRASE, clock) as later:
        get_case(later, case_id)
    for suffix in SIDECARS:
        (vault_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
    (vault_dir / DB_NAME).write_bytes(old)


def test_alarm_bar_after_a_rollback_until_a_new_anchor_is_begun(
        qtbot: QtBot, vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    _roll_back(vault, vault_dir, clock)
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: _alarm(window) is not None, timeout=T)
    bar = _alarm(window)
    assert bar is not None
    assert window.toolBarArea(bar) == Qt.ToolBarArea.TopToolBarArea
    shown = " ".join(label.text() for label in bar.findChildren(QLabel))
    assert "Prüfanker-Alarm" in shown and "ältere Kopie der Datenbank" in shown
    assert "Datenschutzbeauftragte" in shown

    # Locking takes the bar with everything else; the next unlock shows it again.
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.workspace is None, timeout=T)
    assert _alarm(window) is None
    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: _alarm(window) is not None, timeout=T)

    # Details explain; cancelling the confirmation changes nothing.
    bar = _alarm(window)
    assert bar is not None
    qtbot.mouseClick(bar.details_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(AnchorDetails, "anchorDetails")
    assert dialog is not None and dialog.isVisible()
    assert "Eintrag" in dialog.text.text() and "Datenschutzbeauftragte" in dialog.text.text()
    qtbot.mouseClick(dialog.restart_button, Qt.MouseButton.LeftButton)
    answer_confirmation(qtbot, dialog, "&Abbrechen")
    assert _alarm(window) is not None
    assert run_cli("check", vault=vault_dir).returncode == 3

    qtbot.mouseClick(dialog.restart_button, Qt.MouseButton.LeftButton)
    question = answer_confirmation(qtbot, dialog, "Neuen Prüfanker &beginnen")
    assert "nicht mehr erkennen" in question
    qtbot.waitUntil(lambda: _alarm(window) is None, timeout=T)
    assert "neuer Prüfanker" in window.statusBar().currentMessage()

    window.lock()
    assert window.ctx is None
    check = run_cli("check", vault=vault_dir)
    assert check.returncode == 0, check.stdout
    _unlock(qtbot, window)
    assert _alarm(window) is None
    window.lock()


def test_no_bar_while_store_and_anchor_agree(qtbot: QtBot, vault: Vault,
                                             vault_dir: Path) -> None:
    vault.lock()
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    _unlock(qtbot, window)
    assert window.ctx is not None and window.ctx.wait_idle()
    assert _alarm(window) is None
    window.lock()


def test_alarm_bar_when_the_failure_record_does_not_belong_to_the_store(
        qtbot: QtBot, vault: Vault, vault_dir: Path, clock: FixedClock) -> None:
    """An older store put back with the anchor cut to match: the anchor agrees, the failure
    record beside the vault does not; the same red bar, with its own text, until a new anchor."""
    roll_back_and_cut_anchor(vault, vault_dir, clock)
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    for _ in range(2):  # it stands at every unlock
        _unlock(qtbot, window)
        qtbot.waitUntil(lambda: _alarm(window) is not None, timeout=T)
        bar = _alarm(window)
        assert bar is not None
        shown = " ".join(label.text() for label in bar.findChildren(QLabel))
        assert "Prüfanker-Alarm" in shown and "Datei mit den Fehlversuchen" in shown
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: window.workspace is None, timeout=T)

    _unlock(qtbot, window)
    qtbot.waitUntil(lambda: _alarm(window) is not None, timeout=T)
    bar = _alarm(window)
    assert bar is not None
    qtbot.mouseClick(bar.details_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(AnchorDetails, "anchorDetails")
    assert dialog is not None and dialog.isVisible()
    assert "gehört nicht zu dieser Datenbank" in dialog.text.text()
    qtbot.mouseClick(dialog.restart_button, Qt.MouseButton.LeftButton)
    answer_confirmation(qtbot, dialog, "Neuen Prüfanker &beginnen")
    qtbot.waitUntil(lambda: _alarm(window) is None, timeout=T)
    window.lock()
    assert run_cli("check", vault=vault_dir).returncode == 0
    _unlock(qtbot, window)
    assert window.ctx is not None and window.ctx.wait_idle()
    assert _alarm(window) is None
    window.lock()
