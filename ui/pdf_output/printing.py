"""Print a PDF held by QtPdf onto a QPrinter: every page of the chosen range becomes an image at
the printer's resolution, drawn onto one sheet each.

Printing the rendered pages (instead of handing the file to a PDF-aware spooler) works the same
on every printer Qt knows, Windows' default printer included, and prints exactly what the
preview shows.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from app.progress import ProgressFn

# Render at most this many dots per inch: a 1200-dpi laser printer would otherwise need a
# 540 MB image per A4 page; 300 dpi (35 MB) is what office printers resolve for text anyway.
MAX_DPI = 300


class PrintFailed(Exception):
    """The printer could not be opened or reported an error (German text in ``args[0]``)."""


def new_printer(doc_name: str) -> QPrinter:
    """The system's default printer, A4, whole sheet: the PDF pages bring their own margins.
    ``doc_name`` is what the spooler's job list shows: never a client's name."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setDocName(doc_name)
    return printer


def chosen_pages(printer: QPrinter, page_count: int) -> list[int]:
    """The 0-based page indexes to print: the dialog's page range ("1-2, 4"), else all."""
    ranges = printer.pageRanges()
    if printer.printRange() != QPrinter.PrintRange.PageRange or ranges.isEmpty():
        return list(range(page_count))
    return [i for i in range(page_count) if ranges.contains(i + 1)]


def print_document(document: QPdfDocument, printer: QPrinter,
                   progress: ProgressFn | None = None) -> int:
    """Print the chosen pages; returns how many sheets went out. Raises ``PrintFailed``.
    ``progress(done, total)`` after every sheet (a page takes a fifth of a second or so)."""
    pages = chosen_pages(printer, document.pageCount())
    if not pages:
        raise PrintFailed("Im gewählten Seitenbereich liegt keine Seite des Dokuments.")
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed("Der Drucker lässt sich nicht ansprechen. Es wurde nichts gedruckt.")
    dpi = min(printer.resolution(), MAX_DPI)
    try:
        for n, index in enumerate(pages):
            if n and not printer.newPage():
                raise PrintFailed("Der Drucker hat den Druck abgebrochen.")
            _draw_page(painter, document, index, dpi)
            if progress is not None:
                progress(n + 1, len(pages))
    finally:
        painter.end()
    if printer.printerState() == QPrinter.PrinterState.Error:
        raise PrintFailed("Der Drucker meldet einen Fehler. Bitte prüfen Sie den Ausdruck.")
    return len(pages)


def load_pdf(document: QPdfDocument, buffer: QBuffer, data: bytes) -> bool:
    """Show ``data`` in a preview's document (read from memory: no temp file with client
    data); False when it is no readable PDF."""
    document.close()
    buffer.close()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document.status() == QPdfDocument.Status.Ready


def print_pdf(data: bytes, printer: QPrinter, progress: ProgressFn) -> int:
    """Print PDF bytes through a document of their own (a lock or another choice meanwhile
    closes the preview's); returns the sheets handed over, raises ``PrintFailed``."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    try:
        return print_document(document, printer, progress)
    finally:
        document.close()
        buffer.close()


def _draw_page(painter: QPainter, document: QPdfDocument, index: int, dpi: int) -> None:
    """One page centred on the sheet, scaled to fit without distortion."""
    points = document.pagePointSize(index)  # 1/72 inch
    image = document.render(index, QSize(round(points.width() * dpi / 72),
                                          round(points.height() * dpi / 72)))
    if image.isNull():
        raise PrintFailed(f"Seite {index + 1} ließ sich nicht aufbereiten. Der Druck wurde "
                          "abgebrochen.")
    sheet = QRectF(painter.viewport())
    scale = min(sheet.width() / points.width(), sheet.height() / points.height())
    width, height = points.width() * scale, points.height() * scale
    target = QRectF(sheet.x() + (sheet.width() - width) / 2,
                    sheet.y() + (sheet.height() - height) / 2, width, height)
    painter.drawImage(target, image)
