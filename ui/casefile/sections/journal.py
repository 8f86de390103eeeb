"""Section "Verlauf": the journal, newest first, and a quick entry for an outreach contact.

What the caseworker typed is the draft: it survives a failed save, a lock and a closed tab
(through ``draft_state``/``restore_draft``) and is only cleared after the core stored it.

An entry is never edited: "Nachtrag…" and "Korrigieren…" turn the quick entry into a new entry
that amends the selected one (prefilled: a correction with everything, a Nachtrag with the
contact), and the list shows both, each saying how it relates to the other.

The list takes the height (a laptop's 720 pixels show at least ten entries); the quick entry
(its form is ``_journal_entry.QuickEntry``) and the selected entry's full text sit below it side
by side.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import catalogues
from app.date_input import DateInputError
from app.services.cases import read as casefile_read
from app.services.journal import read as journal_read
from app.services.journal.records import JournalRow
from app.services.journal.write import add_journal_entry, amend_journal_entry
from app.vault.store import Vault
from ui.casefile._form import count_text, fmt_datetime, run_guarded
from ui.casefile._section import DraftState, Section
from ui.casefile._table import table_with_status
from ui.casefile.sections._journal_entry import NEW_TITLE, QuickEntry
from ui.casefile.sections._journal_rows import detail_text, journal_row
from ui.context import AppContext, german_message

HEADERS = ("Datum", "Kontaktart", "Ort", "Dolmetschung", "Dauer", "Inhalt")


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

    def _build_entry(self) -> QuickEntry:
        self.entry_box = entry = QuickEntry()
        entry.save_button.clicked.connect(self.save)
        entry.cancel_amend_button.clicked.connect(self.cancel_amend)
        # The fields keep their names on the section, where the amend and save code (and the
        # tests) reach them.
        self.general_error, self.errors = entry.general_error, entry.errors
        self.contact_kind, self.place, self.text = entry.contact_kind, entry.place, entry.text
        self.interpreter, self.language = entry.interpreter, entry.language
        self.duration, self.occurred_at = entry.duration, entry.occurred_at
        self.save_button, self.cancel_amend_button = entry.save_button, entry.cancel_amend_button
        return entry

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
            self.entry_box.offer_places(municipality)
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

    # --- the quick entry ----------------------------------------------------------------------

    def save(self) -> None:
        self.errors.clear()
        try:
            entry = self.entry_box.entry()
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
        self.entry_box.fill(entry, kind)
        self.text.setFocus()

    def _set_amending(self, entry_id: int | None, kind: str = "") -> None:
        entry = self._entries.get(entry_id) if entry_id is not None else None
        self._amending = (entry_id, kind) if entry_id is not None else None
        when = fmt_datetime(entry.occurred_at) if entry is not None else ""
        self.entry_box.setTitle(
            NEW_TITLE if entry_id is None else
            f"Nachtrag zum Eintrag vom {when}" if kind == "addendum" else
            f"Korrektur des Eintrags vom {when} (der Eintrag bleibt erhalten)")
        self.save_button.setToolTip("Kontakt speichern (Strg+S)" if entry_id is None else
                                    "Nachtrag bzw. Korrektur speichern (Strg+S)")
        self.cancel_amend_button.setVisible(entry_id is not None)

    def cancel_amend(self) -> None:
        self.clear_entry()

    def _save_failed(self, exc: BaseException) -> None:
        # the typed text stays; only the message is new
        self.save_button.setEnabled(True)
        self.errors.show(exc)

    def clear_entry(self) -> None:
        self._set_amending(None)
        self.entry_box.clear()

    # --- draft --------------------------------------------------------------------------------

    def has_unsaved_changes(self) -> bool:
        return self.entry_box.is_dirty()

    def draft_state(self) -> DraftState | None:
        if not self.has_unsaved_changes():
            return None
        return {
            **self.entry_box.draft(),
            "amends": self._amending[0] if self._amending else None,
            "amend_kind": self._amending[1] if self._amending else None,
        }

    def restore_draft(self, state: DraftState) -> None:
        self.entry_box.restore(state)
        amends, kind = state.get("amends"), state.get("amend_kind")
        if isinstance(amends, int) and kind in ("addendum", "correction"):
            self._set_amending(amends, str(kind))  # the title names the date once loaded
