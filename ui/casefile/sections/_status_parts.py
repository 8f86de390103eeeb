"""Parts of the "Aufenthalt" section: how a timeline entry reads, and the question before an
entry recorded in error is removed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from app.services.residence.records import REMOVAL_REASONS, StatusEntry
from ui.casefile._form import fmt_date
from ui.casefile._table import Row

HEADERS = ("Art", "Rechtsgrundlage", "Gültig ab", "Gültig bis", "Erwerbstätigkeit",
           "Wohnsitzauflage", "Gesehen am", "Korrektur")
WORK_PERMISSION_LABELS = {
    "allowed": "erlaubt",
    "with_consent": "mit Zustimmung der Ausländerbehörde",
    "forbidden": "nicht erlaubt",
}
EXPIRY_WARNING_DAYS = 90
SUPERSEDED_COLOUR = "#6b6b6b"  # a corrected entry is greyed; its last cell says why


def until_text(valid_until: date | None, today: date, expires: bool = True) -> tuple[str, bool]:
    """The "valid until" cell and whether it needs attention (expired or within 90 days)."""
    if valid_until is None:
        return ("Ende unbekannt" if expires else "unbefristet"), False
    days = (valid_until - today).days
    if days < 0:
        return f"{fmt_date(valid_until)} (abgelaufen)", True
    if days <= EXPIRY_WARNING_DAYS:
        return f"{fmt_date(valid_until)} (läuft in {days} Tagen ab)", True
    return fmt_date(valid_until), False


def correction_text(entry: StatusEntry) -> str:
    if not entry.superseded:
        return ""
    return f"korrigiert am {fmt_date(entry.corrected_on)}: {entry.correction_reason or ''}"


def status_row(entry: StatusEntry, today: date, current: bool = True) -> Row:
    """One timeline row; only the current status is marked (superseded ones need no action)."""
    until, attention = until_text(entry.valid_until, today, entry.expires)
    attention = attention and current and not entry.superseded
    cells = (entry.kind_label, entry.legal_basis or "", fmt_date(entry.valid_from), until,
             WORK_PERMISSION_LABELS.get(entry.work_permission or "", "keine Angabe"),
             entry.residence_obligation or "", fmt_date(entry.document_seen_on),
             correction_text(entry))
    # Narrow columns elide; the tooltip carries every cell in full.
    tooltip = "\n".join(f"{h}: {c}" for h, c in zip(HEADERS, cells, strict=True) if c)
    return Row(cells, highlight=attention, tooltip=tooltip, key=entry.uuid,
               foreground=SUPERSEDED_COLOUR if entry.superseded else None)


class RemovalDialog(QDialog):
    """Asks why an entry is removed; the answer is a code (the audit log keeps it, and a code
    cannot carry a name). Opens without blocking; ``on_confirmed`` gets the code."""

    def __init__(self, parent: QWidget, entry_text: str,
                 on_confirmed: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.setObjectName("statusRemoval")
        self.setWindowTitle("Aufenthaltsstatus entfernen")
        form = QFormLayout(self)
        intro = QLabel(f"„{entry_text}“ wird aus dem Zeitverlauf entfernt. Ein falscher "
                       "Eintrag wird besser korrigiert: dann bleibt er als korrigiert sichtbar.")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.reason = QComboBox()
        self.reason.addItem("Bitte wählen …", None)
        for code, text in REMOVAL_REASONS.items():
            self.reason.addItem(text, code)
        label = QLabel("&Grund:")
        label.setBuddy(self.reason)
        form.addRow(label, self.reason)
        buttons = QDialogButtonBox()
        self.remove_button = buttons.addButton("&Entfernen",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("&Abbrechen", QDialogButtonBox.ButtonRole.RejectRole)
        form.addRow(buttons)
        self.remove_button.setEnabled(False)  # only with a reason
        self.reason.currentIndexChanged.connect(
            lambda: self.remove_button.setEnabled(self.reason.currentData() is not None))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.accepted.connect(lambda: on_confirmed(str(self.reason.currentData())))
        self.finished.connect(self.deleteLater)
        self.reason.setFocus()
