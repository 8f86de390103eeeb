"""The case list's table view: Enter opens, columns sized to what they show, and "Keine Fälle
gefunden" in the table itself when a search or the filters leave nothing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

from app import catalogues
from ui.caselist.model import (
    COL_CASE_NUMBER,
    COL_DEADLINE,
    COL_MANAGER,
    COL_MUNI,
    COL_NAME,
    COL_OPENED,
    COL_PHASE,
    COL_TARGET,
    HEADERS,
)

EMPTY_TEXT = "Keine Fälle gefunden"
EMPTY_HINT = ("Tipp: „nur offene Fälle“ abwählen oder die Filter auf „Alle“ stellen, um auch "
              "abgeschlossene oder anders gefilterte Fälle zu sehen.")
LONGEST_FITTING = 40  # labels up to this length fit their column; longer ones are elided


def _longest(labels: list[str]) -> str:
    fitting = [label for label in labels if len(label) <= LONGEST_FITTING]
    return max(fitting or labels, key=len)


def case_number_sample() -> str:
    """The widest case number: the longest municipality code (RHE, HAM …) and wide letters."""
    code = max((m.code for m in catalogues.municipalities()), key=len, default="DO")
    return f"{'W' * len(code)}-2026-WWWW-0000"


def column_samples() -> dict[int, str]:
    """The text each column must show in full: Zielgruppe and Kommune fit their labels (the
    one very long target group is elided, its tooltip says it in full)."""
    return {
        COL_CASE_NUMBER: case_number_sample(),
        COL_NAME: "Mustermann-Beispiel, Maria",
        COL_PHASE: max((catalogues.label_or_code(catalogues.phases(), p.code, short=True)
                        for p in catalogues.phases()), key=len),
        COL_TARGET: _longest([t.label for t in catalogues.target_groups()]),
        COL_MUNI: _longest([m.label for m in catalogues.municipalities()]),
        COL_MANAGER: "Fallmanagerin Muster",
        COL_DEADLINE: "00.00.0000",
        COL_OPENED: "00.00.0000",
    }


class CaseTableView(QTableView):
    """Enter opens the current case (QTableView alone would only emit ``activated``)."""

    open_requested = Signal(int)  # row

    def __init__(self) -> None:
        super().__init__()
        self.empty = QLabel(f"<b>{EMPTY_TEXT}</b><br>{EMPTY_HINT}", self.viewport())
        self.empty.setObjectName("emptyCases")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAccessibleName(EMPTY_TEXT)
        self.empty.hide()
        self.viewport().installEventFilter(self)

    def fit_columns(self) -> None:
        """Widths from the font (so they hold at 150 % scaling too), never from the rows:
        nothing may measure 100,000 rows."""
        metrics, header = self.fontMetrics(), self.horizontalHeader()
        header_metrics = header.fontMetrics()
        for column, sample in column_samples().items():
            if column < len(HEADERS):
                width = max(metrics.horizontalAdvance(sample),
                            header_metrics.horizontalAdvance(HEADERS[column]) + 16)
                self.setColumnWidth(column, width + 16)  # the cell's margins

    def show_empty(self, empty: bool) -> None:
        self.empty.setVisible(empty)
        if empty:
            self._place_empty()

    def _place_empty(self) -> None:
        area = self.viewport().rect().adjusted(24, 16, -24, -16)
        self.empty.setGeometry(area.x(), area.y(), area.width(),
                               min(area.height(), self.empty.heightForWidth(area.width()) + 24))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.Resize \
                and self.empty.isVisible():
            self._place_empty()
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


def setup_table(table: CaseTableView) -> None:
    table.setAccessibleName("Fälle")
    table.setTabKeyNavigation(False)  # Tab leaves the table instead of cycling cells
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)  # the tooltip holds the full text
    table.verticalHeader().hide()
    # Fixed row heights and column widths: nothing may measure 100,000 rows.
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.fit_columns()
    header.setStretchLastSection(True)
