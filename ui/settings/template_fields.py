"""The fields of a certificate template as a small table: key, label, kind, required, seal.

Kind and seal mapping are chosen from a list (a team lead never has to know "period_from");
"Pflicht" is a check box in the cell.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.templates.records import FIELD_KINDS, TemplateField

KIND_TEXTS = {"text": "Text", "multiline": "Mehrzeiliger Text", "date": "Datum", "number": "Zahl"}
SEAL_TEXTS = {"": "nicht im Siegel", "subject": "Gegenstand", "period_from": "Zeitraum von",
              "period_until": "Zeitraum bis"}
KEY, LABEL, KIND, REQUIRED, SEAL = range(5)
HEADERS = ("Schlüssel", "Bezeichnung", "Art", "Pflicht", "Siegel")


class FieldsTable(QWidget):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("templateFields")
        self.table.setAccessibleName("Felder der Vorlage")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (see testing.md)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Stretch)
        for col in (KEY, KIND, REQUIRED, SEAL):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton("Feld &hinzufügen")
        self.add_button.clicked.connect(self.add_field)
        self.remove_button = QPushButton("Feld ent&fernen")
        self.remove_button.clicked.connect(self.remove_field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        stack = QVBoxLayout(self)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(self.table)
        stack.addLayout(buttons)

    def set_fields(self, fields: tuple[TemplateField, ...]) -> None:
        blocked = self.table.blockSignals(True)
        self.table.setRowCount(0)
        for f in fields:
            self._append(f)
        self.table.blockSignals(blocked)

    def _append(self, f: TemplateField) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, KEY, QTableWidgetItem(f.key))
        self.table.setItem(row, LABEL, QTableWidgetItem(f.label))
        required = QTableWidgetItem()
        required.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable)
        required.setCheckState(Qt.CheckState.Checked if f.required else Qt.CheckState.Unchecked)
        self.table.setItem(row, REQUIRED, required)
        self.table.setCellWidget(row, KIND, self._combo(KIND_TEXTS, f.kind, "Art des Feldes"))
        self.table.setCellWidget(row, SEAL, self._combo(SEAL_TEXTS, f.seal or "",
                                                        "Im Siegel als"))
        return row

    def _combo(self, texts: dict[str, str], value: str, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for code, text in texts.items():
            combo.addItem(text, code)
        index = combo.findData(value)
        if index < 0:  # a value this editor does not know stays visible, and check refuses it
            combo.addItem(value, value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        return combo

    def fields(self) -> tuple[TemplateField, ...]:
        result = []
        for row in range(self.table.rowCount()):
            kind = self.table.cellWidget(row, KIND)
            seal = self.table.cellWidget(row, SEAL)
            assert isinstance(kind, QComboBox) and isinstance(seal, QComboBox)
            required = self.table.item(row, REQUIRED)
            result.append(TemplateField(
                key=self._text(row, KEY), label=self._text(row, LABEL),
                kind=str(kind.currentData() or FIELD_KINDS[0]),
                required=required is not None
                and required.checkState() == Qt.CheckState.Checked,
                seal=str(seal.currentData()) or None))
        return tuple(result)

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def add_field(self) -> None:
        """A new row, its key cell in edit mode: the lead types the key straight away."""
        blocked = self.table.blockSignals(True)
        row = self._append(TemplateField(key="", label="", required=False))
        self.table.blockSignals(blocked)
        self.table.setFocus()
        self.table.setCurrentCell(row, KEY)
        item = self.table.item(row, KEY)
        if item is not None:
            self.table.editItem(item)
        self.changed.emit()

    def remove_field(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()
