"""A small read-only table model for the case-file sections, and a keyboard-friendly view."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
HIGHLIGHT = QColor("#fff1c2")  # warm yellow: readable in light themes, text carries the meaning


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    highlight: bool = False
    tooltip: str | None = None
    key: object = field(default=None, compare=False)


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.cells[index.column()] if index.column() < len(row.cells) else ""
        if role == Qt.ItemDataRole.BackgroundRole and row.highlight:
            return QBrush(HIGHLIGHT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None


def table_view(model: RowsModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setTabKeyNavigation(False)  # Tab leaves the table instead of cycling through cells
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)  # one line per row; the full text is in the tooltip
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    model.modelReset.connect(lambda: fit_columns(view))
    return view


def fit_columns(view: QTableView, max_width: int = 220) -> None:
    """Columns as wide as their content, but none so wide that the rest scrolls away."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for column in range(header.count() - 1):
        if header.sectionSize(column) > max_width:
            header.resizeSection(column, max_width)
