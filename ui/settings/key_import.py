"""Taking in another office's key card: what the file says, then the person compares the
fingerprint with the issuing office (by phone or on paper) and types the groups as they were
read out. Only what they typed is passed on; the service refuses a card whose fingerprint
differs (it wants all displayed groups: a few digits alone could be forged)."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)

from app.services.keys.records import CardPreview
from ui.forms import ERROR_STYLE, labelled_row

NOT_COMPARED_DE = ("Bitte vergleichen Sie den Fingerabdruck mit der ausstellenden Stelle "
                   "(Telefon oder Papier) und setzen Sie dann den Haken.")
TOO_SHORT_DE = ("Bitte tippen Sie alle Gruppen des Fingerabdrucks ein, so wie die ausstellende "
                "Stelle sie vorgelesen hat.")
NOT_HEX_DE = "Ein Fingerabdruck besteht nur aus den Ziffern 0–9 und den Buchstaben A–F."


def hex_digits(text: str) -> str | None:
    """The typed fingerprint without spaces and dashes, upper case; None if it is not hex."""
    digits = re.sub(r"[\s:\-]", "", text).upper()
    return digits if re.fullmatch(r"[0-9A-F]*", digits) else None


def monospace(size_delta: int = 0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if size_delta:
        font.setPointSize(max(8, font.pointSize() + size_delta))
    return font


class KeyImportPanel(QGroupBox):
    confirmed = Signal(str)  # what the person typed, for import_card
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__("Schlüsselkarte prüfen und übernehmen")
        self.setObjectName("keyImport")
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout(self)
        self.issuer = QLabel()
        self.issuer.setWordWrap(True)
        self.issuer.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow("Aussteller:", self.issuer)
        self.validity = QLabel()
        form.addRow("Gültigkeit:", self.validity)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("importFingerprint")
        self.fingerprint.setFont(monospace(4))
        self.fingerprint.setWordWrap(True)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Fingerabdruck laut Datei:", self.fingerprint)
        self.warnings = QLabel()
        self.warnings.setObjectName("importWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings.setStyleSheet(ERROR_STYLE)
        form.addRow(self.warnings)
        explain = QLabel("Rufen Sie die ausstellende Stelle an (oder nehmen Sie deren Ausdruck) "
                         "und lassen Sie sich den Fingerabdruck vorlesen. Stimmt er mit dem "
                         "oben überein, tippen Sie ihn so ein, wie Sie ihn gehört haben "
                         "(Leerzeichen und Groß-/Kleinschreibung sind egal). Eine Karte ohne "
                         "diesen Vergleich könnte von jemand anderem stammen.")
        explain.setWordWrap(True)
        form.addRow(explain)
        self.compared = QCheckBox("Fingerabdruck mit der Stelle ver&glichen")
        labelled_row(form, "", self.compared, self.errors, "compared")
        self.typed = QLineEdit()
        self.typed.setObjectName("typedFingerprint")
        self.typed.setFont(monospace(2))
        self.typed.setPlaceholderText("z. B. 3F7A 91C2 …")
        labelled_row(form, "&Fingerabdruck wie vorgelesen:", self.typed, self.errors,
                     "confirmed_fingerprint")
        self.count = QLabel()
        self.count.setObjectName("typedCount")
        form.addRow("", self.count)
        self.typed.textChanged.connect(self._count)
        self.accept_button = QPushButton("Karte über&nehmen")
        self.accept_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton("Import abbre&chen")
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.typed.returnPressed.connect(self.accept)
        self.preview: CardPreview | None = None
        self.needed = 0  # hex digits of the displayed fingerprint
        self.hide()

    def _count(self, text: str) -> None:
        digits = hex_digits(text)
        self.count.setText(NOT_HEX_DE if digits is None
                           else f"{len(digits)} von {self.needed} Zeichen")

    def show_preview(self, preview: CardPreview) -> None:
        self.preview = preview
        place = ", ".join(p for p in (preview.municipality, preview.vault_code) if p)
        self.issuer.setText(f"{preview.issuer_office} – {preview.holder_name}"
                            + (f" ({place})" if place else ""))
        self.validity.setText(f"{preview.valid_from:%d.%m.%Y} bis {preview.valid_until:%d.%m.%Y}"
                              + (f", zurückgezogen am {preview.withdrawn_on:%d.%m.%Y}"
                                 if preview.withdrawn_on else ""))
        self.fingerprint.setText(preview.fingerprint_display)
        self.needed = len(hex_digits(preview.fingerprint_display) or "")
        notes = list(preview.warnings)  # the service says it when the card is our own
        if preview.already_trusted and not preview.own:
            notes.append("Diesem Schlüssel wird schon vertraut; die Karte aktualisiert ihn "
                         f"(Widerrufsliste mit {preview.revocations} Einträgen).")
        self.warnings.setText("\n".join(notes))
        self.warnings.setVisible(bool(notes))
        self.compared.setChecked(False)
        self.typed.clear()
        self._count("")
        self.clear_errors()
        self.show()
        self.compared.setFocus()

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()

    def show_error(self, key: str, text: str) -> None:
        label = self.errors.get(key) or self.errors["confirmed_fingerprint"]
        label.setText(text)
        label.show()

    def accept(self) -> None:
        """Checked here first (the person learns at once what is missing); the service compares
        the typed digits with the card."""
        self.clear_errors()
        if not self.compared.isChecked():
            self.show_error("compared", NOT_COMPARED_DE)
            self.compared.setFocus()
            return
        digits = hex_digits(self.typed.text())
        if digits is None:
            self.show_error("confirmed_fingerprint", NOT_HEX_DE)
            self.typed.setFocus()
            return
        if len(digits) < self.needed:
            self.show_error("confirmed_fingerprint", TOO_SHORT_DE)
            self.typed.setFocus()
            return
        self.confirmed.emit(self.typed.text())

    def cancel(self) -> None:
        self.preview = None
        self.hide()
        self.cancelled.emit()
