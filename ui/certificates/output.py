"""A certificate on screen, on paper and as a file: the preview (QtPdf), the system's print
dialog and "Als PDF speichern"; every print and every saved file is recorded in the register's
audit (``record_certificate_output``).

Public API (the case file and the register page both use it)::

    show_certificate(ctx, parent, document, serial, revoked_on=None) -> CertificateOutput

A revoked certificate (``revoked_on`` given) is shown for reference only: a banner says so and
printing and saving are off, so no revoked paper leaves the office as if it were valid.

The PDF is rendered off the GUI thread and held in memory only (QtPdf reads it from a QBuffer):
no temp file with client data. The shared pieces (printing, file writes, the questions) are
``ui.pdf_output``, the same the minutes use.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEventLoop, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.date_input import format_date
from app.services.certificates.records import CertificateDocument
from app.services.certificates.write import record_certificate_output
from ui.context import AppContext, german_message
from ui.pdf_output.files import SaveFailed, save_recorded
from ui.pdf_output.printing import PrintFailed, load_pdf, new_printer, print_pdf
from ui.pdf_output.questions import ask_save_path, done_with, print_dialog, replace_confirmed

if TYPE_CHECKING:
    from app.vault.store import Vault

WHAT = "Bescheinigung"
RENDER_FAILED_DE = "Die Vorschau ließ sich nicht erstellen: "


def render_pdf(document: CertificateDocument) -> bytes:
    # Imported here, on the worker: reportlab and pikepdf take about half a second to load.
    from app.printing import render_certificate

    return render_certificate(document)


def suggested_name(serial: str) -> str:
    """``Bescheinigung_DO-2026-K7-B0001.pdf``: the serial only, never the holder's name (file
    names show up in mail, on shares and in recent-file lists)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in serial)
    return f"{WHAT}_{safe}.pdf"


def title_of(document: CertificateDocument) -> str:
    copy = f" – Zweitschrift {document.copy}" if document.copy else ""
    return f"{document.title} {document.serial}{copy}"


