"""The task form of "Aufgaben & Fristen": it adds a task, or, after ``start_edit``, corrects a
stored one (title, due date, who does it). Who does it is one field: a colleague picked from
the staff list or any text typed ("Frau Yılmaz, Jobcenter")."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)

from app.services.staff.records import StaffMember
from app.services.tasks.records import FollowUpRow
from ui.casefile._form import date_edit, errors_below, read_date, set_date

ADD_TITLE = "Neue Aufgabe"
EDIT_TITLE = "Aufgabe bearbeiten"
ADD_TEXT = "Aufgabe an&legen"
EDIT_TEXT = "Änderungen &speichern"
EDITING = "_editing"  # draft key: the uuid of the task being corrected

# How the form holds the assignee: ("staff", uuid) for a colleague, ("text", words) otherwise.
Assignee = tuple[str, str]


def assignee_of(row: FollowUpRow) -> Assignee:
    if row.assignee_staff_uuid:
        return ("staff", row.assignee_staff_uuid)
    return ("text", row.assignee_text or "")


def assignee_changes(value: Assignee) -> dict[str, str | None]:
    """The service's two assignee fields for a form value (setting one clears the other)."""
    kind, key = value
    if kind == "staff":
        return {"assignee_staff_uuid": key, "assignee_text": None}
    return {"assignee_staff_uuid": None, "assignee_text": key or None}


class TaskForm(QGroupBox):
    save_requested = Signal()

    def __init__(self) -> None:
        super().__init__(ADD_TITLE)
        self.setObjectName("taskForm")
        self.editing: str | None = None  # uuid of the stored task being corrected
        self._base: dict[str, object] = {}
        form = QFormLayout(self)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("taskTitle")
        form.addRow("&Aufgabe:", self.title_edit)
        self.due_on = date_edit()
        form.addRow("Fällig a&m:", self.due_on)
        self.assignee = QComboBox()
        self.assignee.setObjectName("taskAssignee")
        self.assignee.setEditable(True)
        self.assignee.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # typed text stays text
        self.assignee.setToolTip("Eine Kollegin / einen Kollegen wählen oder eintragen, wer "
                                 "sich kümmert (z. B. „Jobcenter, Frau Yılmaz“).")
        self.assignee.addItem("", None)
        form.addRow("Zuständi&g:", self.assignee)
        general = QLabel()
        form.addRow(general)
        self.save = QPushButton(ADD_TEXT)
        self.save.setObjectName("addTask")
        self.save.clicked.connect(self.save_requested)
        self.title_edit.returnPressed.connect(self.save_requested)
        self.cancel = QPushButton("Abbrechen")
        self.cancel.setObjectName("cancelTaskEdit")
        self.cancel.setToolTip("Bearbeiten abbrechen, nichts ändern (Esc)")
        self.cancel.clicked.connect(self.reset)
        self.cancel.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        form.addRow("", buttons)
        self.errors = errors_below(form, {"title": self.title_edit, "due_on": self.due_on}, general)
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.reset)
        self._escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._escape.setEnabled(False)  # only while correcting: Esc then means "Abbrechen"

    def set_staff(self, staff: list[StaffMember]) -> None:
        chosen, text = self.assignee.currentData(), self.assignee.currentText()
        self.assignee.clear()
        self.assignee.addItem("", None)
        for member in staff:
            self.assignee.addItem(member.display_name, member.uuid)
        index = self.assignee.findData(chosen) if chosen else -1
        if index > 0:
            self.assignee.setCurrentIndex(index)
        else:
            self.assignee.setEditText(text)

    # --- values ------------------------------------------------------------------------------

    def assignee_value(self) -> Assignee:
        text = self.assignee.currentText().strip()
        index = self.assignee.findText(text, Qt.MatchFlag.MatchExactly)
        if text and index > 0:
            return ("staff", str(self.assignee.itemData(index)))
        return ("text", text)

    def _set_assignee(self, value: Assignee, name: str) -> None:
        kind, key = value
        index = self.assignee.findData(key) if kind == "staff" else -1
        if kind == "staff" and index < 0:  # a colleague no longer in the active list
            self.assignee.addItem(name, key)
            index = self.assignee.count() - 1
        if index > 0:
            self.assignee.setCurrentIndex(index)
        else:
            self.assignee.setCurrentIndex(0)
            self.assignee.setEditText(key)

    def values(self) -> dict[str, object]:
        return {"title": self.title_edit.text().strip(), "due_on": read_date(self.due_on),
                "assignee": self.assignee_value()}

    def changes(self) -> dict[str, object]:
        """While correcting: the service's fields that differ from the task as loaded."""
        out: dict[str, object] = {}
        for name, value in self.values().items():
            if value == self._base.get(name):
                continue
            if name == "assignee":
                assert isinstance(value, tuple)
                out.update(assignee_changes(value))
            else:
                out[name] = value
        return out

    def new_due(self) -> date | None:
        return read_date(self.due_on)

    # --- correcting a stored task ------------------------------------------------------------

    def start_edit(self, row: FollowUpRow) -> None:
        self.reset()
        self.title_edit.setText(row.title)
        set_date(self.due_on, row.due_on)
        self._set_assignee(assignee_of(row), row.assignee)
        self._enter_edit(row.source_uuid)
        self._base = self.values()
        self.title_edit.setFocus()
        self.title_edit.selectAll()

    def _enter_edit(self, uuid: str) -> None:
        self.editing = uuid
        self.setTitle(f"{EDIT_TITLE}")
        self.save.setText(EDIT_TEXT)
        self.cancel.show()
        self._escape.setEnabled(True)

    def reset(self) -> None:
        """Empty the form and go back to adding (after saving, or "Abbrechen"/Esc)."""
        self.title_edit.clear()
        self.assignee.setCurrentIndex(0)
        self.assignee.setEditText("")
        self.errors.clear()
        self.editing, self._base = None, {}
        self.setTitle(ADD_TITLE)
        self.save.setText(ADD_TEXT)
        self.cancel.hide()
        self._escape.setEnabled(False)

    # --- drafts ------------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        if self.editing is not None:
            return bool(self.changes())
        return bool(self.title_edit.text().strip() or self.assignee.currentText().strip())

    def draft(self) -> dict[str, object]:
        due = read_date(self.due_on)
        state: dict[str, object] = {"title": self.title_edit.text(),
                                    "due_on": due.isoformat() if due else None,
                                    "assignee": list(self.assignee_value())}
        if self.editing is not None:
            state[EDITING] = self.editing
            base_assignee = self._base.get("assignee")
            state["_base"] = {"title": self._base.get("title"),
                              "due_on": str(self._base.get("due_on") or ""),
                              "assignee": list(base_assignee) if isinstance(base_assignee, tuple)
                              else ["text", ""]}
        return state

    def restore(self, state: dict[str, object]) -> None:
        self.title_edit.setText(str(state.get("title") or ""))
        set_date(self.due_on, state.get("due_on"))
        assignee = state.get("assignee")
        if isinstance(assignee, list) and len(assignee) == 2:
            self._set_assignee((str(assignee[0]), str(assignee[1])), str(assignee[1]))
        editing, base = state.get(EDITING), state.get("_base")
        if isinstance(editing, str):  # a draft of a correction stays a correction
            self._enter_edit(editing)
            if isinstance(base, dict):
                due = base.get("due_on")
                self._base = {"title": base.get("title"),
                              "due_on": date.fromisoformat(due) if due else None,
                              "assignee": tuple(base.get("assignee") or ("text", ""))}
