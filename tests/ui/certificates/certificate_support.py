"""Typing a certificate into the issue dialog as a person does, and reading back what the vault
and the PDF hold (shared by the dialog, output and case-file section tests)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from app.services.certificates.read import certificate_register
from app.services.certificates.records import CertificateRow, RegisterFilter
from app.vault.store import Vault
from ui.certificates.issue_dialog import IssueDialog
from ui.certificates.output import CertificateOutput

WAIT = 20000
# The Teilnahmebescheinigung's fields as typed (ASCII only: lowercase umlauts crash keyClicks).
TYPED = {"massnahme": "Sprachkurs B1 Integrationskurs", "traeger": "VHS Dortmund",
         "von": "01.09.2026", "bis": "20.11.2026", "umfang": "300"}


def register_of(vault: Vault, case_id: int) -> list[CertificateRow]:
    return certificate_register(vault, RegisterFilter(case_ref=case_id))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def alt(qtbot: QtBot, window: QWidget, key: Qt.Key) -> None:
    """A mnemonic, typed where the keyboard focus is (as a person presses Alt+key)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(QApplication.focusWidget() or window, key, Qt.KeyboardModifier.AltModifier)


def choose_in(qtbot: QtBot, combo: QComboBox, wanted: str) -> None:
    """Arrow down through a focused combo box until ``wanted`` is shown."""
    qtbot.waitUntil(lambda: combo.count() > 1 or wanted in combo.currentText(), timeout=WAIT)
    combo.setFocus()
    for _ in range(combo.count()):
        if wanted in combo.currentText():
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert wanted in combo.currentText(), [combo.itemText(i) for i in range(combo.count())]


def fill_template(qtbot: QtBot, dialog: IssueDialog, values: dict[str, str] | None = None,
                  template: str = "Teilnahmebescheinigung") -> None:
    """Choose the template with the arrow keys, then Tab from field to field and type."""
    qtbot.waitUntil(lambda: dialog.template.count() > 0, timeout=WAIT)
    choose_in(qtbot, dialog.template, template)
    typed = TYPED if values is None else values
    # Rows added to a shown form appear a moment later (Qt shows them queued).
    qtbot.waitUntil(lambda: all(w.isVisible() for w in dialog.fields.inputs.values()),
                    timeout=WAIT)
    for key in dialog.fields.inputs:
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        assert focused() is dialog.fields.inputs[key], key  # Tab follows the form
        if key in typed:
            qtbot.keyClicks(focused(), typed[key])


def issue_by_keys(qtbot: QtBot, dialog: IssueDialog) -> None:
    """Strg+Eingabe, where the focus is."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT)
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def output_window() -> CertificateOutput | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, CertificateOutput) and widget.isVisible():
            return widget
    return None


def wait_output(qtbot: QtBot) -> CertificateOutput:
    qtbot.waitUntil(lambda: output_window() is not None, timeout=WAIT)
    window = output_window()
    assert window is not None
    qtbot.waitUntil(lambda: window.document.pageCount() >= 1 and window.pdf_bytes() is not None,
                    timeout=WAIT)
    return window


def save_pdf_by_keys(qtbot: QtBot, window: CertificateOutput, path: Path) -> list[str]:
    """Alt+S in the output view, the file question answered with ``path``."""
    suggested: list[str] = []

    def ask(name: str) -> str:
        suggested.append(name)
        return str(path)

    window.ask_save_path = ask
    alt(qtbot, window, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.message.text().startswith(("Gespeichert", "Nicht")),
                    timeout=WAIT)
    return suggested
