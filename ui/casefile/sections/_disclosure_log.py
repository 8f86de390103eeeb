"""Übermittlungen: the case's disclosure log (what went to whom, when, on which basis, by
which channel), read-only, shown in the Einwilligungen section beside the consents."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.services.consent.records import DisclosureLogRow
from ui.casefile._form import fmt_datetime
from ui.casefile._table import Row, RowsModel, make_table
from ui.casefile.sections._fit import fit_columns, with_tooltips

HEADERS = ("Datum", "Institution", "Datenkategorie", "Zweck", "Grundlage", "Weg")
WEIGHTS = (0, 18, 16, 16, 34, 0)


def log_row(r: DisclosureLogRow) -> Row:
    basis = r.basis + (" – Hinweis bestätigt" if r.warning_acknowledged else "")
    return with_tooltips(Row((fmt_datetime(r.disclosed_at), r.institution_name,
                              r.category_label, r.purpose, basis, r.channel_label), r.uuid))


class DisclosureLog(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("disclosureLog")
        self.model = RowsModel(HEADERS, self)
        self.view = make_table("Übermittlungen", self.model)
        self.view.setObjectName("disclosureLogTable")
        fit_columns(self.view, WEIGHTS, {0: "00.00.0000 00:00", 5: "Fallkonferenz"})
        self.empty = QLabel("Bisher wurden keine Daten aus diesem Fall weitergegeben.")
        self.empty.setObjectName("disclosureLogEmpty")
        self.empty.setWordWrap(True)
        label = QLabel("Übermi&ttlungen (was an wen, wann, auf welcher Grundlage):")
        label.setBuddy(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.empty)
        layout.addWidget(self.view)

    def show_rows(self, rows: list[DisclosureLogRow]) -> None:
        self.model.set_rows([log_row(r) for r in rows])
        self.empty.setVisible(not rows)

    def clear(self) -> None:
        self.model.set_rows([])
