"""Form helpers of the case file: German dates, optional date fields, validation messages
next to fields, and the save-and-draft behaviour of its edit forms.

The confirmation before deleting lives in ui.dialogs, shared with the other pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

import shiboken6
from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from app.errors import ValidationFailed
from ui import forms
from ui.context import german_message

DATE_FORMAT = "dd.MM.yyyy"
NO_DATE = QDate(1900, 1, 1)  # the minimum of an optional date field stands for "no date"
ERROR_STYLE = "color: #b00020;"


def fmt_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    return value.astimezone().strftime("%d.%m.%Y %H:%M") if value else ""


def optional_date_edit() -> QDateEdit:
    """A date field that may stay empty: its minimum date shows as blank and means None."""
    edit = QDateEdit()
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(" ")
    edit.setDate(NO_DATE)
    return edit


def date_value(edit: QDateEdit) -> date | None:
    value = edit.date()
    if value == edit.minimumDate():
        return None
    return date(value.year(), value.month(), value.day())


def set_date(edit: QDateEdit, value: date | None) -> None:
    edit.setDate(QDate(value.year, value.month, value.day) if value else edit.minimumDate())


def error_label() -> QLabel:
    return forms.error_label(ERROR_STYLE)


class FieldErrors:
    """Shows a service's German validation message next to the field it names."""

    def __init__(self, general: QLabel) -> None:
        self.general = general
        self.labels: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}

    def add(self, field: str, label: QLabel, widget: QWidget | None = None) -> None:
        self.labels[field] = label
        if widget is not None:
            self.inputs[field] = widget

    def clear(self) -> None:
        for label in (*self.labels.values(), self.general):
            label.clear()
            label.hide()
        for widget in self.inputs.values():
            widget.setAccessibleDescription("")

    def show(self, exc: BaseException) -> None:
        self.clear()
        field = exc.field if isinstance(exc, ValidationFailed) else None
        label = self.labels.get(field or "", self.general)
        label.setText(german_message(exc))
        label.show()
        widget = self.inputs.get(field or "")
        if widget is not None:
            widget.setAccessibleDescription(label.text())  # read out together with the field
            widget.setFocus()


def errors_below(form: QFormLayout, fields: dict[str, QWidget], general: QLabel) -> FieldErrors:
    """FieldErrors for inputs already in ``form``: each gets its message row right below it."""
    errors = FieldErrors(general)
    general.setStyleSheet(ERROR_STYLE)
    general.setWordWrap(True)
    for name, widget in fields.items():
        row = cast(tuple[int, QFormLayout.ItemRole], form.getWidgetPosition(widget))[0]
        label = error_label()
        label.setObjectName(f"error_{name}")
        form.insertRow(row + 1, "", label)
        errors.add(name, label, widget)
    return errors


def field_row(form: QFormLayout, text: str, widget: QWidget, errors: FieldErrors | None = None,
              field: str | None = None) -> QLabel:
    """A form row whose label names the input (buddy), with its error message right below.

    Label, input and message stay siblings: Qt's accessibility finds the label of an input
    among its siblings only.
    """
    label = QLabel(text)
    label.setBuddy(widget)
    form.addRow(label, widget)
    if errors is not None and field is not None:
        message = error_label()
        form.addRow("", message)
        errors.add(field, message, widget)
    return label


def left_aligned(button: QWidget) -> QHBoxLayout:
    """A button at its natural width instead of stretched over the whole form."""
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    return row


def count_text(count: int) -> str:
    return "1 Eintrag" if count == 1 else f"{count} Einträge"


class EditForm:
    """Save-and-draft behaviour shared by the case file's edit forms.

    The widget provides ``ctx``, ``case_id``, ``base`` (values as last loaded or saved),
    ``errors``, ``saved_note``, ``save_button``, ``values()`` and ``persist(vault, case_id,
    changes)``; it may override ``precheck(values)`` to check before anything is sent.
    """

    ctx: Any
    case_id: int
    base: dict[str, Any] | None
    errors: FieldErrors
    saved_note: QLabel
    save_button: QWidget

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def persist(self, vault: Any, case_id: int, changes: dict[str, Any]) -> None:
        raise NotImplementedError

    def precheck(self, values: dict[str, Any]) -> None:
        del values

    def changes(self) -> dict[str, Any]:
        if self.base is None:
            return {}
        return {k: v for k, v in self.values().items() if v != self.base.get(k)}

    def save(self) -> None:
        self.errors.clear()
        self.saved_note.clear()
        try:
            self.precheck(self.values())
        except ValidationFailed as exc:
            self.errors.show(exc)
            return
        changes, case_id = self.changes(), self.case_id
        if not changes:
            self.saved_note.setText("Keine Änderungen zu speichern.")
            return
        self.save_button.setEnabled(False)
        self.ctx.run(lambda vault: self.persist(vault, case_id, changes),
                     lambda _none: self._saved(changes), self._save_failed)

    def _saved(self, changes: dict[str, Any]) -> None:
        if not shiboken6.isValid(self):
            return
        self.save_button.setEnabled(True)
        if self.base is not None:
            self.base.update(changes)
        self.saved_note.setText("Gespeichert.")

    def _save_failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.save_button.setEnabled(True)
            self.errors.show(exc)

    def has_unsaved_changes(self) -> bool:
        return bool(self.changes())

    def draft_state(self) -> dict[str, object] | None:
        changes = self.changes()
        return {k: v.isoformat() if isinstance(v, date) else v
                for k, v in changes.items()} or None
