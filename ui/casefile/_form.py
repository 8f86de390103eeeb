"""The form helpers of every case-file section (one set, one behaviour): German dates, date
fields that may stay empty, service calls whose results are dropped once the section is gone,
validation messages next to fields, and the save-and-draft behaviour of the edit forms.

The confirmation before deleting lives in ui.dialogs, shared with the other pages."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar, cast

import shiboken6
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from app.date_input import DateInputError
from app.errors import ValidationFailed
from ui import forms
from ui.casefile._section import DraftState, Section
from ui.context import AppContext, german_message
from ui.date_field import DateField

if TYPE_CHECKING:
    from app.vault.store import Vault

T = TypeVar("T")
ERROR_STYLE = "color: #b00020;"


def fmt_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    return value.astimezone().strftime("%d.%m.%Y %H:%M") if value else ""


def date_edit(optional: bool = False, past: bool = False) -> DateField:
    """The date field (``ui.date_field``): typed as 10.12.2026, 10.12., heute, +14 …, with a
    calendar on Alt+↓. An optional one starts empty; a required one starts at today. A ``past``
    one (a birth date) reads "12.03.40" as 1940, not 2040."""
    return DateField(optional, past=past)


def is_optional(edit: DateField) -> bool:
    return edit.optional


def read_date(edit: DateField) -> date | None:
    """The date typed, or None for an optional field left empty.

    Text that is no date (or an empty required field) raises ``DateInputError``, a
    ValidationFailed naming the field: the save stops and the message shows at the field.
    Inside ``lenient_reading`` (drafts, "anything typed?") such text reads as None."""
    return edit.value()


def set_date(edit: DateField, value: object) -> None:
    """Show a stored or drafted value (drafts come back from JSON as ISO text). None empties an
    optional field and leaves a required one as it is; text that is no date changes nothing."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return
    if isinstance(value, date):
        edit.set_value(value)
    elif value is None and edit.optional:
        edit.set_value(None)


def alive(widget: QWidget) -> bool:
    """False once Qt deleted the widget (a tab closed while its call was running)."""
    return bool(shiboken6.isValid(widget))


def run_guarded[T](owner: QWidget, ctx: AppContext, fn: Callable[[Vault], T],
                on_done: Callable[[T], None],
                on_error: Callable[[BaseException], None] | None = None) -> None:
    """``ctx.run`` whose callbacks are dropped when ``owner`` was deleted in the meantime."""

    def done(result: T) -> None:
        if alive(owner):
            on_done(result)

    def failed(exc: BaseException) -> None:
        if alive(owner):
            (on_error or ctx.report_error)(exc)

    ctx.run(fn, done, failed)


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
        if isinstance(widget, DateField):  # its own "no date" message goes to the same row
            widget.attach_message(label, field)

    def clear(self) -> None:
        for label in (*self.labels.values(), self.general):
            label.clear()
            label.hide()
        for widget in self.inputs.values():
            widget.setAccessibleDescription("")

    def show(self, exc: BaseException) -> None:
        self.clear()
        field = exc.field if isinstance(exc, ValidationFailed) else None
        if isinstance(exc, DateInputError) and field not in self.labels:
            return  # a date field without a row here shows its message right below itself
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


class EditForm(Section):
    """A section that edits fields of the case: save-and-draft behaviour in one place.

    The subclass provides ``base`` (values as last loaded or saved), ``errors``,
    ``saved_note``, ``save_button``, ``values()`` and ``persist(vault, case_id, changes)``; it
    may override ``precheck(values)`` to check before anything is sent.
    """

    base: dict[str, Any] | None
    errors: FieldErrors
    saved_note: QLabel
    save_button: QWidget

    @abstractmethod
    def values(self) -> dict[str, Any]:
        """The form's values as the service takes them."""

    @abstractmethod
    def persist(self, vault: Vault, case_id: int, changes: dict[str, Any]) -> None:
        """Save ``changes`` (runs on the database thread)."""

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
        run_guarded(self, self.ctx, lambda vault: self.persist(vault, case_id, changes),
                    lambda _none: self._saved(changes), self._save_failed)

    def _saved(self, changes: dict[str, Any]) -> None:
        self.save_button.setEnabled(True)
        if self.base is not None:
            self.base.update(changes)
        self.saved_note.setText("Gespeichert.")

    def _save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.errors.show(exc)

    def has_unsaved_changes(self) -> bool:
        return bool(self.changes())

    def draft_state(self) -> DraftState | None:
        changes = self.changes()
        return {k: v.isoformat() if isinstance(v, date) else v
                for k, v in changes.items()} or None
