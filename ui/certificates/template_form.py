"""The inputs a certificate template asks for (``TemplateField``), built as a form: text,
multiline text, a date (the app's one date field) or a number. Each row has its error label, so
a ``ValidationFailed(field=key)`` from the register shows right at the input."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.date_input import format_date
from app.services.templates.records import TemplateField
from ui.casefile._form import FieldErrors, date_edit, error_label, read_date
from ui.date_field import DateField


class TemplateFieldsForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.inputs: dict[str, QWidget] = {}
        self.fields: tuple[TemplateField, ...] = ()

    def set_fields(self, fields: tuple[TemplateField, ...], errors: FieldErrors) -> None:
        """Replace the rows by ``fields``; their error labels join ``errors``."""
        while self.form.rowCount():
            self.form.removeRow(0)
        for key in list(errors.labels):
            if key in self.inputs:
                errors.labels.pop(key, None)
                errors.inputs.pop(key, None)
        self.inputs = {}
        self.fields = fields
        for f in fields:
            widget = self._input_for(f)
            widget.setObjectName(f"field_{f.key}")
            label = QLabel(f.label + ("" if f.required else " (freiwillig)") + ":")
            label.setBuddy(widget)
            label.setWordWrap(True)
            self.form.addRow(label, widget)
            message = error_label()
            message.setObjectName(f"error_{f.key}")
            self.form.addRow("", message)
            if isinstance(widget, DateField):
                widget.field_name = f.key
            errors.add(f.key, message, widget)
            self.inputs[f.key] = widget

    @staticmethod
    def _input_for(f: TemplateField) -> QWidget:
        if f.kind == "date":
            return date_edit(optional=True)  # a period's end may be left open when optional
        if f.kind == "multiline":
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)  # Tab leaves the field, as everywhere else
            text.setMaximumHeight(90)
            return text
        line = QLineEdit()
        line.setMaxLength(300)
        if f.kind == "number":
            line.setValidator(QIntValidator(0, 999_999))
            line.setMaximumWidth(120)
        return line

    def first_input(self) -> QWidget | None:
        return next(iter(self.inputs.values()), None)

    def values(self) -> dict[str, str]:
        """What was typed, keyed by field; dates as TT.MM.JJJJ. A date field holding text
        that is no date raises ``DateInputError`` (shown at the field by the field itself)."""
        result: dict[str, str] = {}
        for key, widget in self.inputs.items():
            if isinstance(widget, DateField):
                day = read_date(widget)
                result[key] = format_date(day) if day is not None else ""
            elif isinstance(widget, QPlainTextEdit):
                result[key] = widget.toPlainText().strip()
            elif isinstance(widget, QLineEdit):
                result[key] = widget.text().strip()
        return result

    def texts(self) -> dict[str, str]:
        """Each field exactly as typed (a half-typed date too): what a draft keeps."""
        return {key: _text_of(widget) for key, widget in self.inputs.items()}

    def set_texts(self, texts: Mapping[str, object]) -> None:
        for key, widget in self.inputs.items():
            text = texts.get(key)
            if not isinstance(text, str):
                continue
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(text)
            elif isinstance(widget, QLineEdit):
                widget.setText(text)

    def is_dirty(self) -> bool:
        for widget in self.inputs.values():
            text = widget.toPlainText() if isinstance(widget, QPlainTextEdit) else \
                widget.text() if isinstance(widget, QLineEdit) else ""
            if text.strip():
                return True
        return False


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    return widget.text() if isinstance(widget, QLineEdit) else ""
