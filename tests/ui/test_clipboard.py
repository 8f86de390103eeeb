"""What Lotse puts on the (real, offscreen) clipboard carries the formats that keep it out of
Windows' clipboard history and cloud clipboard, and is gone after a lock, unless the person
copied something else since. A passphrase field never copies."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QListView, QWidget
from pytestqt.qtbot import QtBot

from app.services.cases import NewCase, create_case
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.window_helpers import (
    DRAFT,
    lock_by_keyboard,
    open_case_with_draft,
    unlock_by_typing,
)
from ui.clipboard import ClipboardGuard
from ui.main_window import MainWindow

WINDOWS_PRIVATE = {
    'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"':
        b"\x01\x00\x00\x00",
    'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"': b"\x00" * 4,
    'application/x-qt-windows-mime;value="CanUploadToCloudClipboard"': b"\x00" * 4,
}


def clipboard_text() -> str:
    return QGuiApplication.clipboard().text()


def assert_marked_private(text: str) -> None:
    mime = QGuiApplication.clipboard().mimeData()
    assert mime is not None and mime.text() == text
    for name, value in WINDOWS_PRIVATE.items():
        assert mime.hasFormat(name), name
        assert mime.data(name).data() == value, name


def copy_draft_in_lotse(qtbot: QtBot, window: MainWindow, case_id: int) -> None:
    case = open_case_with_draft(qtbot, window, case_id)
    text = case.section("journal").text
    qtbot.keyClick(text, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(text, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)


def unlocked_window(qtbot: QtBot, vault: Vault, vault_dir: Path) -> tuple[MainWindow, int]:
    case_id = create_case(vault, NewCase("Ayşe", "Öztürk", "DO"))
    vault.lock()
    QGuiApplication.clipboard().setText("vorher")
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    return window, case_id


def test_a_copy_from_a_case_is_private_and_gone_after_the_lock(
        qtbot: QtBot, vault: Vault, vault_dir: Path) -> None:
    window, case_id = unlocked_window(qtbot, vault, vault_dir)
    copy_draft_in_lotse(qtbot, window, case_id)
    assert_marked_private(DRAFT)
    lock_by_keyboard(qtbot, window)
    assert clipboard_text() == ""  # a paste after the lock finds nothing of the case
    window.close()


def test_what_the_person_copied_elsewhere_since_stays(qtbot: QtBot, vault: Vault,
                                                      vault_dir: Path) -> None:
    window, case_id = unlocked_window(qtbot, vault, vault_dir)
    copy_draft_in_lotse(qtbot, window, case_id)
    # Then the person copies something in another program (on this offscreen platform the
    # clipboard never reports us as its owner, exactly as for another program's data).
    QGuiApplication.clipboard().setText("Einkaufsliste für Freitag")
    lock_by_keyboard(qtbot, window)
    assert clipboard_text() == "Einkaufsliste für Freitag"
    window.close()


def test_cut_from_a_field_and_copy_from_a_list_are_private_a_passphrase_never_copies(
        qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    guard = ClipboardGuard(host)
    field = QLineEdit(host)
    secret = QLineEdit(host)
    secret.setEchoMode(QLineEdit.EchoMode.Password)
    listing = QListView(host)
    listing.setModel(QStringListModel(["DO-2026-K7QX-0001", "DO-2026-K7QX-0002"], listing))
    host.show()

    qtbot.keyClicks(field, "DO-2026-K7QX-0042 Termin")
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == ""  # cut as Qt cuts
    assert_marked_private("DO-2026-K7QX-0042 Termin")
    field.undo()
    assert field.text() == "DO-2026-K7QX-0042 Termin"  # and undone as Qt's cut is

    listing.setFocus()
    listing.setCurrentIndex(listing.model().index(1, 0))
    qtbot.keyClick(listing, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert_marked_private("DO-2026-K7QX-0002")

    qtbot.keyClicks(secret, "geheime Passphrase")
    qtbot.keyClick(secret, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(secret, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard_text() == "DO-2026-K7QX-0002"  # unchanged
    assert guard.clear_if_ours() and clipboard_text() == ""
