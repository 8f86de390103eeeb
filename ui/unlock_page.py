"""Unlock screen: passphrase, German error messages, throttling wait shown plainly."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from ui.layout import centered_card
from ui.secret_field import take_secret


class UnlockPage(QWidget):
    # No payload: a str argument would be converted to a QString and back, two more copies of
    # the passphrase that nobody can overwrite. The receiver calls take_passphrase() instead.
    unlock_requested = Signal()

    def __init__(self, folder_label: str, demo_passphrase: str | None = None) -> None:
        super().__init__()
        self.setObjectName("unlockPage")
        title = QLabel("<h2>Lotse – Tresor entsperren</h2>")
        where = QLabel(f"Tresor: {folder_label}")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        form = QFormLayout()
        form.addRow("&Passphrase:", self.passphrase)
        self.button = QPushButton("&Entsperren")
        self.button.setDefault(True)
        self.message = QLabel()
        self.message.setObjectName("unlockMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Meldung")
        layout = centered_card(self)
        layout.addWidget(title)
        layout.addWidget(where)
        if demo_passphrase:
            hint = QLabel(f"Demo-Tresor mit erfundenen Personen und Fällen.<br>"
                          f"Passphrase: <b>{demo_passphrase}</b><br><small>Beim ersten Öffnen "
                          "werden die Demo-Daten angelegt; das dauert einige Sekunden.</small>")
            hint.setObjectName("demoHint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.button)
        layout.addWidget(self.message)
        self.passphrase.setFocus()
        self.button.clicked.connect(self._submit)
        self.passphrase.returnPressed.connect(self._submit)

    def _submit(self) -> None:
        if not self.passphrase.displayText():  # the dots: no copy of the passphrase made
            self.show_error("Bitte geben Sie die Passphrase ein.")
            return
        self.set_busy(True)
        self.unlock_requested.emit()

    def take_passphrase(self) -> str:
        """The typed passphrase, handed over once; the field is emptied without leaving Qt's
        copy behind (ui.secret_field)."""
        return take_secret(self.passphrase)

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        if busy:
            self.message.setText("Tresor wird entsperrt …")

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.message.setText(text)
        self.passphrase.selectAll()
        self.passphrase.setFocus()
