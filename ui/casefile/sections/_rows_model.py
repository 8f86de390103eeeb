"""A small read-only table model over rows the services already computed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

OVERDUE = QColor("#b00020")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    key: str  # the record's uuid, used by the section's actions
    foreground: str | None = None  # colour name for the whole row (e.g. overdue in red)
    tooltips: tuple[str, ...] = ()  # per cell, optional
    backgrounds: tuple[str | None, ...] = ()  # per cell colour names, optional


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str]) -> None:
        super().__init__()
        self._headers = tuple(headers)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_headers(self, headers: Sequence[str]) -> None:
        self.beginResetModel()
        self._headers = tuple(headers)
        self._rows = []
        self.endResetModel()

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[Row]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if col >= len(row.cells):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.cells[col]
        if role == Qt.ItemDataRole.ForegroundRole and row.foreground:
            return QBrush(QColor(row.foreground))
        if role == Qt.ItemDataRole.BackgroundRole and col < len(row.backgrounds) \
                and row.backgrounds[col]:
            return QBrush(QColor(row.backgrounds[col]))
        if role == Qt.ItemDataRole.ToolTipRole and col < len(row.tooltips) and row.tooltips[col]:
            return row.tooltips[col]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None
