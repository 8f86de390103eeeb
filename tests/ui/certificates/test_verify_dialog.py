"""The dialog "Bescheinigung prüfen" on a real vault with real seals and real PDFs: an issued
certificate's PDF is "gültig", one with a changed seal "verändert oder nicht lesbar", a revoked
one "widerrufen" with its date; a check code typed key by key is answered too. The answer is
words, not only colour, and a screen reader gets it as the result's name."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAccessible, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.printing import render_certificate
from app.services.certificates.write import revoke_certificate
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.certificates.support import NOW, WAIT, Issued, seed_certificates
from tests.ui.settle import settle
from tests.ui.window_helpers import unlock_by_typing
from ui.certificates.verify_dialog import VerifyDialog
from ui.context import AppContext
from ui.main_window import MainWindow


@pytest.fixture
def issued(vault: Vault) -> Issued:
    return seed_certificates(vault)


def dialog(qtbot: QtBot, ctx: AppContext) -> VerifyDialog:
    ctx.vault().clock = FixedClock(NOW)
    shown = VerifyDialog(ctx)  # as open_verify_dialog makes it, kept for the test to close
    qtbot.addWidget(shown)
    shown.resize(1280, 720)
    shown.show()
    return shown


def check_path(qtbot: QtBot, ctx: AppContext, d: VerifyDialog, path: Path) -> str:
    d.path.setFocus()
    qtbot.keyClick(d.path, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(d.path, str(path))
    qtbot.keyClick(d.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: d.verdict is not None, timeout=WAIT)
    settle(ctx)
    assert d.isVisible()  # Enter checks; it does not close the dialog
    return d.answer_text()


def spoken(d: VerifyDialog) -> str:
    face = QAccessible.queryAccessibleInterface(d.answer_box)
    assert face is not None
    return face.text(QAccessible.Text.Name)


def tampered(qr_text: str) -> str:
    """One character of the seal's Base45 text changed (still Base45, still a QR code)."""
    at = len(qr_text) // 2
    return qr_text[:at] + ("A" if qr_text[at] != "A" else "B") + qr_text[at + 1:]


def test_an_issued_certificate_is_valid_and_a_changed_one_is_not(
        qtbot: QtBot, issued: Issued, ctx: AppContext, tmp_path: Path) -> None:
    doc = issued.oeztuerk.document
    good = tmp_path / "bescheinigung.pdf"
    good.write_bytes(render_certificate(doc))
    bad = tmp_path / "veraendert.pdf"
    bad.write_bytes(render_certificate(replace(doc, qr_text=tampered(doc.qr_text))))
    other_page = tmp_path / "andere-nummer.pdf"
    other_page.write_bytes(render_certificate(replace(doc, serial=doc.serial[:-4] + "0999")))
    d = dialog(qtbot, ctx)

    answer = check_path(qtbot, ctx, d, good)
    assert answer.splitlines()[0] == "✓ gültig"
    assert doc.serial in answer and "Stadt Dortmund" in answer and "25.11.2026" in answer
    assert "Öztürk" in answer  # the holder, from the seal
    assert spoken(d).startswith("Ergebnis der Prüfung: gültig")

    answer = check_path(qtbot, ctx, d, bad)
    assert answer.splitlines()[0] == "✗ verändert oder nicht lesbar"
    assert d.verdict is not None and d.reason.text() == d.verdict.message_de
    assert "Öztürk" not in answer
    assert spoken(d).startswith("Ergebnis der Prüfung: verändert oder nicht lesbar")

    # A genuine seal on a page whose printed number was changed: the seal is readable, but
    # what it says is not shown as if it were confirmed.
    answer = check_path(qtbot, ctx, d, other_page)
    assert answer.splitlines()[0] == "✗ verändert oder nicht lesbar"
    assert d.verdict is not None and d.verdict.payload is not None
    assert "Öztürk" not in answer and "Laut Siegel" not in answer


def test_a_revoked_certificate_says_so_with_the_date(
        qtbot: QtBot, issued: Issued, ctx: AppContext, tmp_path: Path) -> None:
    pdf = tmp_path / "widerrufen.pdf"
    pdf.write_bytes(render_certificate(issued.petrovic.document))
    d = dialog(qtbot, ctx)
    revoke_certificate(ctx.vault(), issued.petrovic.serial, "Massnahme abgebrochen")
    answer = check_path(qtbot, ctx, d, pdf)
    assert answer.splitlines()[0] == "✗ widerrufen"
    assert "25.11.2026 widerrufen" in answer  # when
    assert "Massnahme abgebrochen" in answer  # why
    assert "Stand der Widerrufsliste:" in answer  # as of which list
    assert answer.count("Massnahme abgebrochen") == 1  # said once, not twice


def test_a_check_code_typed_key_by_key(qtbot: QtBot, issued: Issued, ctx: AppContext) -> None:
    d = dialog(qtbot, ctx)
    d.code.setFocus()
    qtbot.keyClicks(d.code, issued.petrovic.document.check_code)
    qtbot.keyClick(d.code, Qt.Key.Key_Return)
    settle(ctx)
    assert d.isVisible() and d.verdict is not None, d.answer_text()
    assert d.answer_text().splitlines()[0] == "✓ gültig"
    assert issued.petrovic.serial in d.answer_text()

    d.code.setFocus()
    qtbot.keyClick(d.code, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(d.code, "AAAAA-AAAAA")
    qtbot.keyClick(d.code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: d.verdict is not None, timeout=WAIT)
    assert d.answer_text().splitlines()[0] != "✓ gültig"


def test_a_missing_file_is_named_before_anything_is_read(
        qtbot: QtBot, issued: Issued, ctx: AppContext, tmp_path: Path) -> None:
    d = dialog(qtbot, ctx)
    d.path.setFocus()
    qtbot.keyClicks(d.path, str(tmp_path / "gibt-es-nicht.pdf"))
    qtbot.keyClick(d.path, Qt.Key.Key_Return)
    assert d.reason.text() == "Diese Datei gibt es nicht." and d.verdict is None


def test_the_main_window_opens_it_with_ctrl_shift_p(
        qtbot: QtBot, issued: Issued, vault: Vault, vault_dir: Path) -> None:
    vault.lock()  # the window unlocks it itself, as a person does
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    action = window.help_menu.verify_action
    assert action.shortcut() == QKeySequence("Ctrl+Shift+P")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(VerifyDialog)),
                    timeout=WAIT)
    window.lock()  # the answer names a person: the dialog goes with the lock
    qtbot.waitUntil(lambda: not any(d.isVisible() for d in window.findChildren(VerifyDialog)),
                    timeout=WAIT)
    window.close()


def test_a_pdf_dropped_on_the_dialog_is_checked(
        qtbot: QtBot, issued: Issued, ctx: AppContext, tmp_path: Path) -> None:
    pdf = tmp_path / "gezogen.pdf"
    pdf.write_bytes(render_certificate(issued.oeztuerk.document))
    d = dialog(qtbot, ctx)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf))])
    where = QPointF(d.rect().center())
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(d, enter)
    assert enter.isAccepted()
    drop = QDropEvent(where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(d, drop)
    qtbot.waitUntil(lambda: d.verdict is not None, timeout=WAIT)
    assert d.path.text() == str(pdf)
    assert d.answer_text().splitlines()[0] == "✓ gültig"
