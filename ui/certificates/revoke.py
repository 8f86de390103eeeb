"""Revoking a certificate: final, so the dialog says so, names the certificate and asks for the
reason (printed in the revocation list every verifying vault reads)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.certificates.write import revoke_certificate
from ui.casefile._form import run_guarded
from ui.context import AppContext, german_message
from ui.forms import error_label

REASON_MISSING = "Bitte geben Sie den Grund des Widerrufs an."
REASON_MAX = 200


class RevokeDialog(QDialog):
    revoked = Signal(str)  # serial

    def __init__(self, ctx: AppContext, serial: str, kind_label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.serial = serial
        self.setObjectName("revokeDialog")
        self.setWindowTitle("Bescheinigung widerrufen")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.question = question = QLabel(
            f"{kind_label} {serial} endgültig widerrufen?\n\nDer Widerruf lässt sich nicht "
            "rückgängig machen. Wer die Bescheinigung prüft, liest danach „widerrufen“ mit "
            "Datum und Grund.")
        question.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("revokeReason")
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText("z. B. „Angaben zur Maßnahme waren falsch“")
        self.reason.setAccessibleName("Grund des Widerrufs")
        self.error = error_label()
        self.error.setObjectName("revokeReasonError")
        form = QFormLayout()
        label = QLabel("&Grund:")
        label.setBuddy(self.reason)
        form.addRow(label, self.reason)
        form.addRow("", self.error)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("&Endgültig widerrufen",
                                         QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton("&Abbrechen", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setDefault(False)
        self.ok.setAutoDefault(False)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.reason.returnPressed.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())
        self.reason.setFocus()

    def submit(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self._problem(REASON_MISSING)
            return
        self.ok.setEnabled(False)
        serial = self.serial
        run_guarded(self, self.ctx, lambda vault: revoke_certificate(vault, serial, reason),
                    self._done, self._failed)

    def _done(self, _result: object) -> None:
        self.revoked.emit(self.serial)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self._problem(german_message(exc))

    def _problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.reason.setAccessibleDescription(text)  # read out together with the field
        self.reason.setFocus()
