"""'Im Verlauf suchen' on the Fälle page: journal entries that contain the typed words, each
with its date, case, client and the matching passage; Enter opens the case at "Verlauf".

The caseworker searches their own vault for a line they remember ("Kita", "Jobcenter Termin"),
so the hit shows the passage around the words, as the CLI's ``lotse search`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app.services.cases.records import CaseRow
from app.services.search.records import JournalHit
from ui.caselist.table import case_number_sample

HEADERS = ("Datum", "Aktenzeichen", "Name", "Eintrag (Auszug)")


@dataclass(frozen=True)
class CaseJournalHit:
    """A journal hit with the case list's row of its case (names, filters)."""

    hit: JournalHit
    case: CaseRow

    @property
    def occurred_at(self) -> datetime:
        return self.hit.occurred_at


def found_text(hits: list[CaseJournalHit]) -> str:
    if not hits:
        return "Keine Einträge gefunden"
    cases = len({h.case.id for h in hits})
    entries = "1 Eintrag" if len(hits) == 1 else f"{len(hits)} Einträge"
    return f"{entries} in {'1 Fall' if cases == 1 else f'{cases} Fällen'} gefunden"


class JournalHitsTable(QTableWidget):
    """The hits, newest first; Enter or a double click opens the hit's case at the journal."""

    open_requested = Signal(int)  # case id

    def __init__(self) -> None:
        super().__init__(0, len(HEADERS))
        self.setObjectName("journalHits")
        self.setAccessibleName("Treffer im Verlauf")
        self.setHorizontalHeaderLabels(list(HEADERS))
        self.setTabKeyNavigation(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        for column, sample in enumerate(("00.00.0000", case_number_sample(),
                                         "Mustermann-Beispiel, Maria")):
            self.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        self._case_ids: list[int] = []
        self.doubleClicked.connect(lambda index: self._open(index.row()))

    def set_hits(self, hits: list[CaseJournalHit]) -> None:
        self.clearContents()
        self.setRowCount(len(hits))
        self._case_ids = [h.case.id for h in hits]
        for row, found in enumerate(hits):
            texts = (found.occurred_at.astimezone().strftime("%d.%m.%Y"), found.case.case_number,
                     f"{found.case.family_name}, {found.case.given_names}", found.hit.excerpt)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.setItem(row, column, item)

    def case_id(self, row: int) -> int | None:
        return self._case_ids[row] if 0 <= row < len(self._case_ids) else None

    def _open(self, row: int) -> None:
        case_id = self.case_id(row)
        if case_id is not None:
            self.open_requested.emit(case_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex().row())
            return
        super().keyPressEvent(event)
