"""Abgleich → Eingang, last part: this vault's own bundles that a recipient's Lotse rejected
(its signed notice), with the recipient's reason, until a person has taken note."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.services.sync.read import refused
from app.services.sync.records import RefusalRow
from app.services.sync.write import take_note
from app.vault.store import Vault
from ui.casefile._form import run_guarded
from ui.context import AppContext, german_message
from ui.sync.labels import KINDS, moment
from ui.sync.tables import fill, labelled, make_table

HEADERS = ("Abgelehnt am", "Empfänger", "Art", "Grund")
NOTED_DE = ("Zur Kenntnis genommen. Wer die Daten dort braucht, bekommt sie nur, wenn Sie sie "
            "erneut senden.")


def recipient_text(row: RefusalRow) -> str:
    return row.recipient or f"unbekannt ({row.recipient_fingerprint[:8].upper()} …)"


class RefusedBox(QWidget):
    """``say(text, error=...)``: the tab's message line."""

    def __init__(self, ctx: AppContext, say: Callable[..., None]) -> None:
        super().__init__()
        self.ctx = ctx
        self.say = say
        self.setObjectName("refusedBox")
        self.rows: list[RefusalRow] = []
        self.table = make_table("refusedTable", HEADERS, 3)
        self.table.currentCellChanged.connect(self._enable)
        self.note_button = QPushButton("Zur Kenntnis &genommen")
        self.note_button.setObjectName("refusalNoted")
        self.note_button.clicked.connect(self.take_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(labelled("Eigene Bündel, &die Empfänger abgelehnt haben:", self.table))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._enable()

    def reload(self) -> None:
        run_guarded(self, self.ctx, refused, self.show_rows, self._failed)

    def show_rows(self, rows: list[RefusalRow]) -> None:
        self.rows = list(rows)
        fill(self.table, [(moment(r.rejected_at), recipient_text(r),
                           KINDS.get(r.kind, r.kind), r.message_de) for r in self.rows])
        self._enable()

    def selected(self) -> RefusalRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _enable(self, *_cells: int) -> None:
        self.note_button.setEnabled(self.selected() is not None)

    def take_note(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        refusal_id = chosen.id

        def work(vault: Vault) -> list[RefusalRow]:
            take_note(vault, refusal_id)
            return refused(vault)

        run_guarded(self, self.ctx, work, self._noted, self._failed)

    def _noted(self, rows: list[RefusalRow]) -> None:
        self.show_rows(rows)
        self.say(NOTED_DE)
        self.table.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self.say(german_message(exc), error=True)
