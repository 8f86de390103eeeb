"""The agenda of a conference being planned: the cases (found by number or name), each with
its question or occasion and the data categories that will be discussed, which is what the
consent gate checks. Enter on a case opens its file at the tasks."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app import catalogues
from app.services.cases.records import CaseRow
from app.services.conferences.records import AgendaInput
from ui.casefile._table import Row, RowsModel, make_table
from ui.conferences.pickers import CaseSearch
from ui.context import AppContext


@dataclass(frozen=True)
class AgendaEntry:
    case_ref: int
    label: str  # "DO-2026-K7-0042 · Öztürk, Ayşe"
    client: str
    occasion: str = ""
    categories: tuple[str, ...] = ()
    uuid: str | None = None

    def input(self) -> AgendaInput:
        return AgendaInput(self.case_ref, self.occasion, self.categories, self.uuid)


class AgendaBox(QGroupBox):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__("Tagesordnung (Enter öffnet die Fallakte)")
        self.ctx = ctx
        self.entries: list[AgendaEntry] = []
        self.labels = {c.code: c.label for c in catalogues.data_categories()}
        self.model = RowsModel(["Fall", "Anlass", "Datenkategorien"], self)
        # The occasion takes the spare width; the categories wrap in a column of their own
        # width (on one line they pushed the occasion off the screen).
        self.table = make_table("conferenceAgenda", self.model, stretch=1)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(2, self.table.fontMetrics().horizontalAdvance("x" * 36))
        self.table.setAccessibleName("Tagesordnung")
        self.add_case = QPushButton("Fall &hinzufügen…")
        self.add_case.setObjectName("addCase")
        self.remove_case = QPushButton("Fall &entnehmen")
        self.remove_case.setObjectName("removeCase")
        self.occasion = QLineEdit()
        self.occasion.setObjectName("agendaOccasion")
        self.occasion.setPlaceholderText("Frage oder Anlass für diesen Fall")
        self.categories = QListWidget()
        self.categories.setObjectName("agendaCategories")
        self.categories.setAccessibleName("Datenkategorien, die besprochen werden")
        for c in catalogues.data_categories():
            item = QListWidgetItem(c.label)
            item.setData(Qt.ItemDataRole.UserRole, c.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.categories.addItem(item)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_case)
        row.addWidget(self.remove_case)
        row.addStretch(1)
        left.addLayout(row)
        right = QFormLayout()
        right.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        occasion_label = QLabel("&Anlass des gewählten Falls:")
        occasion_label.setBuddy(self.occasion)
        right.addRow(occasion_label, self.occasion)
        categories_label = QLabel("Date&nkategorien (Leertaste kreuzt an):")
        categories_label.setBuddy(self.categories)
        right.addRow(categories_label, self.categories)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.add_case.clicked.connect(self._pick_case)
        self.remove_case.clicked.connect(self._remove_case)
        self.table.activated.connect(self._open_case)  # Enter: the case file
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_entry())
        self.occasion.textEdited.connect(lambda _t: self._edit_entry())
        self.categories.itemChanged.connect(lambda _i: self._edit_entry())
        self._show_entry()

    def add_entry(self, case_id: int, label: str, client: str) -> None:
        if all(e.case_ref != case_id for e in self.entries):
            self.entries.append(AgendaEntry(case_id, label, client))
            self.show_entries(len(self.entries) - 1)

    def set_read_only(self, locked: bool) -> None:
        self.occasion.setReadOnly(locked)
        self.categories.setEnabled(not locked)
        self.add_case.setEnabled(not locked)
        self.remove_case.setEnabled(not locked)

    def _row(self, e: AgendaEntry) -> Row:
        labels = ", ".join(self.labels.get(c, c) for c in e.categories)
        return Row((e.label, e.occasion, labels or "noch keine gewählt"),
                   highlight=not e.categories)

    def show_entries(self, select: int) -> None:
        """The entries in the table, ``select`` the current one."""
        self.model.set_rows([self._row(e) for e in self.entries])
        if 0 <= select < len(self.entries):
            self.table.selectRow(select)
        self._show_entry()

    def _show_entry(self) -> None:
        row = self.table.currentIndex().row()
        entry = self.entries[row] if 0 <= row < len(self.entries) else None
        self.occasion.setEnabled(entry is not None)
        self.categories.setEnabled(entry is not None and self.add_case.isEnabled())
        self.occasion.setText(entry.occasion if entry else "")
        self.categories.blockSignals(True)
        for i in range(self.categories.count()):
            item = self.categories.item(i)
            on = entry is not None and item.data(Qt.ItemDataRole.UserRole) in entry.categories
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.categories.blockSignals(False)

    def _edit_entry(self) -> None:
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self.entries):
            return
        codes = tuple(str(self.categories.item(i).data(Qt.ItemDataRole.UserRole))
                      for i in range(self.categories.count())
                      if self.categories.item(i).checkState() == Qt.CheckState.Checked)
        self.entries[row] = replace(self.entries[row], occasion=self.occasion.text(),
                                    categories=codes)
        self.model.set_rows([self._row(e) for e in self.entries])
        self.table.blockSignals(True)
        self.table.selectRow(row)
        self.table.blockSignals(False)

    def _open_case(self) -> None:
        """The case file at its tasks, where the conference's decisions arrive."""
        row = self.table.currentIndex().row()
        if 0 <= row < len(self.entries):
            self.ctx.case_open_requested.emit(self.entries[row].case_ref, "tasks")

    def _pick_case(self) -> None:
        dialog = CaseSearch(self.ctx, self)
        dialog.chosen.connect(self._case_chosen)
        dialog.accepted.connect(self.occasion.setFocus)  # after the dialog gave focus back
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _case_chosen(self, row: CaseRow) -> None:
        client = f"{row.family_name}, {row.given_names}"
        self.add_entry(row.id, f"{row.case_number} · {client}", client)

    def _remove_case(self) -> None:
        row = self.table.currentIndex().row()
        if 0 <= row < len(self.entries):
            del self.entries[row]
            self.show_entries(min(row, len(self.entries) - 1))
