"""The questions the Ausfertigungen panel asks before a copy leaves Lotse: the shared ones of
``ui.pdf_output.questions``, worded for the minutes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from ui.pdf_output import questions
from ui.pdf_output.questions import done_with, warnings_confirmed

__all__ = ["ask_save_path", "done_with", "print_dialog", "replace_confirmed", "save_dialog",
           "warnings_confirmed"]


def print_dialog(parent: QWidget, printer: QPrinter, page_count: int) -> QPrintDialog:
    return questions.print_dialog(parent, printer, page_count, "Protokoll")


def save_dialog(parent: QWidget, suggested: str) -> QFileDialog:
    return questions.save_dialog(parent, suggested, "Protokoll")


def ask_save_path(parent: QWidget, suggested: str) -> str:
    return questions.ask_save_path(parent, suggested, "Protokoll")


def replace_confirmed(parent: QWidget, path: Path) -> bool:
    return questions.replace_confirmed(parent, path, "das Protokoll")
