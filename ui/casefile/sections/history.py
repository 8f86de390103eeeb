"""Section "Protokoll": the case's own audit trail (what happened when; no personal data)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from app.services.audit.read import case_history
from app.services.audit.records import HistoryEntry
from ui.casefile._form import (
    count_text,
    fmt_datetime,
    run_guarded,
)
from ui.casefile._section import ReadOnlySection
from ui.casefile._table import Row, table_with_status
from ui.context import AppContext, german_message

HEADERS = ("Zeitpunkt", "Ereignis", "Einzelheiten")


class HistorySection(ReadOnlySection):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.status, self.model, self.table = table_with_status(self, HEADERS,
                                                                "Protokoll der Fallakte")
        intro = QLabel("Was mit dieser Fallakte geschehen ist, das Neueste zuerst. Das Protokoll "
                       "ist fälschungssicher verkettet und enthält keine Inhalte.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda vault: case_history(vault, case_id), self._loaded,
                    self._failed)

    def _loaded(self, entries: list[HistoryEntry]) -> None:
        self.status.setText(f"{count_text(len(entries))}.")
        self.model.set_rows([Row((fmt_datetime(e.at), e.label, e.detail), key=str(e.seq))
                             for e in entries])

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(german_message(exc))
