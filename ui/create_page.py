"""First start: create the vault (passphrase twice, strength hint, what forgetting it means)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.catalogues import municipalities
from app.passphrase_policy import strength_hint
from ui.layout import centered_card
from ui.passphrase_suggestion import PassphraseSuggestion, preload_in_background


class CreatePage(QWidget):
    create_requested = Signal(str, str, str)  # owner name, municipality code, passphrase

    def __init__(self) -> None:
        super().__init__()
        self.name = QLineEdit()
        self.name.setPlaceholderText("Vor- und Nachname, z. B. Jana Kowalczyk")
        # The owner's name is on every case they carry (Fallmanager:in), so it is required.
        self.name_error = QLabel()
        self.name_error.setStyleSheet("color: #b00020;")
        self.name_error.setWordWrap(True)
        self.name_error.hide()
        self.municipality = QComboBox()
        for m in municipalities():
            self.municipality.addItem(m.label, m.code)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = QLabel()
        self.strength.setObjectName("passphraseStrength")
        self.strength.setWordWrap(True)
        self.suggestion = PassphraseSuggestion(self.passphrase, self.repeat, self._context)
        form = QFormLayout()
        form.addRow("Ihr &Name (Fallmanager:in):", self.name)
        form.addRow("", self.name_error)
        form.addRow("&Kommune:", self.municipality)
        form.addRow("&Passphrase:", self.passphrase)
        form.addRow("Passphrase &wiederholen:", self.repeat)
        form.addRow("", self.strength)
        form.addRow("", self.suggestion)
        warning = QLabel(
            "Die Passphrase schützt alle Falldaten auf diesem Laptop. Wenn Sie sie vergessen, "
            "kann niemand die Daten wiederherstellen – auch nicht die IT. Legen Sie regelmäßig "
            "Sicherungen an; sie öffnen sich mit der Passphrase, die beim Sichern galt."
        )
        warning.setWordWrap(True)
        self.button = QPushButton("Tresor &anlegen")
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = centered_card(self)
        layout.addWidget(QLabel("<h2>Willkommen bei Lotse</h2>"))
        layout.addWidget(QLabel("Legen Sie Ihren verschlüsselten Tresor an."))
        layout.addLayout(form)
        layout.addWidget(warning)
        layout.addWidget(self.button)
        layout.addWidget(self.message)
        self.passphrase.textChanged.connect(self._update_strength)
        # The name and the municipality count against the passphrase: re-rate on change.
        self.name.textChanged.connect(lambda _t: self._update_strength(self.passphrase.text()))
        self.municipality.currentIndexChanged.connect(
            lambda _i: self._update_strength(self.passphrase.text()))
        self.button.clicked.connect(self._submit)
        preload_in_background()

    def _context(self) -> list[str]:
        return [self.name.text(), str(self.municipality.currentData() or "")]

    def _update_strength(self, text: str) -> None:
        self.strength.setText(strength_hint(text, self._context()))

    def _submit(self) -> None:
        if not self.name.text().strip():
            self.name_error.setText("Bitte geben Sie Ihren Namen ein: er steht als "
                                    "Fallmanager:in an Ihren Fällen.")
            self.name_error.show()
            self.name.setFocus()
            return
        self.name_error.hide()
        if self.passphrase.text() != self.repeat.text():
            self.message.setText("Die beiden Passphrasen stimmen nicht überein.")
            return
        self.button.setEnabled(False)
        self.message.setText("Tresor wird angelegt …")
        self.create_requested.emit(self.name.text().strip(), self.municipality.currentData(),
                                   self.passphrase.text())

    def show_error(self, text: str) -> None:
        self.button.setEnabled(True)
        self.message.setText(text)
