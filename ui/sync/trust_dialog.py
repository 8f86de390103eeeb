"""Trusting another vault's key card: the card as found, then the fingerprint typed back as the
colleague reads it out on the phone (or as printed on their card). Only a fingerprint that
matches this very card is passed to the service; anything else is refused here, in German, and
nothing is trusted."""

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

from app.services.devices.records import DeviceRow
from app.services.devices.write import trust
from app.vault.store import Vault
from ui.casefile._form import run_guarded
from ui.context import AppContext, german_message
from ui.forms import labelled_row
from ui.settings.key_import import NOT_HEX_DE, hex_digits, monospace
from ui.sync.labels import ROLES, in_rows, municipality, trust_text

MISMATCH_DE = ("Der eingegebene Fingerabdruck stimmt nicht mit dieser Schlüsselkarte überein. "
               "Es wurde nichts übernommen. Bitte lassen Sie sich den Fingerabdruck noch einmal "
               "vorlesen.")
INCOMPLETE_DE = ("Bitte tippen Sie alle Gruppen des Fingerabdrucks ein, so wie sie Ihnen "
                 "vorgelesen wurden.")
EXPLAIN_DE = ("Rufen Sie die Kollegin oder den Kollegen an (oder nehmen Sie deren ausgedruckte "
              "Schlüsselkarte) und lassen Sie sich den Fingerabdruck vorlesen. Tippen Sie ihn so "
              "ein, wie Sie ihn hören; Leerzeichen und Groß-/Kleinschreibung sind egal. Erst "
              "danach übernimmt Lotse Bündel aus diesem Tresor.")


class TrustDialog(QDialog):
    trusted = Signal(object)  # the DeviceRow, trusted now

    def __init__(self, ctx: AppContext, row: DeviceRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.row = ctx, row
        self.setObjectName("trustDialog")
        self.setWindowTitle("Schlüsselkarte bestätigen")
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        who = QLabel(f"{row.holder_name} – {row.vault_name}")
        who.setTextFormat(Qt.TextFormat.PlainText)
        who.setWordWrap(True)
        form.addRow("Tresor:", who)
        form.addRow("Kommune:", QLabel(municipality(row.municipality)))
        form.addRow("Rolle:", QLabel(ROLES.get(row.role, row.role)))
        form.addRow("Zurzeit:", QLabel(trust_text(row)))
        self.fingerprint = QLabel(in_rows(row.fingerprint_display))
        self.fingerprint.setObjectName("cardFingerprint")
        self.fingerprint.setFont(monospace(6))
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setAccessibleName("Fingerabdruck laut Schlüsselkarte")
        self.fingerprint.setAccessibleDescription(row.fingerprint_display)
        form.addRow(QLabel("Fingerabdruck laut Schlüsselkarte:"))
        form.addRow(self.fingerprint)
        explain = QLabel(EXPLAIN_DE)
        explain.setWordWrap(True)
        form.addRow(explain)
        self.typed = QLineEdit()
        self.typed.setObjectName("typedFingerprint")
        self.typed.setFont(monospace(2))
        self.typed.setPlaceholderText("z. B. 3F2A 91C0 …")
        labelled_row(form, "&Fingerabdruck wie vorgelesen:", self.typed, self.errors,
                     "fingerprint")
        self.count = QLabel()
        self.count.setObjectName("typedCount")
        form.addRow("", self.count)
        # What the card shows is what can be read out: compared as shown.
        self.expected = hex_digits(row.fingerprint_display) or row.fingerprint.upper()
        self.needed = len(self.expected)
        self.typed.textChanged.connect(self._count)
        self._count("")
        self.buttons = QDialogButtonBox()
        self.trust_button = self.buttons.addButton("&Vertrauen",
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton("Abbre&chen", QDialogButtonBox.ButtonRole.RejectRole)
        self.trust_button.setDefault(True)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.typed.setFocus()
        self.resize(620, 0)

    @property
    def error(self) -> QLabel:
        return self.errors["fingerprint"]

    def _count(self, text: str) -> None:
        digits = hex_digits(text)
        self.count.setText(NOT_HEX_DE if digits is None
                           else f"{len(digits)} von {self.needed} Zeichen")

    def _refuse(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.trust_button.setEnabled(True)
        self.typed.setFocus()
        self.typed.selectAll()

    def submit(self) -> None:
        """Compared here against this card first: a fingerprint of some other known card must
        not trust that one from this dialog. The service compares once more."""
        self.error.hide()
        digits = hex_digits(self.typed.text())
        if digits is None:
            self._refuse(NOT_HEX_DE)
            return
        if len(digits) < self.needed:
            self._refuse(INCOMPLETE_DE)
            return
        if digits != self.expected:
            self._refuse(MISMATCH_DE)
            return
        typed = self.typed.text()
        self.trust_button.setEnabled(False)

        def work(vault: Vault) -> DeviceRow:
            return trust(vault, typed)

        run_guarded(self, self.ctx, work, self._trusted, self._failed)

    def _trusted(self, row: DeviceRow) -> None:
        self.trusted.emit(row)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._refuse(german_message(exc))


def open_trust_dialog(ctx: AppContext, row: DeviceRow, parent: QWidget) -> TrustDialog:
    """Window-modal, not blocking: the answer arrives through ``trusted``."""
    dialog = TrustDialog(ctx, row, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
