"""'Fälle': the whole caseload as a lazy table, search as you type, filters, 'Neuer Fall'."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import audit
from app.changes import Changes, Kind
from app.services.audit.write import audit_bulk_read, case_filter_names
from app.services.cases.read import search_rows
from app.services.cases.records import CaseFilter, CaseRow
from app.services.staff.read import case_managers
from app.services.staff.records import StaffMember
from app.vault.store import Vault
from ui.caselist.filters import FilterBar, matches
from ui.caselist.model import COL_NAME, HEADERS, SORT_KEYS, CaseTableModel
from ui.caselist.new_case_dialog import NewCaseDialog
from ui.context import AppContext
from ui.forms import with_clear_button

SEARCH_DELAY_MS = 150  # short enough to feel immediate, long enough to skip keystrokes
SEARCH_LIMIT = 200
COLUMN_WIDTHS = (150, 240, 170, 170, 150, 160, 100, 90)
GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)


def count_text(count: int, searching: bool) -> str:
    if searching:
        return "Keine Fälle gefunden" if count == 0 else (
            "1 Fall gefunden" if count == 1 else f"{GERMAN.toString(count)} Fälle gefunden")
    return "1 Fall" if count == 1 else f"{GERMAN.toString(count)} Fälle"

# What the list's columns show: the case row, the person, the status, the case manager.
LIST_KINDS = (Kind.CASE, Kind.PERSON, Kind.STATUS, Kind.STAFF, Kind.CATALOGUE)


class CaseTableView(QTableView):
    """Enter opens the current case (QTableView alone would only emit ``activated``)."""

    open_requested = Signal(int)  # row

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


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
        self.filters = FilterBar()
        self.new_button = QPushButton("&Neuer Fall")
        self.new_button.setToolTip("Einen Fall für eine neue Klientin oder einen neuen Klienten "
                                   "anlegen (Strg+N)")
        self.count = QLabel("Fälle werden geladen …")
        self.count.setObjectName("caseCount")

        self.model = CaseTableModel(ctx, self)
        self.table = CaseTableView()
        self._setup_table()

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.setTabOrder(self.search, self.new_button)
        self.setTabOrder(self.new_button, self.filters.phase)
        self.setTabOrder(self.filters.case_manager, self.filters.deadline)
        self.setTabOrder(self.filters.deadline, self.table)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_now)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.installEventFilter(self)
        self.filters.changed.connect(self._filter_changed)
        self.new_button.clicked.connect(self.new_case)
        shortcut = QShortcut(QKeySequence("Ctrl+N"), self, self.new_case)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.model.ids_loaded.connect(self._ids_loaded)
        self.model.load_failed.connect(lambda _m: self.count.setText(
            "Die Fälle konnten nicht geladen werden."))
        ctx.changes.connect(self._changed)
        ctx.locked.connect(self._locked)
        ctx.unlocked.connect(self._unlocked)
        self.model.reload()  # first: the list matters more than the filter's names
        self._load_staff()

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setAccessibleName("Fälle")
        table.setTabKeyNavigation(False)  # Tab leaves the table instead of cycling cells
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        # Fixed row heights and column widths: nothing may measure 100,000 rows.
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(COLUMN_WIDTHS[:len(HEADERS)]):
            table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        header.setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._sort_indicator_changed)
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

    def _search_now(self, *, audited: bool = True) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        self._search_generation += 1
        generation = self._search_generation
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

    def _ids_loaded(self, count: int) -> None:
        if self._audit_next_list and not self.model.in_result_mode():
            self._audit_next_list = False
            names = case_filter_names(self.filters.value())
            self.ctx.run(lambda vault: audit_bulk_read(
                vault, audit.Kind.CASES_LISTED, {"cases": count}, filters=names),
                lambda _none: None)
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
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else 0
        if self.model.rowCount() > 0 and self.model.in_result_mode():
            self._open_row(row)
