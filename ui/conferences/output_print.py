"""Printing the minutes: the shared printing of ``ui.pdf_output.printing`` (every page of the
chosen range as an image at the printer's resolution), with the minutes' job name."""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrinter

from ui.pdf_output import printing
from ui.pdf_output.printing import MAX_DPI, PrintFailed, chosen_pages, print_document, print_pdf

__all__ = ["MAX_DPI", "PrintFailed", "chosen_pages", "new_printer", "print_document", "print_pdf"]


def new_printer() -> QPrinter:
    return printing.new_printer("Protokoll Fallkonferenz")  # the spooler's list: no client name
