"""Aufgaben & Fristen: stored tasks and the follow-ups computed from status and consent expiry."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.date_input import DateInputError
from app.services.tasks.read import case_follow_up_rows
from app.services.tasks.records import CaseFollowUps, FollowUpRow
from app.services.tasks.write import add_task, complete_task
from ui.casefile._form import (
    ERROR_STYLE,
    date_edit,
    errors_below,
    fmt_date,
    read_date,
    run_guarded,
    set_date,
)
from ui.casefile._section import Section
from ui.casefile._table import Row, RowsModel, make_table
from ui.context import AppContext, german_message

HEADERS = ("Fällig am", "Art", "Was ist zu tun", "Stand")
OVERDUE_COLOUR = "#b00020"


class TasksSection(Section):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.setObjectName("tasksSection")
        self._items: list[FollowUpRow] = []
        self._today: date | None = None
        self.model = RowsModel(HEADERS)
        self.view = make_table("Aufgaben und Fristen", self.model, stretch=2)
        self.view.setObjectName("followUpList")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Aufgaben &amp; Fristen</h2>"))
        label = QLabel("Offene Aufgaben und &Fristen (überfällige in Rot):")
        label.setBuddy(self.view)
        layout.addWidget(label)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.done_button = QPushButton("Als &erledigt markieren")
        self.done_button.setObjectName("completeTask")
        self.done_button.setToolTip("Nur für Aufgaben; Fristen aus Aufenthalt und Einwilligung "
                                    "enden mit einer Verlängerung.")
        self.done_button.clicked.connect(self.complete_selected)
        row.addWidget(self.done_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("tasksMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(self._build_form())
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        # The case-file window reloads the visible section when a committed change touches its
        # case (and after unlocking): the context reports every write, nobody announces it.
        ctx.locked.connect(self.clear)
        self._update_actions()

    def _build_form(self) -> QGroupBox:
        box = QGroupBox("Neue Aufgabe")
        form = QFormLayout(box)
        self.title = QLineEdit()
        self.title.setObjectName("taskTitle")
        form.addRow("&Aufgabe:", self.title)
        self.due_on = date_edit()
        form.addRow("Fällig a&m:", self.due_on)
        general = QLabel()
        form.addRow(general)
        self.add_button = QPushButton("Aufgabe an&legen")
        self.add_button.setObjectName("addTask")
        self.add_button.clicked.connect(self.add)
        self.title.returnPressed.connect(self.add)
        form.addRow("", self.add_button)
        self.errors = errors_below(form, {"title": self.title}, general)
        return box

    def clear(self) -> None:
        """Drop every loaded record from memory and screen (at lock); forms stay for drafts."""
        self._items = []
        self.model.set_rows([])
        self.message.clear()

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda v: case_follow_up_rows(v, case_id), self._show,
                    self._error)

    def _show(self, data: CaseFollowUps) -> None:
        self._today = data.today
        self._items = list(data.items)
        self.model.set_rows([
            Row((fmt_date(f.due_on), f.kind_label, f.title, "überfällig" if f.overdue else ""),
                f.source_uuid, foreground=OVERDUE_COLOUR if f.overdue else None)
            for f in self._items])
        self._update_actions()

    def _error(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(german_message(exc))

    def selected(self) -> FollowUpRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self._items[rows[0].row()] if rows and rows[0].row() < len(self._items) else None

    def _update_actions(self) -> None:
        chosen = self.selected()
        self.done_button.setEnabled(chosen is not None and chosen.stored)

    def add(self) -> None:
        self.errors.clear()
        try:
            title, due = self.title.text(), read_date(self.due_on)
        except DateInputError:  # shown at the date field; nothing is saved
            return

        def done(_uuid: str) -> None:
            self.title.clear()
            self.message.setStyleSheet("")
            self.message.setText("Die Aufgabe wurde angelegt.")

        run_guarded(self, self.ctx, lambda v: add_task(v, self.case_id, title, due), done,
                    self.errors.show)

    def complete_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen.stored:
            return

        def done(_none: None) -> None:
            self.message.setStyleSheet("")
            self.message.setText(f"„{chosen.title}“ ist erledigt.")

        run_guarded(self, self.ctx,
                    lambda v: complete_task(v, chosen.source_uuid, v.clock.today()), done,
                    self._error)

    def has_unsaved_changes(self) -> bool:
        return bool(self.title.text().strip())

    def draft_state(self) -> dict[str, object] | None:
        if not self.has_unsaved_changes():
            return None
        return {"title": self.title.text(), "due_on": read_date(self.due_on)}

    def restore_draft(self, state: dict[str, object]) -> None:
        self.title.setText(str(state.get("title") or ""))
        set_date(self.due_on, state.get("due_on"))
