"""Section "Verlauf": the journal, newest first, and a quick entry for an outreach contact.

What the caseworker typed is the draft: it survives a failed save, a lock and a closed tab
(through ``draft_state``/``restore_draft``) and is only cleared after the core stored it.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.services.cases import read as casefile_read
from app.services.journal import read as journal_read
from app.services.journal.records import JournalRow, NewJournalEntry
from app.services.journal.write import MAX_DURATION_MINUTES, add_journal_entry
from app.vault.store import Vault
from ui.casefile._form import (
    FieldErrors,
    count_text,
    error_label,
    field_row,
    fmt_datetime,
    left_aligned,
    run_guarded,
)
from ui.casefile._section import DraftState, Section
from ui.casefile._table import Row, table_with_status
from ui.context import AppContext, german_message

HEADERS = ("Datum", "Kontaktart", "Ort", "Dolmetschung", "Dauer", "Inhalt")


def ordered_contact_kinds() -> list[catalogues.ContactKind]:
    """Outreach kinds first: the quick entry is mostly used right after a visit."""
    kinds = list(catalogues.contact_kinds())
    return [k for k in kinds if k.outreach] + [k for k in kinds if not k.outreach]


def _row(entry: JournalRow, kind_labels: dict[str, str]) -> Row:
    interpreter = ""
    if entry.interpreter_used:
        language = catalogues.language_label(entry.interpreter_language or "")
        interpreter = f"ja ({language})" if language else "ja"
    duration = f"{entry.duration_minutes} Min." if entry.duration_minutes else ""
    first_line = entry.text.strip().splitlines()[0] if entry.text.strip() else ""
    return Row((fmt_datetime(entry.occurred_at), kind_labels.get(entry.contact_kind,
                entry.contact_kind), entry.place or "", interpreter, duration, first_line),
               tooltip=entry.text, key=str(entry.id))


class JournalSection(Section):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self._kind_labels = {k.code: k.label for k in catalogues.contact_kinds()}
        self._municipality: str | None = None
        self.status, self.model, self.table = table_with_status(self, HEADERS, "Verlauf")
        entry = self._build_entry()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.status)
        top_layout.addWidget(self.table, 1)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setTabChangesFocus(True)
        self.detail.setMaximumHeight(90)
        detail_label = QLabel("&Gewählter Eintrag:")
        detail_label.setBuddy(self.detail)
        top_layout.addWidget(detail_label)
        top_layout.addWidget(self.detail)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.model.modelReset.connect(self.detail.clear)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(entry)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)  # extra height goes to the journal, not the form
        splitter.setStretchFactor(1, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        save = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _build_entry(self) -> QGroupBox:
        box = QGroupBox("Neuer Kontakt (Schnellerfassung)")
        form = QFormLayout(box)
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
        self.occurred_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.occurred_at.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.occurred_at.setCalendarPopup(True)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)  # Tab moves on; the note has no use for tab stops
        self.text.setMinimumHeight(60)
        self.text.setMaximumHeight(140)
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
        self._error_row(form, "occurred_at", self.occurred_at)
        field_row(form, "&Inhalt:", self.text, self.errors, "text")
        self.save_button = QPushButton("&Speichern")
        self.save_button.setToolTip("Kontakt speichern (Strg+S)")
        self.save_button.clicked.connect(self.save)
        form.addRow(self.general_error)
        form.addRow("", left_aligned(self.save_button))
        return box

    def _error_row(self, form: QFormLayout, field: str, widget: QWidget) -> None:
        message = error_label()
        form.addRow("", message)
        self.errors.add(field, message, widget)

    def _kind_changed(self) -> None:
        """Say up front that outreach needs a place, instead of only after saving."""
        place_edit = self.place.lineEdit()
        if place_edit is not None:
            place_edit.setPlaceholderText(
                "Pflichtangabe: Unterkunft, Adresse oder Stelle"
                if self.contact_kind.currentData() in self._outreach else "optional")

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        case_id, need_place = self.case_id, self._municipality is None

        def load(vault: Vault) -> tuple[str | None, list[JournalRow]]:
            municipality = casefile_read.header(vault, case_id).municipality if need_place else None
            return municipality, journal_read.journal(vault, case_id)

        run_guarded(self, self.ctx, load, self._loaded, self._load_failed)

    def _loaded(self, result: tuple[str | None, list[JournalRow]]) -> None:
        municipality, rows = result
        if municipality is not None and self._municipality is None:
            self._municipality = municipality
            self._offer_places(municipality)
        self.status.setText("Noch keine Einträge." if not rows else
                            f"{count_text(len(rows))}, der neueste zuerst.")
        self.model.set_rows([_row(r, self._kind_labels) for r in rows])
        if rows:  # the newest entry in full below the table, instead of an empty box
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _show_detail(self, current: QModelIndex) -> None:
        """The whole text of the chosen entry: the table shows only its first line."""
        row = self.model.row_at(current.row()) if current.isValid() else None
        self.detail.setPlainText(row.tooltip or "" if row is not None else "")

    def _load_failed(self, exc: BaseException) -> None:
        self.status.setText(german_message(exc))

    def _offer_places(self, municipality: str) -> None:
        typed = self.place.currentText()
        try:
            facilities = catalogues.municipality(municipality).reception_facilities
        except catalogues.UnknownCode:
            facilities = ()
        self.place.clear()
        self.place.addItems(list(facilities))
        self.place.setCurrentIndex(-1)
        self.place.setEditText(typed)  # never overwrite what was typed meanwhile

    # --- the quick entry ----------------------------------------------------------------------

    def _entry(self) -> NewJournalEntry:
        occurred: datetime = self.occurred_at.dateTime().toPython()  # type: ignore[assignment]
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

    def save(self) -> None:
        self.errors.clear()
        entry, case_id = self._entry(), self.case_id
        self.save_button.setEnabled(False)
        run_guarded(self, self.ctx, lambda vault: add_journal_entry(vault, case_id, entry),
                    self._saved, self._save_failed)

    def _saved(self, _entry_id: int) -> None:
        self.save_button.setEnabled(True)
        self.clear_entry()
        self.ctx.status_message.emit("Kontakt gespeichert.")

    def _save_failed(self, exc: BaseException) -> None:
        # the typed text stays; only the message is new
        self.save_button.setEnabled(True)
        self.errors.show(exc)

    def clear_entry(self) -> None:
        self.text.clear()
        self.place.setCurrentIndex(-1)
        self.place.clearEditText()
        self.interpreter.setChecked(False)
        self.language.clear()
        self.duration.setValue(0)
        self.occurred_at.setDateTime(QDateTime.currentDateTime())
        self.errors.clear()

    # --- draft --------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return bool(self.text.toPlainText().strip() or self.place.currentText().strip()
                    or self.interpreter.isChecked() or self.language.text().strip()
                    or self.duration.value())

    def draft_state(self) -> DraftState | None:
        if not self.has_unsaved_changes():
            return None
        return {
            "contact_kind": self.contact_kind.currentData(),
            "place": self.place.currentText(),
            "interpreter": self.interpreter.isChecked(),
            "language": self.language.text(),
            "duration": self.duration.value(),
            "occurred_at": self.occurred_at.dateTime().toString("yyyy-MM-ddTHH:mm"),
            "text": self.text.toPlainText(),
        }

    def restore_draft(self, state: DraftState) -> None:
        index = self.contact_kind.findData(state.get("contact_kind"))
        if index >= 0:
            self.contact_kind.setCurrentIndex(index)
        self.place.setEditText(str(state.get("place") or ""))
        self.interpreter.setChecked(bool(state.get("interpreter")))
        self.language.setText(str(state.get("language") or ""))
        duration = state.get("duration")
        self.duration.setValue(duration if isinstance(duration, int) else 0)
        when = QDateTime.fromString(str(state.get("occurred_at") or ""), "yyyy-MM-ddTHH:mm")
        if when.isValid():
            self.occurred_at.setDateTime(when)
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
