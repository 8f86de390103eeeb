"""The page "Bescheinigungen", driven by the keyboard at 1280×720 on a real vault: Ctrl+6
shows it with the search focused, typing filters the register, a revocation needs a reason and
is what the vault then says, Enter opens the case file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.services.certificates.read import certificate_register
from app.services.certificates.records import RegisterFilter
from app.vault.store import Vault
from tests.ui.certificates.support import (
    CTRL,
    WAIT,
    Issued,
    dialog_of,
    press,
    seed_certificates,
    table_texts,
    workspace,
)
from tests.ui.settle import settle
from ui.casefile._form import alive
from ui.casefile.window import CaseFileWidget
from ui.certificates.output import CertificateOutput
from ui.certificates.revoke_dialog import NO_REASON_DE, NOT_CONFIRMED_DE, RevokeDialog
from ui.context import AppContext
from ui.help_menu import SHORTCUT_TEXTS, german_keys

SERIAL, HOLDER, COPIES, STATE = 0, 2, 6, 7


@pytest.fixture
def issued(vault: Vault) -> Issued:
    return seed_certificates(vault)


def test_ctrl6_shows_the_register_and_typing_filters_it(
        qtbot: QtBot, issued: Issued, ctx: AppContext) -> None:
    ws, page = workspace(qtbot, ctx)
    register = page.register
    assert QApplication.focusWidget() is register.search  # Ctrl+6: typing searches at once
    assert sorted(table_texts(page, SERIAL)) == sorted([issued.oeztuerk.serial,
                                                        issued.petrovic.serial])
    assert table_texts(page, STATE) == ["gültig", "gültig"]
    # The Art filter knows the templates' kinds too, not only the built-in three.
    vorsprache = register.kind.findData("attendance")
    assert vorsprache >= 0 and register.kind.itemText(vorsprache) == "Bestätigung über die " \
        "Vorsprache"

    qtbot.keyClicks(register.search, "petro")  # key by key, as typed
    settle(ctx)
    assert table_texts(page, SERIAL) == [issued.petrovic.serial]
    assert "Petrovic" in table_texts(page, HOLDER)[0]
    assert register.message.text() == "1 Bescheinigung"

    # The check code read over the phone finds it too (typed without the hyphen's case).
    code = issued.oeztuerk.document.check_code
    qtbot.keyClick(register.search, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(register.search, code.lower())
    settle(ctx)
    assert table_texts(page, SERIAL) == [issued.oeztuerk.serial]

    # Tab reaches the table (through the filters); Ctrl+F comes back to the search.
    register.table.setFocus()
    qtbot.keyClick(register.table, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is register.search
    assert register.search.selectedText() == register.search.text()  # typing replaces it
    chain, widget = [], register.search.nextInFocusChain()
    while widget is not register.search and len(chain) < 40:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    assert register.table in chain

    # Enter on the row opens the person's case file.
    register.table.setFocus()
    qtbot.keyClick(register.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(ws.currentWidget(), CaseFileWidget), timeout=WAIT)
    case = ws.currentWidget()
    assert isinstance(case, CaseFileWidget) and case.case_id == issued.oeztuerk_case


def test_revoking_needs_a_reason_and_the_vault_agrees(
        qtbot: QtBot, issued: Issued, ctx: AppContext) -> None:
    _ws, page = workspace(qtbot, ctx)
    register = page.register
    qtbot.keyClicks(register.search, "petro")
    settle(ctx)
    register.table.setFocus()
    press(qtbot, register.revoke_button)
    dialog = dialog_of(qtbot, register, RevokeDialog)
    said = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert issued.petrovic.serial in said and "endgültig" in said  # which one, and final

    press(qtbot, dialog.revoke_button)  # no reason: refused at the field
    settle(ctx)
    assert dialog.isVisible() and dialog.errors.labels["reason"].text() == NO_REASON_DE
    qtbot.keyClicks(dialog.reason, "Massnahme abgebrochen")
    press(qtbot, dialog.revoke_button)  # not yet confirmed as final
    settle(ctx)
    assert dialog.isVisible() and dialog.errors.labels["confirm"].text() == NOT_CONFIRMED_DE
    assert certificate_register(ctx.vault(), RegisterFilter(state="revoked")) == []

    press(qtbot, dialog.confirm)  # Space ticks "endgültig widerrufen"
    press(qtbot, dialog.revoke_button)
    qtbot.waitUntil(lambda: not alive(dialog) or not dialog.isVisible(), timeout=WAIT)
    settle(ctx)
    assert table_texts(page, STATE) == ["widerrufen am 25.11.2026"]
    assert not register.revoke_button.isEnabled()  # a revocation is final
    rows = certificate_register(ctx.vault(), RegisterFilter(state="revoked"))
    assert [(r.serial, r.revoke_reason) for r in rows] == [
        (issued.petrovic.serial, "Massnahme abgebrochen")]

    # The state filter: "gültig" leaves only the other one.
    register.state.setFocus()
    while register.state.currentData() != "valid":
        qtbot.keyClick(register.state, Qt.Key.Key_Up)
    qtbot.keyClick(register.search, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(register.search, Qt.Key.Key_Delete)
    settle(ctx)
    assert table_texts(page, SERIAL) == [issued.oeztuerk.serial]


def test_verify_shortcut_is_listed() -> None:
    assert "Ctrl+Shift+P" in SHORTCUT_TEXTS
    assert german_keys("Ctrl+Shift+P") == "Strg+Umschalt+P"


def test_preview_and_a_zweitschrift_from_the_register(
        qtbot: QtBot, issued: Issued, ctx: AppContext) -> None:
    _ws, page = workspace(qtbot, ctx)
    register = page.register
    qtbot.keyClicks(register.search, "petro")
    settle(ctx)
    register.table.setFocus()

    press(qtbot, register.preview_button)  # the original as issued: nothing is counted
    settle(ctx)
    shown = dialog_of(qtbot, register, CertificateOutput)
    assert shown.certificate.serial == issued.petrovic.serial and shown.certificate.copy == 0
    shown.close()
    assert table_texts(page, COPIES) == ["–"]

    register.table.setFocus()
    press(qtbot, register.reprint_button)
    box = dialog_of(qtbot, register, QMessageBox)
    yes = next(b for b in box.findChildren(QPushButton) if "Zweitschrift" in b.text())
    press(qtbot, yes)
    settle(ctx)
    copy = next(w for w in register.findChildren(CertificateOutput)
                if alive(w) and w.isVisible())
    assert copy.certificate.copy == 1 and copy.certificate.serial == issued.petrovic.serial
    assert table_texts(page, COPIES) == ["1 (zuletzt 25.11.2026)"]  # the register counts it
    rows = certificate_register(ctx.vault(), RegisterFilter(text=issued.petrovic.serial))
    assert [r.copies for r in rows] == [1]