class CertificateOutput(QDialog):
    """One certificate (original or Zweitschrift): preview, print, save as PDF."""

    def __init__(self, ctx: AppContext, document: CertificateDocument, serial: str,
                 parent: QWidget | None = None, revoked_on: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.certificate = document
        self.serial = serial
        self.revoked_on = revoked_on
        self.setObjectName("certificateOutput")
        self.setWindowTitle(title_of(document))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The questions to the person at the desk; tests answer them through these seams.
        self.ask_print: Callable[[QPrinter, int], bool] = self._ask_print
        self.ask_save_path: Callable[[str], str] = self._ask_save_path
        self.confirm_replace: Callable[[Path], bool] = self._confirm_replace
        self.render_fn: Callable[[CertificateDocument], bytes] = render_pdf
        self._pdf: bytes | None = None
        self._build()
        ctx.locked.connect(self._forget)
        self.resize(1000, 700)

    def _build(self) -> None:
        heading = QLabel(title_of(self.certificate))
        heading.setObjectName("certificateOutputTitle")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.revoked = QLabel()
        self.revoked.setObjectName("certificateRevoked")
        self.revoked.setWordWrap(True)
        self.revoked.setStyleSheet("color: #b00020; font-weight: 600;")
        if self.revoked_on is not None:
            self.revoked.setText(f"Widerrufen am {format_date(self.revoked_on)}: nur zur "
                                 "Ansicht. Drucken und Speichern sind gesperrt.")
        self.revoked.setVisible(self.revoked_on is not None)
        self.pages = QLabel("Die Vorschau wird erstellt …")
        self.pages.setObjectName("certificatePages")
        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self.view = QPdfView(self)
        self.view.setObjectName("certificatePreview")
        self.view.setAccessibleName("Vorschau der Bescheinigung")
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setDocument(self.document)
        self.print_button = QPushButton("&Drucken …")
        self.print_button.setObjectName("certificatePrint")
        self.print_button.setToolTip("Die Bescheinigung über den Druckdialog drucken (Strg+P)")
        self.print_button.clicked.connect(self.print_copy)
        self.save_button = QPushButton("Als PDF &speichern …")
        self.save_button.setObjectName("certificateSave")
        self.save_button.setToolTip("Die Bescheinigung als PDF-Datei speichern")
        self.save_button.clicked.connect(self.save_copy)
        close = QPushButton("S&chließen")
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        printing = QShortcut(QKeySequence.StandardKey.Print, self, self.print_copy)
        printing.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.message = QLabel()
        self.message.setObjectName("certificateOutputMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        hint = QLabel("Jeder Ausdruck und jede gespeicherte Datei wird im Prüfprotokoll "
                      "vermerkt.")
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(self.revoked)
        column.addWidget(self.pages)
        column.addWidget(self.view, 1)
        column.addWidget(self.message)
        column.addWidget(hint)
        column.addLayout(buttons)
        self._enable()

    def _enable(self) -> None:
        ready = (self._pdf is not None and self.document.pageCount() > 0
                 and self.revoked_on is None)
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    # -- rendering ---------------------------------------------------------------------------

    def start(self) -> None:
        """Render the PDF off the GUI thread; the preview shows it when it arrives."""
        document, render = self.certificate, self.render_fn
        self.ctx.run(lambda _vault: render(document), self._rendered, self._render_failed)

    def _rendered(self, data: bytes) -> None:
        if not load_pdf(self.document, self._buffer, data):
            self._clear()
            self.message.setText(RENDER_FAILED_DE + "Das erzeugte PDF ist nicht lesbar.")
            return
        self._pdf = data
        count = self.document.pageCount()
        self.pages.setText(f"Vorschau: {count} Seite" + ("" if count == 1 else "n"))
        self._enable()
        self.print_button.setFocus()

    def _render_failed(self, exc: BaseException) -> None:
        self._clear()
        self.message.setText(RENDER_FAILED_DE + german_message(exc))

    def _clear(self) -> None:
        self._pdf = None
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray())
        self.pages.setText("Keine Vorschau")
        self._enable()

    def pdf_bytes(self) -> bytes | None:
        """The bytes the preview shows (printed and saved as they are)."""
        return self._pdf

    # -- handing it out ----------------------------------------------------------------------

    def print_copy(self) -> None:
        data = self._pdf
        if data is None or self.revoked_on is not None:
            return
        printer = new_printer(WHAT)  # the spooler's job list: no client name
        if not self.ask_print(printer, self.document.pageCount()):
            return
        self.print_button.setEnabled(False)
        try:
            sheets = print_pdf(data, printer, self._printing)
        except PrintFailed as exc:
            self._enable()
            self.message.setText(str(exc.args[0]) + " Der Druck wurde nicht vermerkt.")
            return
        done = f"{sheets} Seite{'' if sheets == 1 else 'n'} an den Drucker übergeben."
        serial = self.serial
        self.ctx.run(lambda vault: record_certificate_output(vault, serial, "print"),
                     lambda _none: self._handed_out(done),
                     lambda exc: self._hand_out_failed(
                         "Gedruckt, aber nicht vermerkt: ", exc))

    def save_copy(self) -> None:
        data = self._pdf
        if data is None or self.revoked_on is not None:
            return
        answer = self.ask_save_path(suggested_name(self.serial))
        if not answer:
            return
        path = Path(answer)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        replacing = os.path.lexists(path)
        if replacing and not self.confirm_replace(path):
            self.message.setText("Nicht gespeichert: Die vorhandene Datei bleibt unverändert.")
            return
        serial = self.serial

        def work(vault: Vault) -> None:
            save_recorded(path, data, replace_existing=replacing,
                          record=lambda: record_certificate_output(vault, serial, "pdf"))

        self.save_button.setEnabled(False)
        self.ctx.run(work, lambda _none: self._handed_out(f"Gespeichert: {path}"),
                     lambda exc: self._hand_out_failed("Nicht gespeichert: ", exc))

    def _printing(self, done: int, total: int) -> None:
        self.message.setText(f"Druck wird aufbereitet: Seite {done} von {total} …")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def _handed_out(self, text: str) -> None:
        self._enable()
        self.message.setText(text)

    def _hand_out_failed(self, what: str, exc: BaseException) -> None:
        self._enable()
        text = str(exc.args[0]) if isinstance(exc, SaveFailed) else german_message(exc)
        self.message.setText(what + text)

    # -- the questions -----------------------------------------------------------------------

    def _ask_print(self, printer: QPrinter, page_count: int) -> bool:
        dialog = print_dialog(self, printer, page_count, WHAT)
        accepted = bool(dialog.exec())
        done_with(dialog)
        return accepted

    def _ask_save_path(self, suggested: str) -> str:
        return ask_save_path(self, suggested, WHAT)

    def _confirm_replace(self, path: Path) -> bool:
        return replace_confirmed(self, path, "die Bescheinigung")

    def _forget(self) -> None:
        """At lock: no certificate stays in memory or on screen."""
        self._clear()
        self.close()


def show_certificate(ctx: AppContext, parent: QWidget | None, document: CertificateDocument,
                     serial: str, revoked_on: date | None = None) -> CertificateOutput:
    """Open the output view for ``document`` (as issued, or a Zweitschrift from
    ``reprint_certificate``) and start rendering; it closes itself at lock. A revoked one
    (``revoked_on``) can be looked at, not printed or saved."""
    window = CertificateOutput(ctx, document, serial, parent, revoked_on)
    window.show()
    window.start()
    return window
