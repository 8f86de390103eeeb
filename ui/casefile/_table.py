"""The read-only table of the case file: rows the services already computed, a model over
them, and keyboard-friendly views (one for the case file's own sections, one for the sections
package)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

Index = QModelIndex | QPersistentModelIndex
HIGHLIGHT = "#fff1c2"  # warm yellow: readable in light themes, the text carries the meaning


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    key: str | None = None  # the record's id or uuid, used by the section's actions
    highlight: bool = False  # needs attention: the whole row gets the HIGHLIGHT background
    tooltip: str | None = None  # for the whole row, where a cell has no tooltip of its own
    foreground: str | None = None  # colour name for the whole row (e.g. overdue in red)
    tooltips: tuple[str, ...] = ()  # per cell, optional
    backgrounds: tuple[str | None, ...] = ()  # per cell colour names, optional
    # The synced record the row shows (its uuid), for its sync mark; None: the key is that
    # uuid; "": the row shows no record of its own (a computed deadline).
    record: str | None = None

    def record_uuid(self) -> str | None:
        return self.key if self.record is None else (self.record or None)


@dataclass(frozen=True)
class RowMark:
    """A record's sync state in its row: a sign before the first cell, the note as its
    tooltip and spoken with it ("Konflikt bei Datum: im Abgleich lösen")."""

    sign: str
    note: str


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)
        self._rows: list[Row] = []
        self._marks: Mapping[str, RowMark] = {}

    def set_marks(self, marks: Mapping[str, RowMark]) -> None:
        """Sync marks by record uuid; they stay while the rows are reloaded."""
        if not marks and not self._marks:
            return
        self._marks = marks
        if self._rows and self._headers:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def mark_at(self, row: int) -> RowMark | None:
        found = self.row_at(row)
        uuid = found.record_uuid() if found is not None else None
        return self._marks.get(uuid) if uuid else None

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

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self.row_at(index.row()) if index.isValid() else None
        col = index.column()
        if row is None or col >= len(row.cells):
            return None
        mark = self.mark_at(index.row()) if col == 0 and self._marks else None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{mark.sign} {row.cells[col]}" if mark else row.cells[col]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.cells[col]} – {mark.note}" if mark else row.cells[col]
        if role == Qt.ItemDataRole.ForegroundRole and row.foreground:
            return QBrush(QColor(row.foreground))
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = row.backgrounds[col] if col < len(row.backgrounds) else None
            colour = colour or (HIGHLIGHT if row.highlight else None)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = (row.tooltips[col] if col < len(row.tooltips) else "") or row.tooltip
            return "\n".join(t for t in (mark.note if mark else "", tip or "") if t) or tip
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


def _read_only_view(model: QAbstractItemModel, name: str) -> QTableView:
    """What every table here shares: named for screen readers, Tab leaves the table instead of
    walking its cells, whole rows are selected, nothing is edited in place."""
    view = QTableView()
    view.setModel(model)  # first: setting a model resets the header's section modes
    view.setAccessibleName(name)
    view.setTabKeyNavigation(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    return view


def table_view(model: QAbstractItemModel, name: str) -> QTableView:
    """One line per row, columns the user can widen; the full text is in the tooltip."""
    view = _read_only_view(model, name)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
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


def make_table(name: str, model: QAbstractItemModel, stretch: int | None = None) -> QTableView:
    """Wrapped rows as high as their text, one selected at a time; column ``stretch`` (or the
    last one) takes the spare width."""
    view = _read_only_view(model, name)
    view.setObjectName(name)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setWordWrap(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setMinimumHeight(120)
    if stretch is None:
        view.horizontalHeader().setStretchLastSection(True)
    else:
        view.horizontalHeader().setStretchLastSection(False)
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return view


def table_with_status(owner: QObject, headers: Sequence[str],
                      name: str) -> tuple[QLabel, RowsModel, QTableView]:
    """A section built around one table: the line above it (how many rows, or what went
    wrong), its model (owned by ``owner``) and its view."""
    status = QLabel()
    status.setWordWrap(True)
    model = RowsModel(headers, owner)
    return status, model, table_view(model, name)
