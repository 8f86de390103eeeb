"""Section "Verlauf": the journal, newest first, and a quick entry for an outreach contact.

What the caseworker typed is the draft: it survives a failed save, a lock and a closed tab
(through ``draft_state``/``restore_draft``) and is only cleared after the core stored it.

An entry is never edited: "Nachtrag…" and "Korrigieren…" turn the quick entry into a new entry
that amends the selected one (prefilled: a correction with everything, a Nachtrag with the
contact), and the list shows both, each saying how it relates to the other.

The list takes the height (a laptop's 720 pixels show at least ten entries); the quick entry
and the selected entry's full text sit below it side by side.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QTextCursor
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
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.date_input import DateInputError
from app.services.cases import read as casefile_read
from app.services.journal import read as journal_read
from app.services.journal.records import JournalRow, NewJournalEntry
from app.services.journal.write import (
    MAX_DURATION_MINUTES,
    add_journal_entry,
    amend_journal_entry,
)
from app.vault.store import Vault
from ui.casefile._form import (
    FieldErrors,
    count_text,
    error_label,
    field_row,
    fmt_datetime,
    run_guarded,
)
from ui.casefile._section import DraftState, Section
from ui.casefile._table import table_with_status
from ui.casefile.sections._journal_rows import detail_text, journal_row
from ui.context import AppContext, german_message
from ui.datetime_field import DateTimeField

HEADERS = ("Datum", "Kontaktart", "Ort", "Dolmetschung", "Dauer", "Inhalt")


def ordered_contact_kinds() -> list[catalogues.ContactKind]:
    """Outreach kinds first: the quick entry is mostly used right after a visit."""
    kinds = list(catalogues.contact_kinds())
    return [k for k in kinds if k.outreach] + [k for k in kinds if not k.outreach]


class JournalSection(Section):
    def __init__(self, ctx: AppContext, case_id: int) -> None:
        super().__init__(ctx, case_id)
        self._kind_labels = {k.code: k.label for k in catalogues.contact_kinds()}
        self._municipality: str | None = None
        self._entries: dict[int, JournalRow] = {}
        self._amending: tuple[int, str] | None = None  # (entry id, "addendum"/"correction")
        self.status, self.model, self.table = table_with_status(self, HEADERS, "Verlauf")
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)  # one line of text per entry
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.status)
        top_layout.addWidget(self.table, 1)
        bottom = QWidget()
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self._build_entry(), 3)
        bottom_layout.addWidget(self._build_detail(), 2)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.model.modelReset.connect(self.detail.clear)
        self.model.modelReset.connect(self._update_actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)  # extra height goes to the journal, not the form
        splitter.setStretchFactor(1, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        save = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        correct = QShortcut(QKeySequence("F2"), self, lambda: self.start_amend("correction"))
        correct.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._update_actions()

    def _build_detail(self) -> QWidget:
        """The chosen entry in full, and the two ways to amend it."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setTabChangesFocus(True)
        detail_label = QLabel("&Gewählter Eintrag:")
        detail_label.setBuddy(self.detail)
        column.addWidget(detail_label)
        column.addWidget(self.detail, 1)
        self.addendum_button = QPushButton("&Nachtrag…")
        self.addendum_button.setToolTip("Einen Nachtrag zum gewählten Eintrag schreiben "
                                        "(Alt+N); der Eintrag bleibt unverändert")
        self.addendum_button.clicked.connect(lambda: self.start_amend("addendum"))
        self.correct_button = QPushButton("Ko&rrigieren…")
        self.correct_button.setToolTip("Den gewählten Eintrag berichtigen (F2); er bleibt als "
                                       "korrigiert sichtbar")
        self.correct_button.clicked.connect(lambda: self.start_amend("correction"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.addendum_button)
        buttons.addWidget(self.correct_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        # The same two actions on the row's context menu.
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for text, kind in (("Nachtrag…", "addendum"), ("Korrigieren…", "correction")):
            action = QAction(text, self.table)
            action.triggered.connect(lambda _checked=False, k=kind: self.start_amend(k))
            self.table.addAction(action)
        return holder

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
        self.save_button.clicked.connect(self.save)
        self.cancel_amend_button = QPushButton("A&bbrechen")
        self.cancel_amend_button.setToolTip("Nachtrag oder Korrektur verwerfen")
        self.cancel_amend_button.clicked.connect(self.cancel_amend)
        self.cancel_amend_button.hide()
        form.addRow(self.general_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_amend_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        self.entry_box = box
        return box

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
        self._entries = {r.id: r for r in rows}
        if self._amending is not None:  # a restored draft's title names the entry's date
            self._set_amending(*self._amending)
        self.model.set_rows([journal_row(r, self._kind_labels) for r in rows])
        if rows:  # the newest entry in full below the table, instead of an empty box
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _show_detail(self, current: QModelIndex) -> None:
        """The whole text of the chosen entry: the table shows only its first line."""
        entry = self.selected_entry(current)
        self.detail.setPlainText(detail_text(entry) if entry is not None else "")
        self._update_actions()

    def selected_entry(self, index: QModelIndex | None = None) -> JournalRow | None:
        current = self.table.currentIndex() if index is None else index
        row = self.model.row_at(current.row()) if current.isValid() else None
        return self._entries.get(int(row.key)) if row is not None and row.key else None

    def _update_actions(self) -> None:
        chosen = self.selected_entry() is not None
        self.addendum_button.setEnabled(chosen)
        self.correct_button.setEnabled(chosen)

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

    def save(self) -> None:
        self.errors.clear()
        try:
            entry = self._entry()
        except DateInputError:  # a date or time that cannot be read: shown there, nothing saved
            return
        case_id, amending = self.case_id, self._amending
        self.save_button.setEnabled(False)
        if amending is None:
            run_guarded(self, self.ctx, lambda vault: add_journal_entry(vault, case_id, entry),
                        self._saved, self._save_failed)
            return
        amended, kind = amending
        amendment = replace(entry, entry_kind=kind)
        run_guarded(self, self.ctx, lambda vault: amend_journal_entry(vault, amended, amendment),
                    self._saved, self._save_failed)

    def _saved(self, _entry_id: int) -> None:
        self.save_button.setEnabled(True)
        message = {"addendum": "Nachtrag gespeichert.", "correction": "Korrektur gespeichert; "
                   "der ursprüngliche Eintrag bleibt sichtbar."}.get(
            self._amending[1] if self._amending else "", "Kontakt gespeichert.")
        self.clear_entry()
        self.ctx.status_message.emit(message)

    # --- Nachtrag and correction --------------------------------------------------------------

    def start_amend(self, kind: str) -> None:
        """Turn the quick entry into a Nachtrag or a correction of the selected entry."""
        entry = self.selected_entry()
        if entry is None:
            return
        self._set_amending(entry.id, kind)
        self._fill(entry, kind)
        self.text.setFocus()

    def _set_amending(self, entry_id: int | None, kind: str = "") -> None:
        entry = self._entries.get(entry_id) if entry_id is not None else None
        self._amending = (entry_id, kind) if entry_id is not None else None
        when = fmt_datetime(entry.occurred_at) if entry is not None else ""
        self.entry_box.setTitle(
            "Neuer Kontakt (Schnellerfassung)" if entry_id is None else
            f"Nachtrag zum Eintrag vom {when}" if kind == "addendum" else
            f"Korrektur des Eintrags vom {when} (der Eintrag bleibt erhalten)")
        self.save_button.setToolTip("Kontakt speichern (Strg+S)" if entry_id is None else
                                    "Nachtrag bzw. Korrektur speichern (Strg+S)")
        self.cancel_amend_button.setVisible(entry_id is not None)

    def _fill(self, entry: JournalRow, kind: str) -> None:
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

    def cancel_amend(self) -> None:
        self.clear_entry()

    def _save_failed(self, exc: BaseException) -> None:
        # the typed text stays; only the message is new
        self.save_button.setEnabled(True)
        self.errors.show(exc)

    def clear_entry(self) -> None:
        self._set_amending(None)
        self.text.clear()
        self.place.setCurrentIndex(-1)
        self.place.clearEditText()
        self.interpreter.setChecked(False)
        self.language.clear()
        self.duration.setValue(0)
        self.occurred_at.set_value(datetime.now())
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
            "occurred_at": self.occurred_at.value().strftime("%Y-%m-%dT%H:%M"),
            "text": self.text.toPlainText(),
            "amends": self._amending[0] if self._amending else None,
            "amend_kind": self._amending[1] if self._amending else None,
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
        with suppress(ValueError):  # a draft without a readable time keeps the field as it is
            self.occurred_at.set_value(datetime.strptime(str(state.get("occurred_at") or ""),
                                                         "%Y-%m-%dT%H:%M"))
        self.text.setPlainText(str(state.get("text") or ""))
        amends, kind = state.get("amends"), state.get("amend_kind")
        if isinstance(amends, int) and kind in ("addendum", "correction"):
            self._set_amending(amends, str(kind))  # the title names the date once loaded


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
