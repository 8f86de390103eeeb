"""What Lotse puts on the (real, offscreen) clipboard carries the formats that keep it out of
Windows' clipboard history and cloud clipboard, by keyboard and through the context menu alike,
and is gone after a lock, unless the person copied something else since. A passphrase field
never copies."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QStringListModel, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services.cases.records import NewCase
from app.services.cases.write import create_case
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


def open_context_menu(qtbot: QtBot, widget: QWidget) -> QMenu:
    """A right click as the platform delivers it: a context menu event where the mouse is (the
    viewport of a text edit); Qt then builds and shows the widget's standard menu."""
    target = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
    at = QPoint(5, 5)
    QApplication.sendEvent(target, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at,
                                                     target.mapToGlobal(at)))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5000)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    return menu


def choose(qtbot: QtBot, menu: QMenu, name: str) -> None:
    """Click the entry ("Kopieren" is named edit-copy, "Ausschneiden" edit-cut)."""
    action = next(a for a in menu.actions() if a.objectName() == name)
    assert action.isEnabled(), name
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None, timeout=5000)


def test_copy_and_cut_from_the_context_menu_are_private_as_with_the_keyboard(
        qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    guard = ClipboardGuard(host)
    layout = QVBoxLayout(host)
    field, note, label = QLineEdit(), QPlainTextEdit(), QLabel("DO-2026-K7QX-0007 Öztürk")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    for widget in (field, note, label):
        layout.addWidget(widget)
    host.show()
    qtbot.waitExposed(host)

    qtbot.keyClicks(field, "DO-2026-K7QX-0042 Termin")
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    choose(qtbot, open_context_menu(qtbot, field), "edit-cut")
    assert field.text() == ""
    assert_marked_private("DO-2026-K7QX-0042 Termin")
    field.undo()
    assert field.text() == "DO-2026-K7QX-0042 Termin"  # undone as Qt's cut is

    note.setFocus()
    qtbot.keyClicks(note, "Hausbesuch am Montag")
    qtbot.keyClick(note, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    choose(qtbot, open_context_menu(qtbot, note), "edit-copy")
    assert_marked_private("Hausbesuch am Montag")

    label.setSelection(0, 17)  # as a drag with the mouse selects
    choose(qtbot, open_context_menu(qtbot, label), "edit-copy")
    assert_marked_private("DO-2026-K7QX-0007")
    assert guard.clear_if_ours() and clipboard_text() == ""
