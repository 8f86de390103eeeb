"""The dialogs of the minutes' lifecycle: marking the conference held (the disclosure warnings
must be read and acknowledged first), approving the minutes (by whom; afterwards only
amendments) and an amendment with its reason. Each opens with ``open`` and reports through
``chosen``; the caller calls the service."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationFailed
from ui.conferences.pickers import problem_label
from ui.datetime_field import DateTimeField

ACKNOWLEDGE = "Ich habe den &Hinweis gelesen und die Weitergabe geprüft."


def _buttons(dialog: QDialog, ok_text: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox()
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    cancel = box.addButton("Abbrechen", QDialogButtonBox.ButtonRole.RejectRole)
    cancel.setAutoDefault(False)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box, ok


class HeldDialog(QDialog):
    """When it took place; with the warnings of the catalogue (foreigners' authority, confided
    information) the button stays off until the checkbox says they were read."""

    chosen = Signal(object)  # datetime, local wall time

    def __init__(self, warnings: tuple[str, ...], scheduled: datetime,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Als durchgeführt markieren")
        column = QVBoxLayout(self)
        intro = QLabel("Mit dem Markieren gelten die Daten der besprochenen Fälle als an die "
                       "abgedeckten Institutionen weitergegeben; jede Weitergabe wird "
                       "protokolliert.")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.warnings = QLabel("\n\n".join(warnings))
        self.warnings.setObjectName("heldWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.warnings.setVisible(bool(warnings))
        column.addWidget(self.warnings)
        form = QFormLayout()
        self.when = DateTimeField()
        self.when.set_value(scheduled)
        form.addRow("&Durchgeführt am:", self.when)
        column.addLayout(form)
        self.acknowledged = QCheckBox(ACKNOWLEDGE)
        self.acknowledged.setObjectName("acknowledgeWarnings")
        self.acknowledged.setVisible(bool(warnings))
        column.addWidget(self.acknowledged)
        box, self.ok = _buttons(self, "Als &durchgeführt markieren")
        self.ok.setObjectName("confirmHeld")
        self.ok.setEnabled(not warnings)
        self.acknowledged.toggled.connect(self.ok.setEnabled)
        column.addWidget(box)
        self.resize(620, 320 if warnings else 200)
        (self.acknowledged if warnings else self.when).setFocus()

    def accept(self) -> None:
        if self.acknowledged.isVisible() and not self.acknowledged.isChecked():
            return
        try:
            when = self.when.value()
        except ValidationFailed:
            return  # the field shows what is wrong
        self.chosen.emit(when)
        super().accept()


class ApproveDialog(QDialog):
    chosen = Signal(str)  # who approved, as written

    def __init__(self, default: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Protokoll freigeben")
        column = QVBoxLayout(self)
        warning = QLabel("<b>Nach der Freigabe kann das Protokoll nicht mehr geändert "
                         "werden.</b> Korrekturen sind dann nur noch als nummerierte Nachträge "
                         "mit Begründung möglich.")
        warning.setWordWrap(True)
        column.addWidget(warning)
        form = QFormLayout()
        self.approver = QLineEdit(default)
        self.approver.setObjectName("approvedBy")
        form.addRow("Freigegeben &von:", self.approver)
        column.addLayout(form)
        self.problem = problem_label()
        column.addWidget(self.problem)
        box, ok = _buttons(self, "Endgültig &freigeben")
        ok.setObjectName("confirmApprove")
        column.addWidget(box)
        self.resize(560, 220)
        self.approver.setFocus()

    def accept(self) -> None:
        name = self.approver.text().strip()
        if not name:
            self.problem.setText("Bitte angeben, wer das Protokoll freigibt.")
            return
        self.chosen.emit(name)
        super().accept()


class AmendmentDialog(QDialog):
    chosen = Signal(str, str)  # reason, text

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nachtrag hinzufügen")
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("amendmentReason")
        form.addRow("&Begründung:", self.reason)
        self.text = QPlainTextEdit()
        self.text.setObjectName("amendmentText")
        self.text.setTabChangesFocus(True)
        form.addRow("&Nachtrag:", self.text)
        self.problem = problem_label()
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.problem)
        box, ok = _buttons(self, "Nachtrag &speichern")
        ok.setObjectName("saveAmendment")
        column.addWidget(box)
        self.resize(560, 300)
        self.reason.setFocus()

    def accept(self) -> None:
        reason, text = self.reason.text().strip(), self.text.toPlainText().strip()
        if not reason or not text:
            self.problem.setText("Bitte Begründung und Text des Nachtrags angeben.")
            return
        self.chosen.emit(reason, text)
        super().accept()
