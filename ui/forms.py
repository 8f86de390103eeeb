"""Form rows shared by the desktop's pages: a label tied to its input, and the input's
validation message right below it (the case file adds its own colour and layout in
ui.casefile._form)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.date_field import DateField

ERROR_STYLE = "color: #a4262c;"


def error_label(style: str = ERROR_STYLE) -> QLabel:
    """A validation message in red, hidden until there is something to say."""
    label = QLabel()
    label.setStyleSheet(style)
    label.setWordWrap(True)
    label.hide()
    return label


def with_clear_button(edit: QLineEdit, name: str = "Suchfeld leeren") -> None:
    """Qt's clear button inside a line edit, with a name: Qt gives it none, so a screen reader
    announced an unnamed button (the action's text is what the button's accessible name reads)."""
    edit.setClearButtonEnabled(True)
    action = edit.findChild(QAction, "_q_qlineeditclearaction")
    if action is not None:
        action.setText(name)
        action.setToolTip(name)
    for button in edit.findChildren(QToolButton):
        button.setAccessibleName(name)


def labelled_row(form: QFormLayout, text: str, field: QWidget, errors: dict[str, QLabel],
                 key: str) -> QLabel:
    """Add a row: a label naming ``field`` (buddy, so its mnemonic focuses the field) and the
    field with its error message right below; the message is kept in ``errors[key]``, where
    ``key`` is the service's field name, and returned."""
    label = QLabel(text)
    label.setBuddy(field)
    # The field sits in a holder, so Qt cannot pair it with the label for screen readers.
    if not field.accessibleName():
        field.setAccessibleName(text.replace("&", "").rstrip(":").strip())
    holder = QWidget()
    stack = QVBoxLayout(holder)
    stack.setContentsMargins(0, 0, 0, 0)
    stack.addWidget(field)
    error = errors[key] = error_label()
    error.setObjectName(f"{key}Error")
    stack.addWidget(error)
    if isinstance(field, DateField):  # a date that cannot be read says so in the same place
        field.attach_message(error, key)
    form.addRow(label, holder)
    return error


def fill_with_scrolled(page: QWidget, body: QWidget) -> None:
    """Make ``body`` the page's whole content, scrolling when the window is too small."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(body)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
