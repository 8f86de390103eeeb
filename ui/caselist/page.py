"""'Fälle': the whole caseload as a lazy table, search as you type (names and case numbers, or
the journal's full text), filters, 'Neuer Fall'.

Sort order and filters are kept across a lock in the context's ``view_memory`` (in memory only:
the page is thrown away at lock and built anew at unlock); the search text is not kept.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import audit
from app.changes import Changes, Kind
from app.services.audit.write import audit_bulk_read, case_filter_names
from app.services.cases.read import rows_by_id, search_rows
from app.services.cases.records import CaseFilter, CaseRow
from app.services.search.read import search_journal
from app.services.staff.read import case_managers
from app.services.staff.records import StaffMember
from app.vault.store import Vault
from ui.caselist.filters import FilterBar, matches
from ui.caselist.journal_hits import CaseJournalHit, JournalHitsTable, found_text
from ui.caselist.model import COL_NAME, SORT_KEYS, CaseTableModel
from ui.caselist.new_case_dialog import NewCaseDialog
from ui.caselist.table import CaseTableView, setup_table
from ui.context import AppContext
from ui.forms import with_clear_button

SEARCH_DELAY_MS = 150  # short enough to feel immediate, long enough to skip keystrokes
SEARCH_LIMIT = 200
MEMORY_KEY = "cases"  # this page's entry in AppContext.view_memory
GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)


def count_text(count: int, searching: bool) -> str:
    if searching:
        return "Keine Fälle gefunden" if count == 0 else (
            "1 Fall gefunden" if count == 1 else f"{GERMAN.toString(count)} Fälle gefunden")
    return "1 Fall" if count == 1 else f"{GERMAN.toString(count)} Fälle"

# What the list's columns show: the case row, the person, the status, the case manager.
LIST_KINDS = (Kind.CASE, Kind.PERSON, Kind.STATUS, Kind.STAFF, Kind.CATALOGUE)


class CaseListPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: NewCaseDialog | None = None
        self._search_generation = 0
        self._select_after_load: int | None = None
        self._emptied_by_lock = False
        # The next list the person sees is audited as one bulk read (app.services.bulk_reads);
        # a reload because something changed shows nothing new to them and is not.
        self._audit_next_list = True
        self._search_pending = False  # a search for the typed text is on its way
        self._open_when_found = False  # Enter came before the hits

        self.search = QLineEdit()
        self.search.setPlaceholderText("Name oder Aktenzeichen")
        with_clear_button(self.search)
        # Switching to "Fälle" puts the keyboard here, its text selected (QLineEdit does that
        # for tab and shortcut focus): typing replaces the last search.
        self.setFocusProxy(self.search)
        search_label = QLabel("&Suchen:")
        search_label.setBuddy(self.search)
        self.in_journal = QCheckBox("im &Verlauf suchen")
        self.in_journal.setToolTip("Statt nach Name oder Aktenzeichen nach Wörtern in den "
                                   "Verlaufseinträgen suchen")
        self.filters = FilterBar()
        self.new_button = QPushButton("&Neuer Fall")
        self.new_button.setToolTip("Einen Fall für eine neue Klientin oder einen neuen Klienten "
                                   "anlegen (Strg+N)")
        self.count = QLabel("Fälle werden geladen …")
        self.count.setObjectName("caseCount")

        self.model = CaseTableModel(ctx, self)
        self.table = CaseTableView()
        self._setup_table()
        self.journal_hits = JournalHitsTable()
        self.journal_hits.open_requested.connect(
            lambda case_id: self.ctx.case_open_requested.emit(case_id, "journal"))
        self.results = QStackedWidget()
        self.results.addWidget(self.table)
        self.results.addWidget(self.journal_hits)

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.in_journal)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.count)
        self.setTabOrder(self.search, self.in_journal)
        self.setTabOrder(self.in_journal, self.new_button)
        self.setTabOrder(self.new_button, self.filters.phase)
        self.setTabOrder(self.filters.case_manager, self.filters.deadline)
        self.setTabOrder(self.filters.deadline, self.filters.only_open)
        self.setTabOrder(self.filters.only_open, self.table)
        self.setTabOrder(self.table, self.journal_hits)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.installEventFilter(self)
        self.filters.changed.connect(self._filter_changed)
        self.in_journal.toggled.connect(self._mode_changed)
        # Ctrl+N belongs to the workspace: it works on every page and in every case tab.
        self.new_button.clicked.connect(self.new_case)
        self.model.ids_loaded.connect(self._ids_loaded)
        self.model.load_failed.connect(lambda _m: self.count.setText(
            "Die Fälle konnten nicht geladen werden."))
        ctx.changes.connect(self._changed)
        ctx.locked.connect(self._locked)
        ctx.unlocked.connect(self._unlocked)
        self.model.set_filter(self.filters.value(), reload=False)  # "nur offene Fälle"
        self._recall()  # sort and filters as before the lock, before the first load
        self.model.reload()  # first: the list matters more than the filter's names
        self._load_staff()

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        setup_table(table)
        table.horizontalHeader().setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        table.horizontalHeader().sortIndicatorChanged.connect(self._sort_indicator_changed)
        table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        table.open_requested.connect(self._open_row)

    # --- public API for the shell ------------------------------------------------------

    def refresh(self, *, audited: bool = False) -> None:
        """Reload after changes, keeping search, filters and sort. ``audited``: the person
        sees the list anew (after unlocking), not just an update of what they saw."""
        self.model.forget_rows()
        self._load_staff()
        if self.search.text().strip():
            self._search_now(audited=audited)
        else:
            self._audit_next_list = audited
            self.model.reload()

    def new_case(self) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return
        self.dialog = NewCaseDialog(self.ctx, self)
        self.dialog.accepted.connect(self._case_created)
        self.dialog.open()

    # --- reactions ---------------------------------------------------------------------

    def _recall(self) -> None:
        memory = self.ctx.view_memory.get(MEMORY_KEY)
        if not isinstance(memory, dict):
            return
        self.filters.restore_state(memory.get("filters") or {})
        self.model.set_filter(self.filters.value(), reload=False)
        column, descending = memory.get("sort", (COL_NAME, False))
        if column in SORT_KEYS:
            self.model.set_order(SORT_KEYS[column], bool(descending))
            self.table.horizontalHeader().setSortIndicator(column, self.model.sort_order())

    def _remember(self) -> None:
        """Sort and filters for the page built after the next unlock (codes only)."""
        self.ctx.view_memory[MEMORY_KEY] = {
            "filters": self.filters.state(),
            "sort": (self.model.sort_column(),
                     self.model.sort_order() == Qt.SortOrder.DescendingOrder)}

    def _changed(self, changes: Changes) -> None:
        if changes.touches(*LIST_KINDS):
            self.refresh()

    def _locked(self) -> None:
        self._search_timer.stop()
        self._search_generation += 1
        self._search_pending = self._open_when_found = False
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.clear()
        self.journal_hits.set_hits([])
        self.table.show_empty(False)
        self._emptied_by_lock = True
        self.count.setText("Gesperrt.")
        if self.dialog is not None:
            self.dialog.reject()

    def _unlocked(self) -> None:
        # A page built at unlock has just loaded; only one that was emptied reloads.
        if self._emptied_by_lock:
            self._emptied_by_lock = False
            self.refresh(audited=True)

    def _load_staff(self) -> None:
        def loaded(staff: list[StaffMember]) -> None:
            self.filters.set_staff(staff)

        self.ctx.run(case_managers, loaded, lambda _e: None)  # filter stays at "Alle"

    def _filter_changed(self, flt: CaseFilter) -> None:
        self._remember()
        if self.search.text().strip():
            self.model.set_filter(flt, reload=False)
            self._search_now()
        else:
            self._audit_next_list = True  # another set of cases: read anew
            self.model.set_filter(flt)

    def _sort_indicator_changed(self, column: int, _order: Qt.SortOrder) -> None:
        if column not in SORT_KEYS:  # keep showing the order the list is really in
            QTimer.singleShot(0, lambda: self.table.horizontalHeader().setSortIndicator(
                self.model.sort_column(), self.model.sort_order()))
            self.ctx.status_message.emit("Nach dieser Spalte kann nicht sortiert werden.")
            return
        QTimer.singleShot(0, self._remember)  # after the model took the new order

    def _mode_changed(self, journal: bool) -> None:
        self.search.setPlaceholderText("Wörter aus dem Verlauf" if journal
                                       else "Name oder Aktenzeichen")
        self.results.setCurrentWidget(self.journal_hits if journal else self.table)
        if not journal:
            self.journal_hits.set_hits([])
        self._search_now()

    def _search_now(self, *, audited: bool = True) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        self._search_generation += 1
        generation = self._search_generation
        if self.in_journal.isChecked():
            self._search_journal(text, generation)
            return
        if not text:
            self.model.show_all()
            return
        flt = self.filters.value()
        manager = self.filters.manager_name()

        self._search_pending = True

        def find(vault: Vault) -> list[CaseRow]:
            if generation != self._search_generation:  # typed on meanwhile: skip the work
                return []
            today = vault.clock.today()
            rows = [r for r in search_rows(vault, text, SEARCH_LIMIT)
                    if matches(r, flt, manager, today)]
            if audited:  # the counts and the filters' names, never the text
                audit_bulk_read(vault, audit.Kind.SEARCH_RUN, {"cases": len(rows)},
                                filters=case_filter_names(flt))
            return rows

        def found(rows: list[CaseRow]) -> None:
            if generation == self._search_generation:  # an older keystroke's answer: ignore
                self._search_pending = False
                self.model.show_results(rows)
                if self._open_when_found:
                    self._open_when_found = False
                    if rows:
                        self._open_row(0)

        def failed(exc: BaseException) -> None:
            if generation == self._search_generation:
                self._search_pending = self._open_when_found = False
            self.ctx.report_error(exc)

        self.ctx.run(find, found, failed)

    def _search_journal(self, text: str, generation: int) -> None:
        """Journal entries with every typed word, filtered like the list, audited as one
        search (counts and filter names, never the words)."""
        if not text:
            self.journal_hits.set_hits([])
            self.count.setText("Bitte Wörter aus dem Verlauf eingeben.")
            return
        flt = self.filters.value()
        manager = self.filters.manager_name()
        self._search_pending = True

        def find(vault: Vault) -> list[CaseJournalHit]:
            if generation != self._search_generation:
                return []
            today = vault.clock.today()
            hits = search_journal(vault, text, SEARCH_LIMIT)
            cases = {r.id: r for r in rows_by_id(vault, list({h.case_id for h in hits}))}
            found = [CaseJournalHit(h, cases[h.case_id]) for h in hits
                     if h.case_id in cases and matches(cases[h.case_id], flt, manager, today)]
            audit_bulk_read(vault, audit.Kind.SEARCH_RUN,
                            {"cases": len({f.case.id for f in found}),
                             "journal_entries": len(found)},
                            filters=case_filter_names(flt))
            return found

        def found(hits: list[CaseJournalHit]) -> None:
            if generation == self._search_generation:
                self._search_pending = False
                self.journal_hits.set_hits(hits)
                self.count.setText(found_text(hits))
                if self._open_when_found:
                    self._open_when_found = False
                    if hits:
                        self.ctx.case_open_requested.emit(hits[0].case.id, "journal")

        def failed(exc: BaseException) -> None:
            if generation == self._search_generation:
                self._search_pending = self._open_when_found = False
            self.ctx.report_error(exc)

        self.ctx.run(find, found, failed)

    def _ids_loaded(self, count: int) -> None:
        self.table.show_empty(count == 0)
        if self._audit_next_list and not self.model.in_result_mode():
            self._audit_next_list = False
            names = case_filter_names(self.filters.value())
            self.ctx.run(lambda vault: audit_bulk_read(
                vault, audit.Kind.CASES_LISTED, {"cases": count}, filters=names),
                lambda _none: None)
        if self.in_journal.isChecked():  # the count line speaks of the journal hits
            return
        text = count_text(count, self.model.in_result_mode())
        if self.model.in_result_mode() and count >= SEARCH_LIMIT:
            text += " – es werden nur die neuesten angezeigt; bitte genauer suchen"
        self.count.setText(text)
        if self._select_after_load is not None:
            row = self.model.row_of(self._select_after_load)
            if row is not None:
                self._select_after_load = None
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))

    def _case_created(self) -> None:
        if self.dialog is not None and self.dialog.created_id is not None:
            self._select_after_load = self.dialog.created_id

    def _open_row(self, row: int) -> None:
        case_id = self.model.case_id(row)
        if case_id is not None:
            self.ctx.case_open_requested.emit(case_id, "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Down and self.in_journal.isChecked():
                if self.journal_hits.rowCount() > 0:
                    self.journal_hits.setFocus(Qt.FocusReason.OtherFocusReason)
                    if not self.journal_hits.currentIndex().isValid():
                        self.journal_hits.selectRow(0)
                return True
            if key == Qt.Key.Key_Down and self.model.rowCount() > 0:
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                if not self.table.currentIndex().isValid():
                    self.table.selectRow(0)
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.search.text().strip():
                self._open_first_hit()
                return True
        return super().eventFilter(watched, event)

    def _open_first_hit(self) -> None:
        """Enter in the search field opens the selected hit, or the first one. Typed faster
        than the search ran: it opens the first hit of the search for what is typed now."""
        if self._search_timer.isActive() or self._search_pending:
            self._open_when_found = True
            if self._search_timer.isActive():
                self._search_now()
            return
        if self.in_journal.isChecked():
            current = self.journal_hits.currentIndex()
            case_id = self.journal_hits.case_id(current.row() if current.isValid() else 0)
            if case_id is not None:
                self.ctx.case_open_requested.emit(case_id, "journal")
            return
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else 0
        if self.model.rowCount() > 0 and self.model.in_result_mode():
            self._open_row(row)
