"""The question before a document leaves the case: it names the document and asks why, from a
short list (the reason's code goes into the audit log; free text could carry personal data)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.documents.records import REMOVAL_REASONS, DocumentRow

KEEPS_HISTORY = ("Der Inhalt wird aus dem Tresor gelöscht. Im Protokoll bleibt vermerkt, dass "
                 "und warum das Dokument entfernt wurde.")
CONSENT_FORM = ("Es ist das unterschriebene Formular einer Einwilligung: Die Einwilligung "
                "bleibt erfasst, hat danach aber kein gespeichertes Formular mehr (außer einem "
                "weiteren, falls vorhanden).")


class RemoveDocumentDialog(QDialog):
    """Window-modal, not blocking (``open``): the answer arrives through ``on_confirmed``
    with the reason's code; "Abbrechen" is the default and Esc."""

    def __init__(self, parent: QWidget, document: DocumentRow, added: str,
                 on_confirmed: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.setObjectName("removeDocument")
        self.setWindowTitle("Dokument entfernen")
        self._on_confirmed = on_confirmed
        text = (f"„{document.filename}“ (hinzugefügt am {added}) wird aus diesem Fall "
                f"entfernt.\n\n{KEEPS_HISTORY}")
        if document.owner_label == "Einwilligung":
            text += f"\n\n{CONSENT_FORM}"
        self.question = question = QLabel(text)
        question.setObjectName("removeQuestion")
        question.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setObjectName("removeReason")
        self.reason.addItem("– bitte wählen –", "")
        for code, label in REMOVAL_REASONS.items():
            self.reason.addItem(label, code)
        form = QFormLayout()
        form.addRow("&Grund:", self.reason)
        buttons = QDialogButtonBox()
        self.remove_button = QPushButton("Dokument &entfernen")
        self.remove_button.setObjectName("confirmRemoveDocument")
        self.remove_button.setAutoDefault(False)
        self.cancel_button = QPushButton("&Abbrechen")
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setDefault(True)
        self.remove_button.clicked.connect(self._confirm)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.reason.currentIndexChanged.connect(self._update)
        self.finished.connect(self.deleteLater)
        self._update()
        self.reason.setFocus()

    def _update(self) -> None:
        self.remove_button.setEnabled(bool(self.reason.currentData()))

    def _confirm(self) -> None:
        code = str(self.reason.currentData() or "")
        if code:
            self.accept()
            self._on_confirmed(code)
