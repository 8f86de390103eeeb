"""Shared pieces of the case-file sections: dates, field errors, guarded async calls, tables."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar, cast

import shiboken6
from PySide6.QtCore import QAbstractItemModel, QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from app.errors import ValidationFailed
from app.vault.store import Vault
from ui.context import AppContext, german_message

T = TypeVar("T")

DATE_FORMAT = "dd.MM.yyyy"
NO_DATE = QDate(1900, 1, 1)  # the "keine Angabe" sentinel of optional date fields
ERROR_STYLE = "color: #b00020;"


def fmt_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def date_edit(optional: bool = False) -> QDateEdit:
    """A date field in dd.MM.yyyy with a calendar; optional ones start at "keine Angabe"."""
    edit = QDateEdit()
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    if optional:
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("keine Angabe")
        edit.setDate(NO_DATE)
    else:
        edit.setDate(QDate.currentDate())
    return edit


def read_date(edit: QDateEdit) -> date | None:
    value = edit.date()
    if value == NO_DATE and edit.minimumDate() == NO_DATE:
        return None
    return date(value.year(), value.month(), value.day())


def set_date(edit: QDateEdit, value: object) -> None:
    if isinstance(value, date):
        edit.setDate(QDate(value.year, value.month, value.day))
    elif value is None and edit.minimumDate() == NO_DATE:
        edit.setDate(NO_DATE)


class FieldErrors:
    """German messages shown right below the field they belong to (and read to screen readers).

    ``fields`` maps the service's field names to the input widgets; errors without a known
    field go to the form's general message label.
    """

    def __init__(self, form: QFormLayout, fields: dict[str, QWidget], general: QLabel) -> None:
        self.general = general
        self.labels: dict[str, QLabel] = {}
        self.fields = fields
        for name, widget in fields.items():
            position = cast(tuple[int, QFormLayout.ItemRole], form.getWidgetPosition(widget))
            row = position[0]
            label = error_label()
            label.setObjectName(f"error_{name}")
            form.insertRow(row + 1, "", label)
            self.labels[name] = label
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.setWordWrap(True)

    def clear(self) -> None:
        for name, label in self.labels.items():
            label.clear()
            label.hide()
            self.fields[name].setAccessibleDescription("")
        self.general.clear()

    def show(self, exc: BaseException) -> None:
        self.clear()
        message = german_message(exc)
        name = exc.field if isinstance(exc, ValidationFailed) else None
        label = self.labels.get(name or "")
        if label is None:
            self.general.setText(message)
            return
        label.setText(message)
        label.show()
        self.fields[name or ""].setAccessibleDescription(message)
        self.fields[name or ""].setFocus()


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def run_guarded(owner: QWidget, ctx: AppContext, fn: Callable[[Vault], T],
                on_done: Callable[[T], None],
                on_error: Callable[[BaseException], None] | None = None) -> None:
    """``ctx.run`` whose callbacks are dropped when ``owner`` was closed in the meantime."""

    def done(result: T) -> None:
        if shiboken6.isValid(owner):
            on_done(result)

    def failed(exc: BaseException) -> None:
        if not shiboken6.isValid(owner):
            return
        (on_error or ctx.report_error)(exc)

    ctx.run(fn, done, failed)


def make_table(name: str, model: QAbstractItemModel, stretch: int | None = None) -> QTableView:
    """A read-only row table: Tab leaves it, one row at a time; column ``stretch`` (or the
    last one) takes the spare width."""
    view = QTableView()
    view.setModel(model)  # first: setting a model resets the header's section modes
    view.setObjectName(name)
    view.setAccessibleName(name)
    view.setTabKeyNavigation(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setMinimumHeight(120)
    if stretch is None:
        view.horizontalHeader().setStretchLastSection(True)
    else:
        view.horizontalHeader().setStretchLastSection(False)
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return view
