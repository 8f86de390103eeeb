"""The template editor's "Vorschau": the template as it would print, filled with sample values,
rendered off the GUI thread and shown from memory (QtPdf over a QBuffer, no temp file), as the
minutes' Ausfertigungen do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.context import AppContext, german_message

if TYPE_CHECKING:
    from app.progress import ProgressFn
    from app.services.templates.records import Template
    from app.vault.store import Vault

RENDER_FAILED_DE = "Die Vorschau ließ sich nicht erstellen: "


def render_sample(vault: Vault, template: Template) -> bytes:
    """On the database thread: sample values of this vault, the real certificate renderer.
    A preview is not an archive copy: no PDF/A conversion, which only costs time here."""
    from app.printing import render_certificate  # loaded on the worker at the first preview
    from app.services.templates.read import sample_document

    data: bytes = render_certificate(sample_document(vault, template), pdfa=False)
    return data


class TemplatePreview(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.pdf: bytes | None = None  # what the view shows
        self._serial = 0  # the render whose result is still wanted
        self.status = QLabel("Noch keine Vorschau. „Vorschau“ zeigt die Vorlage mit "
                             "Beispielwerten.")
        self.status.setObjectName("templatePreviewStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self.view = QPdfView(self)
        self.view.setObjectName("templatePreview")
        self.view.setAccessibleName("Vorschau der Vorlage mit Beispielwerten")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrow keys scroll
        self.view.setDocument(self.document)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.status)
        column.addWidget(self.view, 1)

    def render_template(self, template: Template) -> None:
        self._serial += 1
        serial = self._serial
        self.clear()
        self.status.setText("Die Vorschau wird erstellt …")

        def work(vault: Vault, _progress: ProgressFn) -> bytes:
            return render_sample(vault, template)

        def done(data: bytes) -> None:
            if serial == self._serial:  # an older render is not shown over a newer request
                self._show(data)

        def failed(exc: BaseException) -> None:
            if serial == self._serial:
                self.status.setText(RENDER_FAILED_DE + german_message(exc))

        self.ctx.run_progress(work, done, failed)

    def clear(self) -> None:
        """No preview of another version of the template than the one being edited."""
        self.pdf = None
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray())
        self.status.setText("Keine Vorschau")

    def forget(self) -> None:
        """The template changed: a result still on its way is not shown any more."""
        self._serial += 1
        self.clear()

    def _show(self, data: bytes) -> None:
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if self.document.status() == QPdfDocument.Status.Error:
            self.status.setText("Die Vorschau ließ sich nicht anzeigen.")
            return
        self.pdf = data
        pages = self.document.pageCount()
        self.status.setText("Vorschau des Bearbeitungsstands mit Beispielwerten, "
                            f"{pages} Seite{'' if pages == 1 else 'n'}")
