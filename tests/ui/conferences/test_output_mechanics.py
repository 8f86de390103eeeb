"""Printing pages of a PDF held by QtPdf onto a QPrinter, and the all-or-nothing save, on plain
PDFs made here (the panel's tests use the real minutes)."""

from __future__ import annotations

import io
import resource
import signal
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QPageRanges
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot
from reportlab.pdfgen import canvas

from app.services.conferences.records import FULL, PSEUDONYMISED
from tests.support.disk_faults import read_only, small_disk
from ui.conferences.output_file import SaveFailed, save_pdf, suggested_name
from ui.conferences.output_print import PrintFailed, chosen_pages, new_printer, print_document


def numbered_pdf(pages: int) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for n in range(1, pages + 1):
        pdf.setFont("Helvetica", 40)
        pdf.drawString(100, 600, f"SEITE-{n}-VON-{pages}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def loaded(qtbot: QtBot, data: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    assert document.status() == QPdfDocument.Status.Ready
    return document, buffer


def pdf_printer(path: Path, ranges: str = "") -> QPrinter:
    printer = new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    if ranges:  # what the dialog's "Seiten" field sets
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setPageRanges(QPageRanges.fromString(ranges))
    return printer


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pages_of(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def test_a_page_range_prints_exactly_those_pages(qtbot: QtBot, tmp_path: Path) -> None:
    document, _buffer = loaded(qtbot, numbered_pdf(5))
    out = tmp_path / "druck.pdf"
    assert print_document(document, pdf_printer(out, "2-3,5")) == 3
    assert pages_of(out) == 3
    # The sheets are images of the pages: look at them as a person would, page by page.
    images = tmp_path / "seite"
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(out), str(images)], check=True)
    assert len(list(tmp_path.glob("seite*.pgm"))) == 3


def test_without_a_range_every_page_is_printed(qtbot: QtBot, tmp_path: Path) -> None:
    document, _buffer = loaded(qtbot, numbered_pdf(4))
    out = tmp_path / "alles.pdf"
    assert print_document(document, pdf_printer(out)) == 4
    assert pages_of(out) == 4


def test_a_range_outside_the_document_prints_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    document, _buffer = loaded(qtbot, numbered_pdf(2))
    out = tmp_path / "nichts.pdf"
    with pytest.raises(PrintFailed, match="keine Seite"):
        print_document(document, pdf_printer(out, "7-9"))
    assert not out.exists()
    assert chosen_pages(pdf_printer(out, "2-9"), 2) == [1]


def test_a_printer_that_cannot_start_is_reported(qtbot: QtBot, tmp_path: Path) -> None:
    document, _buffer = loaded(qtbot, numbered_pdf(1))
    printer = pdf_printer(tmp_path / "fehlt" / "druck.pdf")  # no such folder: cannot open
    with pytest.raises(PrintFailed, match="lässt sich nicht ansprechen"):
        print_document(document, printer)


def test_the_suggested_name_carries_the_date_and_no_title() -> None:
    when = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    assert suggested_name(when, FULL) == "Protokoll_2026-12-10_Fallkonferenz.pdf"
    assert suggested_name(when, PSEUDONYMISED) == (
        "Protokoll_2026-12-10_Fallkonferenz_pseudonymisiert.pdf")


def test_save_writes_the_file_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "Protokoll.pdf"
    save_pdf(target, b"%PDF-neu", replace_existing=False)
    assert target.read_bytes() == b"%PDF-neu"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Protokoll.pdf"]


def test_save_never_replaces_a_file_unasked(tmp_path: Path) -> None:
    target = tmp_path / "Protokoll.pdf"
    target.write_bytes(b"alt")
    with pytest.raises(SaveFailed, match="gibt es inzwischen schon"):
        save_pdf(target, b"%PDF-neu", replace_existing=False)
    assert target.read_bytes() == b"alt"
    save_pdf(target, b"%PDF-neu", replace_existing=True)
    assert target.read_bytes() == b"%PDF-neu"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Protokoll.pdf"]


def test_a_read_only_folder_says_so_in_german(tmp_path: Path) -> None:
    folder = tmp_path / "nurlesen"
    folder.mkdir()
    with read_only(folder):
        with pytest.raises(SaveFailed, match="schreibgeschützt"):
            save_pdf(folder / "Protokoll.pdf", b"%PDF", replace_existing=False)
        assert list(folder.iterdir()) == []


def test_a_full_disk_leaves_no_temp_file(tmp_path: Path) -> None:
    with small_disk(tmp_path, 64 * 1024, "tmpfs") as disk:
        limit = resource.getrlimit(resource.RLIMIT_FSIZE)
        xfsz = signal.getsignal(signal.SIGXFSZ)
        if disk.preexec is not None:  # no mount here: the kernel's file size limit instead
            disk.preexec()
        try:
            with pytest.raises(SaveFailed, match="voll"):
                save_pdf(disk.folder / "Protokoll.pdf", b"%PDF" * 100_000,
                         replace_existing=False)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, limit)
            signal.signal(signal.SIGXFSZ, xfsz)
        assert list(disk.folder.iterdir()) == []


def test_the_printing_module_loads_on_the_worker_not_with_the_window() -> None:
    """reportlab and pikepdf take a noticeable part of a second: the unlock (which builds the
    Fallkonferenzen page and imports the window) must not wait for them."""
    import subprocess
    import sys

    probe = ("import sys, ui.pages, ui.conferences.page, ui.conferences.window; "
             "print(sorted(m for m in ('app.printing', 'reportlab', 'pikepdf') "
             "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
