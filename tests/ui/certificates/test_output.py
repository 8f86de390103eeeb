"""The certificate output view on the real store: the real PDF in the preview, printing through
the (answered) print dialog and saving as a file are each recorded in the audit log, and an
existing file is replaced only when the person says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.certificates.records import IssueRequest
from app.services.certificates.write import issue_certificate
from app.vault.store import Vault
from db.models import AuditLog
from tests.ui.casefile.sections_support import Seed
from tests.ui.certificates.certificate_support import TYPED, WAIT, alt, pdf_text, wait_output
from tests.ui.settle import settle
from ui.casefile._form import alive
from ui.certificates.output import CertificateOutput, show_certificate
from ui.context import AppContext


def audit_of(vault: Vault, serial: str) -> list[str]:
    """The kinds of the audit entries that name this certificate's serial."""
    with vault.read_session() as s:
        rows = s.execute(select(AuditLog).order_by(AuditLog.seq)).scalars().all()
        return [r.kind for r in rows if serial in map(str, (r.detail or {}).values())]


@pytest.fixture
def output(qtbot: QtBot, seed: Seed, ctx: AppContext) -> Iterator[CertificateOutput]:
    # Test setup through the service: the database thread is idle.
    issued = issue_certificate(ctx.vault(), IssueRequest(seed.case_id, "teilnahme",
                                                         dict(TYPED)))
    window = show_certificate(ctx, None, issued.document, issued.serial)
    window.activateWindow()
    yield wait_output(qtbot)
    settle(ctx)
    if alive(window):  # it deletes itself when closed (not qtbot's to close twice)
        window.close()


def test_the_preview_is_the_real_pdf(output: CertificateOutput) -> None:
    data = output.pdf_bytes()
    assert data is not None and data.startswith(b"%PDF")
    assert output.document.pageCount() == 1 and output.pages.text() == "Vorschau: 1 Seite"
    assert output.print_button.isEnabled() and output.save_button.isEnabled()


def test_printing_goes_through_the_dialog_and_is_recorded(
        output: CertificateOutput, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    before = audit_of(ctx.vault(), output.serial)
    printed = tmp_path / "gedruckt.pdf"
    asked: list[int] = []

    def ask(printer: QPrinter, page_count: int) -> bool:
        asked.append(page_count)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    output.ask_print = ask
    alt(qtbot, output, Qt.Key.Key_D)  # &Drucken …
    qtbot.waitUntil(lambda: "Drucker" in output.message.text(), timeout=WAIT)
    settle(ctx)
    assert asked == [1]
    assert printed.stat().st_size > 0
    assert output.message.text() == "1 Seite an den Drucker übergeben."
    assert len(audit_of(ctx.vault(), output.serial)) == len(before) + 1


def test_a_print_dialog_cancelled_prints_and_records_nothing(
        output: CertificateOutput, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    before = audit_of(ctx.vault(), output.serial)
    printed = tmp_path / "nicht_gedruckt.pdf"
    asked: list[int] = []

    def cancel(printer: QPrinter, page_count: int) -> bool:
        # The person chose a printer (here: a file), then pressed "Abbrechen".
        asked.append(page_count)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return False

    output.ask_print = cancel
    alt(qtbot, output, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: bool(asked), timeout=WAIT)
    settle(ctx)
    assert not printed.exists()
    assert audit_of(ctx.vault(), output.serial) == before


def test_an_existing_file_is_replaced_only_when_confirmed(
        output: CertificateOutput, qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    target = tmp_path / "bescheinigung.pdf"
    target.write_bytes(b"vorher")
    before = audit_of(ctx.vault(), output.serial)
    questions: list[Path] = []
    output.ask_save_path = lambda _name: str(target)

    def refuse(path: Path) -> bool:
        questions.append(path)
        return False

    output.confirm_replace = refuse
    alt(qtbot, output, Qt.Key.Key_S)  # Als PDF &speichern …
    qtbot.waitUntil(lambda: output.message.text().startswith("Nicht gespeichert"),
                    timeout=WAIT)
    settle(ctx)
    assert questions == [target] and target.read_bytes() == b"vorher"
    assert audit_of(ctx.vault(), output.serial) == before

    output.confirm_replace = lambda _path: True
    alt(qtbot, output, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: output.message.text().startswith("Gespeichert"), timeout=WAIT)
    settle(ctx)
    assert output.serial in pdf_text(target)
    assert len(audit_of(ctx.vault(), output.serial)) == len(before) + 1


def test_the_view_closes_at_lock(output: CertificateOutput, qtbot: QtBot,
                                 ctx: AppContext) -> None:
    ctx.locked.emit()
    qtbot.waitUntil(lambda: not output.isVisible(), timeout=WAIT)
