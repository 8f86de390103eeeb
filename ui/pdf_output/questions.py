"""The questions asked before a PDF leaves Lotse: the system's print dialog, where to save,
whether to replace a file, and the disclosure warning. ``what`` names the document in German
("Protokoll", "Bescheinigung"): it goes into titles and questions."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def print_dialog(parent: QWidget, printer: QPrinter, page_count: int,
                 what: str) -> QPrintDialog:
    """The system's print dialog (German through the app's Qt translation), pages 1–N."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"{what} drucken")
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
    dialog.setMinMax(1, page_count)
    return dialog


def save_dialog(parent: QWidget, suggested: str, what: str) -> QFileDialog:
    """Lotse asks before replacing a file itself (the same question on every platform)."""
    dialog = QFileDialog(parent, f"{what} als PDF speichern")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter("PDF-Dateien (*.pdf)")
    dialog.setDefaultSuffix("pdf")
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
    dialog.setDirectory(str(Path.home()))
    dialog.selectFile(suggested)
    return dialog


def ask_save_path(parent: QWidget, suggested: str, what: str) -> str:
    """The chosen path, "" when cancelled."""
    dialog = save_dialog(parent, suggested, what)
    accepted = dialog.exec()
    chosen = dialog.selectedFiles()
    done_with(dialog)
    return chosen[0] if accepted and chosen else ""


def warnings_confirmed(parent: QWidget, warnings: Sequence[str]) -> bool:
    """A copy for the foreigners' authority (or with confided information) leaves Lotse only
    after its warning was read and confirmed, before paper or file exist."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Hinweis vor der Weitergabe",
                      "\n\n".join(warnings), parent=parent)
    yes = box.addButton("Weitergabe &bestätigen", QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton("&Nicht weitergeben", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)  # Enter hands nothing out
    box.setObjectName("confirmDisclosure")
    box.exec()
    confirmed = box.clickedButton() is yes
    done_with(box)
    return confirmed


def replace_confirmed(parent: QWidget, path: Path, what: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, "Datei ersetzen?",
                      f"Die Datei „{path.name}“ gibt es in diesem Ordner schon.\n"
                      f"Soll sie durch {what} ersetzt werden?", parent=parent)
    yes = box.addButton("&Ersetzen", QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton("&Nicht ersetzen", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)  # Enter keeps the file
    box.setObjectName("confirmReplace")
    box.exec()
    confirmed = box.clickedButton() is yes
    done_with(box)
    return confirmed


def done_with(dialog: QWidget) -> None:
    """Destroy an answered dialog now, not with the panel: a print dialog refers to its
    printer, which is gone by then, and each question would otherwise stay as a child."""
    dialog.setParent(None)  # Python owns it now and deletes it with the caller's last reference
