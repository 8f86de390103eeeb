"""Aufgaben & Fristen: stored tasks and the follow-ups computed from status and consent expiry.

A stored task is corrected in the form below the table (select it, then "Bearbeiten…", Enter,
F2 or the context menu; Strg+S saves, Esc cancels); the service audits which fields changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.date_input import DateInputError
from app.services.staff.read import case_managers
from app.services.staff.records import StaffMember
from app.services.tasks.read import case_follow_up_rows
from app.services.tasks.records import CaseFollowUps, FollowUpRow
from app.services.tasks.write import add_task, complete_task, update_task
from app.vault.store import Vault
from ui.casefile._form import (
    ERROR_STYLE,
    fmt_date,
    run_guarded,
)
from ui.casefile._section import Section
from ui.casefile._table import Row, RowsModel, make_table
from ui.casefile.sections._task_form import TaskForm, assignee_changes
from ui.conferences.case_list import CaseConferences
from ui.context import AppContext, german_message

HEADERS = ("Fällig am", "Art", "Was ist zu tun", "Zuständig", "Stand")
OVERDUE_COLOUR = "#b00020"
COMPUTED_HINT = ("Fristen aus Aufenthalt und Einwilligung ändern sich mit dem Aufenthaltsstatus "
                 "bzw. der Einwilligung; bearbeiten lassen sich nur Aufgaben.")


@dataclass(frozen=True)
class _Loaded:
    follow_ups: CaseFollowUps
    staff: list[StaffMember]


def _load(vault: Vault, case_id: int) -> _Loaded:
    return _Loaded(case_follow_up_rows(vault, case_id), case_managers(vault))


class TasksSection(Section):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self.setObjectName("tasksSection")
        self._items: list[FollowUpRow] = []
        self._today: date | None = None
        self.model = RowsModel(HEADERS)
        self.view = make_table("Aufgaben und Fristen", self.model, stretch=2)
        self.view.setObjectName("followUpList")
        # Everything scrolls as one page: list, conferences and form are taller together than
        # a 720 px laptop screen leaves below the case file's header.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        page = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        outer.addWidget(scroll)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<h2>Aufgaben &amp; Fristen</h2>"))
        label = QLabel("Offene Aufgaben und &Fristen (überfällige in Rot):")
        label.setBuddy(self.view)
        layout.addWidget(label)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.edit_button = QPushButton("&Bearbeiten …")
        self.edit_button.setObjectName("editTask")
        self.edit_button.setToolTip("Fälligkeit, Titel oder Zuständigkeit ändern (F2)")
        self.edit_button.clicked.connect(self.edit_selected)
        row.addWidget(self.edit_button)
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
        self.conferences = CaseConferences(ctx, case_id)  # their decisions arrive above
        layout.addWidget(self.conferences)
        self.form = TaskForm()
        self.form.save_requested.connect(self.save)
        # The names the rest of the code and the tests know the inputs by.
        self.title, self.due_on, self.add_button = self.form.title_edit, self.form.due_on, \
            self.form.save
        self.errors = self.form.errors
        layout.addWidget(self.form)
        self._build_keys()
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        # The case-file window reloads the visible section when a committed change touches its
        # case (and after unlocking): the context reports every write, nobody announces it.
        ctx.locked.connect(self.clear)
        self._update_actions()

    def _build_keys(self) -> None:
        """Enter, F2 and the context menu edit the selected task; Strg+S saves the form."""
        self.edit_action = QAction("Bearbeiten …", self.view)
        self.edit_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.edit_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.edit_action.triggered.connect(self.edit_selected)
        self.done_action = QAction("Als erledigt markieren", self.view)
        self.done_action.triggered.connect(self.complete_selected)
        self.view.addAction(self.edit_action)
        self.view.addAction(self.done_action)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.view.activated.connect(lambda _index: self.edit_selected())  # Enter, double-click
        # Tabbing into the table makes a row current without selecting it; select it, so Enter
        # and F2 act on the row the focus frame shows.
        self.view.selectionModel().currentRowChanged.connect(self._follow_current)
        save = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _follow_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self.view.selectionModel().isRowSelected(current.row()):
            self.view.selectRow(current.row())

    def clear(self) -> None:
        """Drop every loaded record from memory and screen (at lock); forms stay for drafts."""
        self._items = []
        self.model.set_rows([])
        self.message.clear()
        self.conferences.clear()

    def refresh(self) -> None:
        case_id = self.case_id
        run_guarded(self, self.ctx, lambda v: _load(v, case_id), self._show, self._error)
        self.conferences.refresh()

    def _show(self, loaded: _Loaded) -> None:
        data = loaded.follow_ups
        self._today = data.today
        self._items = list(data.items)
        self.form.set_staff(loaded.staff)
        self.model.set_rows([
            Row((fmt_date(f.due_on), f.kind_label, f.title, f.assignee,
                 "überfällig" if f.overdue else ""),
                f.source_uuid, foreground=OVERDUE_COLOUR if f.overdue else None,
                record=None if f.stored else "")  # a computed deadline is no record
            for f in self._items])
        self._update_actions()

    def _error(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(german_message(exc))

    def _notice(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def selected(self) -> FollowUpRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self._items[rows[0].row()] if rows and rows[0].row() < len(self._items) else None

    def _update_actions(self) -> None:
        chosen = self.selected()
        stored = chosen is not None and chosen.stored
        for control in (self.done_button, self.edit_button, self.edit_action, self.done_action):
            control.setEnabled(stored)

    # --- adding and correcting ---------------------------------------------------------------

    def edit_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        if not chosen.stored:
            self._notice(COMPUTED_HINT)
            return
        self.message.clear()
        self.form.start_edit(chosen)

    def save(self) -> None:
        """Strg+S, Enter in the title or the button: correct the task being edited, else add."""
        if self.form.editing is not None:
            self._save_changes(self.form.editing)
        else:
            self.add()

    def _save_changes(self, uuid: str) -> None:
        try:
            changes = self.form.changes()
        except DateInputError:  # shown at the date field; nothing is saved
            return
        if not changes:
            self.form.reset()
            self._notice("Keine Änderungen zu speichern.")
            return
        self.errors.clear()

        def done(_fields: list[str]) -> None:
            self.form.reset()
            self._notice("Die Aufgabe wurde geändert.")
            self.view.setFocus()

        run_guarded(self, self.ctx, lambda v: update_task(v, uuid, **changes), done,
                    self.errors.show)

    def add(self) -> None:
        self.errors.clear()
        try:
            title, due = self.title.text(), self.form.new_due()
        except DateInputError:  # shown at the date field; nothing is saved
            return
        assignee = assignee_changes(self.form.assignee_value())

        def done(_uuid: str) -> None:
            self.form.reset()
            self._notice("Die Aufgabe wurde angelegt.")

        run_guarded(self, self.ctx,
                    lambda v: add_task(v, self.case_id, title, due, **assignee), done,
                    self.errors.show)

    def complete_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen.stored:
            return

        def done(_none: None) -> None:
            if self.form.editing == chosen.source_uuid:
                self.form.reset()
            self._notice(f"„{chosen.title}“ ist erledigt.")

        run_guarded(self, self.ctx,
                    lambda v: complete_task(v, chosen.source_uuid, v.clock.today()), done,
                    self._error)

    # --- drafts ------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return self.form.is_dirty()

    def draft_state(self) -> dict[str, object] | None:
        return self.form.draft() if self.form.is_dirty() else None

    def restore_draft(self, state: dict[str, object]) -> None:
        self.form.restore(state)
