"""The quick entry of "Verlauf": the form a contact is typed into, apart from the journal list.

It holds the fields and what they mean (the new entry they describe, a prefill from an entry
being amended, the draft they make); the section decides when it is saved and what it amends.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app import catalogues
from app.services.journal.records import JournalRow, NewJournalEntry
from app.services.journal.write import MAX_DURATION_MINUTES
from ui.casefile._form import FieldErrors, error_label, field_row
from ui.casefile._section import DraftState
from ui.datetime_field import DateTimeField

NEW_TITLE = "Neuer Kontakt (Schnellerfassung)"


def ordered_contact_kinds() -> list[catalogues.ContactKind]:
    """Outreach kinds first: the quick entry is mostly used right after a visit."""
    kinds = list(catalogues.contact_kinds())
    return [k for k in kinds if k.outreach] + [k for k in kinds if not k.outreach]


class QuickEntry(QGroupBox):
    def __init__(self) -> None:
        super().__init__(NEW_TITLE)
        form = QFormLayout(self)
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.contact_kind = QComboBox()
        for kind in ordered_contact_kinds():
            self.contact_kind.addItem(kind.label, kind.code)
        self.place = QComboBox()
        self.place.setEditable(True)
        self.place.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._outreach = {k.code for k in catalogues.contact_kinds() if k.outreach}
        self.contact_kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.interpreter = QCheckBox("mit Dolmetschung")
        self.language = QLineEdit()
        self.language.setEnabled(False)
        self.interpreter.toggled.connect(self.language.setEnabled)
        self.duration = QSpinBox()
        self.duration.setRange(0, MAX_DURATION_MINUTES)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(" Min.")
        self.duration.setSpecialValueText("keine Angabe")
        self.occurred_at = DateTimeField()
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)  # Tab moves on; the note has no use for tab stops
        self.text.setMinimumHeight(50)
        self.text.setMaximumHeight(110)
        field_row(form, "&Kontaktart:", self.contact_kind, self.errors, "contact_kind")
        field_row(form, "&Ort:", self.place, self.errors, "place")
        # Paired rows keep the form short, so the journal above keeps its height.
        self.language.setPlaceholderText("z. B. Arabisch")
        # Suggests the catalogue's German names; a language it lacks can still be typed.
        completer = QCompleter([lang.label for lang in catalogues.languages()], self.language)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.language.setCompleter(completer)
        field_row(form, "Dolmets&chung:", _pair(self.interpreter, "S&prache:", self.language))
        self._error_row(form, "interpreter_language", self.language)
        self.duration.setAccessibleName("Dauer")  # its label names the pair, not the box
        field_row(form, "&Dauer:", _pair(self.duration, "Datum und &Uhrzeit:", self.occurred_at))
        self._error_row(form, "duration_minutes", self.duration)
        when_message = self._error_row(form, "occurred_at", self.occurred_at)
        self.occurred_at.date.attach_message(when_message, "occurred_at")
        field_row(form, "&Inhalt:", self.text, self.errors, "text")
        self.save_button = QPushButton("&Speichern")
        self.save_button.setToolTip("Kontakt speichern (Strg+S)")
        self.cancel_amend_button = QPushButton("A&bbrechen")
        self.cancel_amend_button.setToolTip("Nachtrag oder Korrektur verwerfen")
        self.cancel_amend_button.hide()
        form.addRow(self.general_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_amend_button)
        buttons.addStretch(1)
        form.addRow("", buttons)

    def _error_row(self, form: QFormLayout, field: str, widget: QWidget) -> QLabel:
        message = error_label()
        form.addRow("", message)
        self.errors.add(field, message, widget)
        return message

    def _kind_changed(self) -> None:
        """Say up front that outreach needs a place, instead of only after saving."""
        place_edit = self.place.lineEdit()
        if place_edit is not None:
            place_edit.setPlaceholderText(
                "Pflichtangabe: Unterkunft, Adresse oder Stelle"
                if self.contact_kind.currentData() in self._outreach else "optional")

    def offer_places(self, municipality: str) -> None:
        typed = self.place.currentText()
        try:
            facilities = catalogues.municipality(municipality).reception_facilities
        except catalogues.UnknownCode:
            facilities = ()
        self.place.clear()
        self.place.addItems(list(facilities))
        self.place.setCurrentIndex(-1)
        self.place.setEditText(typed)  # never overwrite what was typed meanwhile

    def entry(self) -> NewJournalEntry:
        occurred = self.occurred_at.value()  # DateInputError: shown at the field
        interpreter = self.interpreter.isChecked()
        return NewJournalEntry(
            contact_kind=str(self.contact_kind.currentData()),
            text=self.text.toPlainText(),
            occurred_at=occurred.astimezone(),  # local wall time → aware, stored as UTC
            place=self.place.currentText().strip() or None,
            interpreter_used=interpreter,
            # A catalogue name is stored as its code (the list shows the name again).
            interpreter_language=(catalogues.language_code(self.language.text()) or None)
            if interpreter else None,
            duration_minutes=self.duration.value() or None,
        )

    def fill(self, entry: JournalRow, kind: str) -> None:
        """A correction starts from everything the entry says; a Nachtrag from its contact."""
        self.errors.clear()
        index = self.contact_kind.findData(entry.contact_kind)
        if index >= 0:
            self.contact_kind.setCurrentIndex(index)
        self.place.setEditText(entry.place or "")
        self.occurred_at.set_value(entry.occurred_at)
        correction = kind == "correction"
        self.interpreter.setChecked(entry.interpreter_used and correction)
        self.language.setText((entry.interpreter_language or "") if correction else "")
        self.duration.setValue((entry.duration_minutes or 0) if correction else 0)
        self.text.setPlainText(entry.text if correction else "")
        self.text.moveCursor(QTextCursor.MoveOperation.End)  # typing goes on after the text

    def clear(self) -> None:
        self.text.clear()
        self.place.setCurrentIndex(-1)
        self.place.clearEditText()
        self.interpreter.setChecked(False)
        self.language.clear()
        self.duration.setValue(0)
        self.occurred_at.set_value(datetime.now())
        self.errors.clear()

    def is_dirty(self) -> bool:
        return bool(self.text.toPlainText().strip() or self.place.currentText().strip()
                    or self.interpreter.isChecked() or self.language.text().strip()
                    or self.duration.value())

    def draft(self) -> DraftState:
        return {
            "contact_kind": self.contact_kind.currentData(),
            "place": self.place.currentText(),
            "interpreter": self.interpreter.isChecked(),
            "language": self.language.text(),
            "duration": self.duration.value(),
            "occurred_at": self.occurred_at.value().strftime("%Y-%m-%dT%H:%M"),
            "text": self.text.toPlainText(),
        }

    def restore(self, state: DraftState) -> None:
        index = self.contact_kind.findData(state.get("contact_kind"))
        if index >= 0:
            self.contact_kind.setCurrentIndex(index)
        self.place.setEditText(str(state.get("place") or ""))
        self.interpreter.setChecked(bool(state.get("interpreter")))
        self.language.setText(str(state.get("language") or ""))
        duration = state.get("duration")
        self.duration.setValue(duration if isinstance(duration, int) else 0)
        with suppress(ValueError):  # a draft without a readable time keeps the field as it is
            self.occurred_at.set_value(datetime.strptime(str(state.get("occurred_at") or ""),
                                                         "%Y-%m-%dT%H:%M"))
        self.text.setPlainText(str(state.get("text") or ""))


def _pair(first: QWidget, second_label: str, second: QWidget) -> QWidget:
    """Two inputs on one form row; the row's label focuses the first, the inner label (a
    sibling, so screen readers pair them) names the second."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(first)
    label = QLabel(second_label)
    label.setBuddy(second)
    row.addSpacing(12)
    row.addWidget(label)
    row.addWidget(second, 1)
    holder.setFocusProxy(first)
    return holder
