"""Show a document's bytes inside Lotse, from memory only: PDFs with QtPdf, images with QImage,
text as plain text. Nothing is written to disk."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QScrollArea, QStackedWidget


class DocumentViewer(QStackedWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("documentViewer")
        self.placeholder = QLabel("Wählen Sie ein Dokument und „Anzeigen“.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.pdf_document = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setAccessibleName("PDF-Ansicht")
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.setDocument(self.pdf_document)
        self.image_label = QLabel()
        self.image_label.setAccessibleName("Bildansicht")
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_scroll = QScrollArea()
        self.image_scroll.setWidget(self.image_label)
        self.image_scroll.setWidgetResizable(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Textansicht")
        for w in (self.placeholder, self.pdf_view, self.image_scroll, self.text):
            self.addWidget(w)
        self._buffer: QBuffer | None = None

    def show_document(self, media_type: str, content: bytes) -> str | None:
        """Display ``content``; returns a German problem description or None."""
        self.clear()
        if media_type == "application/pdf":
            # The buffer must live as long as the document reads from it.
            self._buffer = QBuffer(self)
            self._buffer.setData(QByteArray(content))
            self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self.pdf_document.load(self._buffer)
            # Loading may finish later; only an error (damaged, password) is a problem.
            if self.pdf_document.status() == QPdfDocument.Status.Error:
                self.clear()
                return "Das PDF konnte nicht angezeigt werden (beschädigt oder geschützt)."
            self.setCurrentWidget(self.pdf_view)
            return None
        if media_type.startswith("image/"):
            image = QImage.fromData(content)
            if image.isNull():
                return "Das Bild konnte nicht angezeigt werden."
            self.image_label.setPixmap(QPixmap.fromImage(image))
            self.setCurrentWidget(self.image_scroll)
            return None
        if media_type == "text/plain":
            self.text.setPlainText(content.decode("utf-8", errors="replace"))
            self.setCurrentWidget(self.text)
            return None
        return "Dieses Format kann Lotse nicht selbst anzeigen."

    def clear(self) -> None:
        """Drop the shown document (also at lock: no personal data stays on screen)."""
        self.pdf_document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.setData(QByteArray())
            self._buffer.deleteLater()
            self._buffer = None
        self.image_label.clear()
        self.text.clear()
        self.setCurrentWidget(self.placeholder)
