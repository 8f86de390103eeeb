"""Vereinbarungen of one case on the agenda: what, who (a person or institution), by when.

Each new one becomes a task in that case (the service links both ways); the form says so, so
nobody adds the same task by hand afterwards."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.errors import ValidationFailed
from app.services.conferences.records import AgendaDetail, DecisionDetail, DecisionInput
from app.services.conferences.write import remove_decision, save_decision
from ui.casefile._form import (
    FieldErrors,
    date_edit,
    error_label,
    fmt_date,
    read_date,
    run_guarded,
    set_date,
)
from ui.casefile._table import Row, RowsModel, make_table
from ui.context import AppContext
from ui.dialogs import confirm

TASK_NOTE = "Jede Vereinbarung wird als Aufgabe im Fall angelegt (Aufgaben & Fristen, Heute)."


class DecisionsBox(QGroupBox):
    changed = Signal()  # a decision was saved or removed: the window reloads

    def __init__(self, ctx: AppContext) -> None:
        super().__init__("Vereinbarungen")
        self.ctx = ctx
        self.agenda: AgendaDetail | None = None
        self.decisions: list[DecisionDetail] = []
        self.editing: str | None = None  # uuid of the decision in the form
        self.model = RowsModel(["Was", "Wer", "Bis", "Aufgabe"], self)
        self.table = make_table("conferenceDecisions", self.model, stretch=0)
        self.table.setAccessibleName("Vereinbarungen des Falls")
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(self.table.fontMetrics().height() * 8 + 16)
        self.table.activated.connect(lambda _i: self.edit_selected())
        note = QLabel(TASK_NOTE)
        note.setObjectName("decisionTaskNote")
        note.setWordWrap(True)
        form = QFormLayout()
        self.what = QLineEdit()
        self.what.setObjectName("decisionWhat")
        self.who = QLineEdit()
        self.who.setObjectName("decisionWho")
        self.who.setPlaceholderText("Person oder Institution")
        self.by_when = date_edit(optional=True)
        self.by_when.setObjectName("decisionByWhen")
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        for text, widget, field in (("&Was:", self.what, "what"), ("We&r:", self.who, "who"),
                                    ("Bis wann:", self.by_when, "by_when")):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
            message = error_label()
            form.addRow("", message)
            self.errors.add(field, message, widget)
        self.save_button = QPushButton("&Vereinbarung speichern")
        self.save_button.setObjectName("saveDecision")
        self.edit_button = QPushButton("Bearbei&ten")
        self.edit_button.setObjectName("editDecision")
        self.new_button = QPushButton("Neue Verein&barung")
        self.new_button.setObjectName("newDecision")
        self.remove_button = QPushButton("Vereinbarung entfernen")
        self.remove_button.setObjectName("removeDecision")
        buttons = QHBoxLayout()
        for b in (self.save_button, self.new_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.table, 1)
        column.addWidget(note)
        column.addLayout(form)
        column.addWidget(self.general)
        column.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.start_new)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.writable = False

    def show_agenda(self, agenda: AgendaDetail | None, writable: bool) -> None:
        self.agenda = agenda
        self.writable = writable and agenda is not None
        self.decisions = list(agenda.decisions) if agenda else []
        self.model.set_rows([Row((d.what, d.who, fmt_date(d.by_when),
                                  "erledigt" if d.task_done else
                                  "angelegt" if d.task_uuid else ""), d.uuid)
                             for d in self.decisions])
        for widget in (self.what, self.who, self.by_when, self.save_button, self.new_button,
                       self.edit_button, self.remove_button):
            widget.setEnabled(self.writable)
        self.start_new()

    def start_new(self) -> None:
        self.editing = None
        self.what.clear()
        self.who.clear()
        set_date(self.by_when, None)
        self.errors.clear()
        self.save_button.setText("&Vereinbarung speichern")

    def _selected(self) -> DecisionDetail | None:
        row = self.table.currentIndex().row()
        return self.decisions[row] if 0 <= row < len(self.decisions) else None

    def edit_selected(self) -> None:
        decision = self._selected()
        if decision is None or not self.writable:
            return
        self.editing = decision.uuid
        self.what.setText(decision.what)
        self.who.setText(decision.who)
        set_date(self.by_when, decision.by_when)
        self.save_button.setText("&Vereinbarung ändern")
        self.what.setFocus()

    def has_unsaved_changes(self) -> bool:
        return self.writable and bool(self.what.text().strip() or self.who.text().strip()) \
            and self.editing is None

    def save(self) -> None:
        agenda = self.agenda
        if agenda is None:
            return
        self.errors.clear()
        try:
            due = read_date(self.by_when)
        except ValidationFailed as exc:
            self.errors.show(exc)
            return
        decision = DecisionInput(what=self.what.text().strip(), who=self.who.text().strip(),
                                 by_when=due, uuid=self.editing)
        self.save_button.setEnabled(False)
        run_guarded(self, self.ctx, lambda vault: save_decision(vault, agenda.uuid, decision),
                    self._done, self._failed)

    def remove_selected(self) -> None:
        decision = self._selected()
        if decision is None or not self.writable:
            return
        uuid = decision.uuid

        def remove() -> None:
            run_guarded(self, self.ctx, lambda vault: remove_decision(vault, uuid), self._done,
                        self._failed)

        confirm(self, "Vereinbarung entfernen",
                f"Die Vereinbarung „{decision.what}“ entfernen?", "Entfernen", remove)

    def _done(self, _result: object) -> None:
        self.save_button.setEnabled(self.writable)
        self.start_new()
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(self.writable)
        self.errors.show(exc)
