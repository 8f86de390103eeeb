"""Bescheinigungen in the case file, by keyboard at 1280×720 on the real encrypted store: issue
a Teilnahmebescheinigung to the person, see it in the section and the register, preview it as
the real PDF, save it and read the file back; a Zweitschrift; a revocation needs a reason."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.casefile.casefile_helpers import open_case, section_of
from tests.ui.casefile.sections_support import Seed
from tests.ui.certificates.certificate_support import (
    WAIT,
    alt,
    fill_template,
    focused,
    issue_by_keys,
    output_window,
    pdf_text,
    register_of,
    save_pdf_by_keys,
    wait_output,
)
from tests.ui.settle import settle
from ui.casefile.sections.certificates import CertificatesSection
from ui.casefile.window import CaseFileWidget
from ui.certificates.issue_dialog import IssueDialog
from ui.certificates.revoke_dialog import RevokeDialog
from ui.context import AppContext


def open_section(qtbot: QtBot, ctx: AppContext, case_id: int) -> tuple[CaseFileWidget,
                                                                      CertificatesSection]:
    widget = open_case(qtbot, ctx, case_id)
    widget.resize(1280, 720)
    widget.nav.setFocus()
    qtbot.keyClick(widget.nav, Qt.Key.Key_End)  # the last section of the list
    assert widget.current_section() == "certificates"
    section = section_of(widget, "certificates", CertificatesSection)
    assert widget.stack.currentWidget() is section
    settle(ctx)
    return widget, section


def issue_to_person(qtbot: QtBot, widget: CaseFileWidget, section: CertificatesSection) -> None:
    qtbot.keyClick(widget.nav, Qt.Key.Key_Tab)  # into the section
    alt(qtbot, widget, Qt.Key.Key_A)  # Bescheinigung &ausstellen …
    qtbot.waitUntil(lambda: isinstance(section.issue_dialog, IssueDialog)
                    and section.issue_dialog.isVisible(), timeout=WAIT)
    dialog = section.issue_dialog
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT)
    fill_template(qtbot, dialog)
    assert dialog.recipient.person.isChecked()  # handed to the person: the default
    issue_by_keys(qtbot, dialog)


def test_issue_to_the_person_preview_and_save(qtbot: QtBot, seed: Seed, ctx: AppContext,
                                              tmp_path: Path) -> None:
    widget, section = open_section(qtbot, ctx, seed.case_id)
    assert section.model.rowCount() == 0
    issue_to_person(qtbot, widget, section)
    output = wait_output(qtbot)  # the preview opens on its own, the real PDF in it
    assert output.document.pageCount() >= 1
    qtbot.waitUntil(lambda: section.model.rowCount() == 1, timeout=WAIT)
    settle(ctx)
    rows = register_of(ctx.vault(), seed.case_id)
    assert len(rows) == 1 and rows[0].title == "Teilnahmebescheinigung"
    serial = rows[0].serial
    assert output.serial == serial
    cells = section.model.rows()[0].cells
    assert cells[0] == serial and cells[3] == "Person selbst" and cells[5] == "gültig"
    assert cells[4] == "0"

    target = tmp_path / "bescheinigung.pdf"
    suggested = save_pdf_by_keys(qtbot, output, target)
    assert suggested == [f"Bescheinigung_{serial}.pdf"]  # the serial, never the name
    assert output.message.text() == f"Gespeichert: {target}"
    text = pdf_text(target)
    assert "Öztürk" in text and serial in text and "Sprachkurs B1" in text
    output.close()


def test_reprint_is_counted_and_marked(qtbot: QtBot, seed: Seed, ctx: AppContext,
                                       tmp_path: Path) -> None:
    widget, section = open_section(qtbot, ctx, seed.case_id)
    issue_to_person(qtbot, widget, section)
    wait_output(qtbot).close()
    qtbot.waitUntil(lambda: section.model.rowCount() == 1, timeout=WAIT)
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_Home)  # the row under the focus is selected
    assert section.selected() is not None
    qtbot.keyClick(section.view, Qt.Key.Key_Return)  # Enter: the original, as issued
    original = wait_output(qtbot)
    assert original.certificate.copy == 0 and "Zweitschrift" not in original.windowTitle()
    original.close()
    qtbot.waitUntil(lambda: output_window() is None, timeout=WAIT)
    section.view.setFocus()
    alt(qtbot, widget, Qt.Key.Key_Z)  # &Zweitschrift drucken …
    output = wait_output(qtbot)
    assert output.certificate.copy == 1 and "Zweitschrift" in output.windowTitle()
    qtbot.waitUntil(lambda: section.model.rows()[0].cells[4] == "1", timeout=WAIT)
    settle(ctx)
    rows = register_of(ctx.vault(), seed.case_id)
    assert [r.copies for r in rows] == [1]
    target = tmp_path / "zweitschrift.pdf"
    save_pdf_by_keys(qtbot, output, target)
    assert "Zweitschrift" in pdf_text(target)
    output.close()


def test_revoke_needs_a_reason_and_a_confirmation(qtbot: QtBot, seed: Seed,
                                                  ctx: AppContext) -> None:
    widget, section = open_section(qtbot, ctx, seed.case_id)
    issue_to_person(qtbot, widget, section)
    wait_output(qtbot).close()
    qtbot.waitUntil(lambda: section.model.rowCount() == 1, timeout=WAIT)
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_Home)
    alt(qtbot, widget, Qt.Key.Key_W)  # &Widerrufen …
    qtbot.waitUntil(lambda: isinstance(section.revoke_dialog, RevokeDialog)
                    and section.revoke_dialog.isVisible(), timeout=WAIT)
    dialog = section.revoke_dialog
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT)
    assert focused() is dialog.reason
    alt(qtbot, dialog, Qt.Key.Key_W)  # &Widerrufen, without a reason
    message = dialog.errors.labels["reason"]
    qtbot.waitUntil(message.isVisible, timeout=WAIT)
    assert message.text() == "Bitte den Grund des Widerrufs angeben."
    qtbot.keyClicks(dialog.reason, "Irrtum bei der Angabe des Zeitraums")
    alt(qtbot, dialog, Qt.Key.Key_W)  # a reason, but not confirmed
    qtbot.waitUntil(dialog.errors.labels["confirm"].isVisible, timeout=WAIT)
    settle(ctx)
    assert [r.revoked_on for r in register_of(ctx.vault(), seed.case_id)] == [None]
    alt(qtbot, dialog, Qt.Key.Key_E)  # &endgültig widerrufen
    qtbot.waitUntil(dialog.confirm.isChecked, timeout=WAIT)  # a mnemonic clicks animated
    alt(qtbot, dialog, Qt.Key.Key_W)
    qtbot.waitUntil(lambda: section.model.rows()[0].cells[5].startswith("widerrufen am"),
                    timeout=WAIT)
    settle(ctx)
    rows = register_of(ctx.vault(), seed.case_id)
    assert rows[0].revoked_on is not None
    assert rows[0].revoke_reason == "Irrtum bei der Angabe des Zeitraums"
    # A revoked certificate gets no Zweitschrift and no second revocation.
    assert not section.reprint_button.isEnabled() and not section.revoke_button.isEnabled()
    assert QApplication.activeModalWidget() is None
    # It can still be looked at, but no revoked paper or file leaves the office.
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_Return)
    output = wait_output(qtbot)
    assert output.revoked.isVisible() and output.revoked.text().startswith("Widerrufen am ")
    assert not output.print_button.isEnabled() and not output.save_button.isEnabled()
    output.close()
