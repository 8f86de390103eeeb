"""Tables that fit their width: at 1280×720 and at 150 % scaling every column stays in view.

Each column gets a share of the viewport's width by weight (recomputed when the table is
resized), the text is cut with "…" and the full text is in the cell's tooltip (the rows give
it), and rows are one line high instead of growing with wrapped text in a squeezed column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

from ui.casefile._table import Row


def one_line_height(view: QTableView) -> int:
    """A normal row: the text line plus the padding Qt's styles put around it."""
    return view.fontMetrics().height() + 10


DATE_SAMPLE = "00.00.0000"  # a date column is never cut


class ColumnsFit(QObject):
    """Each column first gets what its header (or its ``samples`` text, e.g. a date) needs, the
    rest of the width is shared by weight; when even that does not fit, all shrink alike."""

    def __init__(self, view: QTableView, weights: Sequence[int],
                 samples: dict[int, str] | None = None) -> None:
        super().__init__(view)
        self.view, self.weights = view, tuple(weights)
        self.samples = samples or {}
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

    def _minimum(self, column: int) -> int:
        """A sample column (a date) is never cut; a text column keeps its header readable
        where it can, but gives way to the sample columns on a narrow screen."""
        header = self.view.horizontalHeader()
        text = str(self.view.model().headerData(column, Qt.Orientation.Horizontal) or "")
        needed = header.fontMetrics().horizontalAdvance(text)
        if column in self.samples:
            return max(needed, self.view.fontMetrics().horizontalAdvance(
                self.samples[column])) + 16  # the cell's and the header's padding
        return min(needed, header.fontMetrics().averageCharWidth() * 10) + 16

    def fit(self) -> None:
        width = self.view.viewport().width()
        header = self.view.horizontalHeader()
        count = min(len(self.weights), header.count())
        weights = self.weights[:count]
        minimums = [self._minimum(c) for c in range(count)]
        spare = width - sum(minimums)
        if spare >= 0:
            sizes = [m + spare * w // sum(weights) for m, w in zip(minimums, weights, strict=True)]
        else:
            sizes = [width * m // max(sum(minimums), 1) for m in minimums]
        sizes[-1] += width - sum(sizes)  # rounding: the last column closes the gap exactly
        for column, size in enumerate(sizes):
            header.resizeSection(column, max(size, 0))


def fit_columns(view: QTableView, weights: Sequence[int],
                samples: dict[int, str] | None = None) -> ColumnsFit:
    """Make ``view`` fit its width with the given column weights (kept alive by the view)."""
    return ColumnsFit(view, weights, samples)


def with_tooltips(row: Row) -> Row:
    """The full text of every cell as its tooltip, where the row has none of its own."""
    tips = tuple(row.tooltips[i] if i < len(row.tooltips) and row.tooltips[i] else text
                 for i, text in enumerate(row.cells))
    return replace(row, tooltips=tips)
