"""Revoking a certificate: final, so it asks for the reason (printed on nothing, but kept in the
register and the signed revocation list) and for an explicit confirmation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationFailed
from app.services.certificates.write import revoke_certificate
from ui.casefile._form import FieldErrors, error_label, run_guarded
from ui.context import AppContext

NO_REASON_DE = "Bitte den Grund des Widerrufs angeben."
NOT_CONFIRMED_DE = "Bitte bestätigen, dass der Widerruf endgültig ist."


class RevokeDialog(QDialog):
    revoked = Signal(str)  # the serial

    def __init__(self, ctx: AppContext, serial: str, title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.serial = ctx, serial
        self.setObjectName("revokeCertificateDialog")
        self.setWindowTitle("Bescheinigung widerrufen")
        column = QVBoxLayout(self)
        what = QLabel(f"{title} {serial}")
        what.setTextFormat(Qt.TextFormat.PlainText)
        what.setStyleSheet("font-weight: 600;")
        column.addWidget(what)
        why = QLabel("Ein Widerruf ist endgültig. Wer die Bescheinigung prüft, sieht sie danach "
                     "als widerrufen, sobald die Sperrliste dieses Schlüssels vorliegt.")
        why.setWordWrap(True)
        column.addWidget(why)
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("revokeReason")
        self.reason.setMaxLength(300)
        self.reason.setPlaceholderText("z. B. irrtümlich ausgestellt, Angaben falsch")
        label = QLabel("&Grund des Widerrufs:")
        label.setBuddy(self.reason)
        form.addRow(label, self.reason)
        reason_error = error_label()
        reason_error.setObjectName("error_reason")
        form.addRow("", reason_error)
        self.confirm = QCheckBox("Ich will die Bescheinigung &endgültig widerrufen.")
        self.confirm.setObjectName("revokeConfirm")
        form.addRow("", self.confirm)
        confirm_error = error_label()
        confirm_error.setObjectName("error_confirm")
        form.addRow("", confirm_error)
        column.addLayout(form)
        self.general = error_label()
        column.addWidget(self.general)
        self.errors = FieldErrors(self.general)
        self.errors.add("reason", reason_error, self.reason)
        self.errors.add("confirm", confirm_error, self.confirm)
        self.revoke_button = QPushButton("&Widerrufen")
        self.revoke_button.setObjectName("revokeCertificateConfirm")
        self.revoke_button.setAutoDefault(False)
        self.revoke_button.clicked.connect(self.revoke)
        cancel = QPushButton("Abbrechen")
        cancel.setDefault(True)  # Enter revokes nothing
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.revoke_button)
        row.addWidget(cancel)
        column.addLayout(row)
        ctx.locked.connect(self.reject)
        self.reason.setFocus()
        self.resize(520, 260)

    def revoke(self) -> None:
        self.errors.clear()
        reason = self.reason.text().strip()
        if not reason:
            self.errors.show(ValidationFailed(NO_REASON_DE, "reason missing", field="reason"))
            return
        if not self.confirm.isChecked():
            self.errors.show(ValidationFailed(NOT_CONFIRMED_DE, "not confirmed",
                                              field="confirm"))
            return
        serial = self.serial
        self.revoke_button.setEnabled(False)
        run_guarded(self, self.ctx, lambda v: revoke_certificate(v, serial, reason),
                    self._done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.revoke_button.setEnabled(True)
        self.errors.show(exc)

    def _done(self, _none: object) -> None:
        self.revoked.emit(self.serial)
        self.accept()
