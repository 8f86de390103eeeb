"""Abgleich → Geteilte Fälle: deputy shares and transfers in both directions; an active
Vertretung can be ended here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.handover.read import grants
from app.services.handover.records import GrantRow
from app.services.handover.write import end_share
from ui.casefile._form import run_guarded
from ui.context import AppContext, german_message
from ui.dialogs import confirm
from ui.forms import ERROR_STYLE
from ui.sync.labels import DIRECTIONS, GRANT_STATES, day, grant_kind, moment
from ui.sync.tables import fill, labelled, make_table

HEADERS = ("Aktenzeichen", "Person", "Kollegin / Kollege", "Art", "Richtung", "Zustand", "seit",
           "Zuletzt gesendet")


class SharesTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("sharesTab")
        self.rows: list[GrantRow] = []
        self.table = make_table("sharesTable", HEADERS, 2)
        self.table.currentCellChanged.connect(self._enable)
        self.end_button = QPushButton("Vertretung &beenden …")
        self.end_button.clicked.connect(self.ask_end)
        buttons = QHBoxLayout()
        buttons.addWidget(self.end_button)
        buttons.addStretch(1)
        self.message = QLabel()
        self.message.setObjectName("sharesMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(labelled("&Geteilte und übergebene Fälle:", self.table))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._enable()

    def reload(self) -> None:
        run_guarded(self, self.ctx, lambda vault: grants(vault), self._loaded, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(german_message(exc))

    def _loaded(self, rows: list[GrantRow]) -> None:
        self.rows = list(rows)
        fill(self.table, [(g.case_number or "–", g.client_name or "–", g.peer_name, grant_kind(g),
                           DIRECTIONS.get(g.direction, g.direction),
                           GRANT_STATES.get(g.state, g.state), day(g.since),
                           moment(g.last_sent_at)) for g in self.rows])
        self._enable()

    def selected(self) -> GrantRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _enable(self, *_cells: int) -> None:
        chosen = self.selected()
        self.end_button.setEnabled(chosen is not None and chosen.kind == "deputy"
                                   and chosen.state == "active")

    def ask_end(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen.kind != "deputy" or chosen.state != "active":
            return
        grant_id = chosen.id
        confirm(self, "Vertretung beenden",
                f"Die Vertretung für Fall {chosen.case_number} mit {chosen.peer_name} endet "
                "jetzt. Änderungen gehen danach nicht mehr hin und her.",
                "Vertretung &beenden", lambda: self.end(grant_id))

    def end(self, grant_id: int) -> None:
        run_guarded(self, self.ctx, lambda vault: end_share(vault, grant_id), self._ended,
                    self._failed)

    def _ended(self, grant: GrantRow) -> None:
        self.message.setStyleSheet("")
        self.message.setText(f"Die Vertretung für Fall {grant.case_number} ist beendet.")
        self.reload()
