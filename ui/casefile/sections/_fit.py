"""Tables that fit their width: at 1280×720 and at 150 % scaling every column stays in view.

Each column gets a share of the viewport's width by weight (recomputed when the table is
resized), the text is cut with "…" and the full text is in the cell's tooltip (the rows give
it), and rows are one line high instead of growing with wrapped text in a squeezed column.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

from ui.casefile._table import Row


def one_line_height(view: QTableView) -> int:
    """A normal row: the text line plus the padding Qt's styles put around it."""
    return view.fontMetrics().height() + 10


class ColumnsFit(QObject):
    def __init__(self, view: QTableView, weights: Sequence[int]) -> None:
        super().__init__(view)
        self.view, self.weights = view, tuple(weights)
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(one_line_height(view))
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.viewport().installEventFilter(self)
        model = view.model()
        model.modelReset.connect(self.fit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        width = self.view.viewport().width()
        header = self.view.horizontalHeader()
        total, used = sum(self.weights), 0
        last = min(len(self.weights), header.count()) - 1
        for column, weight in enumerate(self.weights[:last + 1]):
            size = width - used if column == last else width * weight // total
            header.resizeSection(column, max(size, 0))
            used += size


def fit_columns(view: QTableView, weights: Sequence[int]) -> ColumnsFit:
    """Make ``view`` fit its width with the given column weights (kept alive by the view)."""
    return ColumnsFit(view, weights)


def with_tooltips(row: Row) -> Row:
    """The full text of every cell as its tooltip, where the row has none of its own."""
    tips = tuple(row.tooltips[i] if i < len(row.tooltips) and row.tooltips[i] else text
                 for i, text in enumerate(row.cells))
    return Row(row.cells, row.key, row.highlight, row.tooltip, row.foreground, tips,
               row.backgrounds)
