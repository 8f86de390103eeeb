"""The question before a document goes to the case it belongs to: the other case's
Aktenzeichen, typed as it stands on that file. The dialog stays open until the move worked, so
a mistyped number is corrected in place."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.documents.records import DocumentRow
from ui.casefile._form import error_label


class MoveDocumentDialog(QDialog):
    def __init__(self, parent: QWidget, document: DocumentRow,
                 on_confirmed: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.setObjectName("moveDocument")
        self.setWindowTitle("In den richtigen Fall verschieben")
        self._on_confirmed = on_confirmed
        question = QLabel(f"„{document.filename}“ gehört zu einem anderen Fall. Es wird dorthin "
                          "verschoben; beide Protokolle vermerken es.")
        question.setWordWrap(True)
        self.target = QLineEdit()
        self.target.setObjectName("moveTarget")
        self.target.setPlaceholderText("z. B. DO-2026-K7-0042")
        form = QFormLayout()
        form.addRow("&Aktenzeichen des richtigen Falls:", self.target)
        self.error = error_label()
        self.error.setObjectName("moveError")
        form.addRow("", self.error)
        buttons = QDialogButtonBox()
        self.move_button = QPushButton("Dokument &verschieben")
        self.move_button.setObjectName("confirmMoveDocument")
        cancel = QPushButton("Abbrechen")
        buttons.addButton(self.move_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.move_button.clicked.connect(self._confirm)
        self.target.returnPressed.connect(self._confirm)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.finished.connect(self.deleteLater)
        self.target.setFocus()

    def _confirm(self) -> None:
        self.error.hide()
        self.move_button.setEnabled(False)
        self._on_confirmed(self.target.text())

    def failed(self, message: str) -> None:
        """The move was refused: say why at the field, let the person correct the number."""
        self.move_button.setEnabled(True)
        self.error.setText(message)
        self.error.show()
        self.target.setAccessibleDescription(message)
        self.target.setFocus()
        self.target.selectAll()
