"""Shared pieces of the case-file sections: date fields, guarded async calls, tables.

Dates, error labels and field errors come from ui.casefile._form, the table from
ui.casefile._table (shared with the other parts of the case file) and the confirmation from
ui.dialogs; they are re-exported here for the sections.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

from app.vault.store import Vault
from ui.casefile._form import (
    DATE_FORMAT,
    ERROR_STYLE,
    NO_DATE,
    FieldErrors,
    error_label,
    errors_below,
    fmt_date,
)
from ui.casefile._table import make_table
from ui.context import AppContext
from ui.dialogs import confirm

__all__ = ["ERROR_STYLE", "FieldErrors", "confirm", "date_edit", "error_label", "errors_below",
           "fmt_date", "make_table", "read_date", "run_guarded", "set_date"]

T = TypeVar("T")

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
    """Set a stored or drafted value (drafts come back from JSON as ISO text)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return
    if isinstance(value, date):
        edit.setDate(QDate(value.year, value.month, value.day))
    elif value is None and edit.minimumDate() == NO_DATE:
        edit.setDate(NO_DATE)


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
