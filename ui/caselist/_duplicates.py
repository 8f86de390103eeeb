"""The warning in 'Neuer Fall' when the client may already have a case: the existing case(s),
"Bestehenden Fall öffnen" and "Trotzdem neuen Fall anlegen"."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app.services.duplicates.records import DuplicateCandidate
from ui.casefile._table import Row, RowsModel, table_view

HEADERS = ("Fallnummer", "Name", "Geburtsdatum", "Fallmanager:in", "Stand", "Warum ähnlich")


class DuplicateWarning(QGroupBox):
    open_requested = Signal(int)  # the existing case's id
    create_anyway = Signal()

    def __init__(self) -> None:
        super().__init__("Diesen Fall gibt es vielleicht schon")
        self.setObjectName("duplicateWarning")
        self.candidates: list[DuplicateCandidate] = []
        self.text = QLabel()
        self.text.setObjectName("duplicateText")
        self.text.setWordWrap(True)
        self.model = RowsModel(HEADERS, self)
        self.view = table_view(self.model, "Mögliche Dubletten")
        self.view.setObjectName("duplicateTable")
        self.view.setMinimumHeight(110)
        self.text.setBuddy(self.view)
        self.open_button = QPushButton("Bestehenden Fall &öffnen")
        self.open_button.setObjectName("openExisting")
        self.anyway_button = QPushButton("&Trotzdem neuen Fall anlegen")
        self.anyway_button.setObjectName("createAnyway")
        self.open_button.clicked.connect(self._open)
        self.anyway_button.clicked.connect(self.create_anyway)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.anyway_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.hide()

    def show_candidates(self, candidates: list[DuplicateCandidate]) -> None:
        self.candidates = candidates
        one = len(candidates) == 1
        self.text.setText(
            ("Für diese Person gibt es möglicherweise schon einen &Fall:" if one else
             f"Für diese Person gibt es möglicherweise schon {len(candidates)} &Fälle:")
            + " Bitte prüfen Sie, ob es dieselbe Person ist.")
        self.model.set_rows([Row(
            (c.case_number, f"{c.family_name}, {c.given_names}",
             c.date_of_birth.strftime("%d.%m.%Y") if c.date_of_birth else "keine Angabe",
             c.case_manager, "abgeschlossen" if c.closed else "offen", c.reason), c.uuid)
            for c in candidates])
        self.view.selectRow(0)
        self.show()
        self.view.setFocus()

    def uuids(self) -> list[str]:
        return [c.uuid for c in self.candidates]

    def _open(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        index = rows[0].row() if rows else 0
        if 0 <= index < len(self.candidates):
            self.open_requested.emit(self.candidates[index].id)
