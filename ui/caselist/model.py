"""The case list's table model: holds only the ordered case ids and fetches rows lazily.

Rows arrive in batches from the database thread and live in a bounded LRU cache, so scrolling
through 100,000 cases never loads them all and memory stays flat.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from app import catalogues
from app.client_name import client_name
from app.services.cases.read import case_ids, list_cases, rows_by_id, sort_name
from app.services.cases.records import CaseFilter, CaseRow, SortKey
from app.vault.store import Vault
from ui.context import AppContext

PLACEHOLDER = "…"
FIRST_PAGE = 100  # rows shown before the full id list has arrived
OVERDUE = QColor(176, 0, 32)  # a dark red that stays readable on white and on the alternate row

HEADERS = ("Aktenzeichen", "Name", "Phase", "Zielgruppe", "Kommune", "Fallmanager:in",
           "Nächste Frist", "Eröffnet")
COL_CASE_NUMBER, COL_NAME, COL_PHASE, COL_TARGET, COL_MUNI, COL_MANAGER, COL_DEADLINE, \
    COL_OPENED = range(len(HEADERS))
# Only these columns have an index in the store; the others cannot be sorted at 100,000 rows.
SORT_KEYS: dict[int, SortKey] = {COL_CASE_NUMBER: "case_number", COL_NAME: "name",
                                 COL_DEADLINE: "next_deadline", COL_OPENED: "opened_on"}

Index = QModelIndex | QPersistentModelIndex
# Plain ints: data() runs for every cell and role of every repaint; enum compares cost more.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_ROLES = frozenset({_DISPLAY, _FOREGROUND, int(Qt.ItemDataRole.ToolTipRole.value),
                    int(Qt.ItemDataRole.AccessibleTextRole.value)})
# The store's orders (app.services.cases.read), for search hits sorted in memory.
RESULT_SORT: dict[SortKey, Callable[[CaseRow], Any]] = {
    "name": lambda r: (sort_name(r.family_name, r.given_names), r.id),
    "case_number": lambda r: (r.case_number, r.id),
    "next_deadline": lambda r: (r.next_deadline is None, r.next_deadline or date.min, r.id),
    "opened_on": lambda r: (r.opened_on, r.id),
}


def german_date(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _cell(row: CaseRow, column: int) -> str:
    if column == COL_CASE_NUMBER:
        return row.case_number
    if column == COL_NAME:
        return client_name(row.family_name, row.given_names)
    if column == COL_PHASE:
        return catalogues.label_or_code(catalogues.phases(), row.phase)
    if column == COL_TARGET:
        return catalogues.label_or_code(catalogues.target_groups(), row.target_group)
    if column == COL_MUNI:
        return catalogues.label_or_code(catalogues.municipalities(), row.municipality)
    if column == COL_MANAGER:
        return row.case_manager
    if column == COL_DEADLINE:
        return german_date(row.next_deadline)
    return german_date(row.opened_on)


@dataclass(frozen=True, slots=True)
class _Shown:
    """A cached row with its cell texts made once: painting asks for them a thousand times a
    screen, and catalogue lookups and date formatting per call cost a keystroke's budget."""

    row: CaseRow
    display: tuple[str, ...]
    full: tuple[str, ...]  # tooltips and screen readers: nothing cut short

    @classmethod
    def of(cls, row: CaseRow) -> _Shown:
        full = tuple(_cell(row, column) for column in range(len(HEADERS)))
        phase = catalogues.label_or_code(catalogues.phases(), row.phase, short=True)
        display = (*full[:COL_PHASE], phase, *full[COL_PHASE + 1:])
        return cls(row, display, full)


class CaseTableModel(QAbstractTableModel):
    """Lazy, id-based case table. ``ids_loaded`` fires after every (re)load with the row count."""

    ids_loaded = Signal(int)
    load_failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None, batch_size: int = 200,
                 cache_rows: int = 5000) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._batch = batch_size
        self._cache_limit = cache_rows
        self._ids: list[int] = []
        self._cache: OrderedDict[int, CaseRow] = OrderedDict()  # case id -> row, LRU order
        self._shown: dict[int, _Shown] = {}  # texts of the cached rows painted so far
        self._filter = CaseFilter()
        self._sort: SortKey = "name"
        self._descending = False
        self._results: list[CaseRow] | None = None  # search hits replace the full list
        self._today = date.min  # from the vault's clock, refreshed with every load
        self._generation = 0  # bumped on every reset: late rows for old row numbers are dropped
        self._load_generation = 0  # bumped per id load: only the latest load is shown
        self._shown_query: tuple[CaseFilter, SortKey, bool] | None = None
        self._wanted: OrderedDict[int, None] = OrderedDict()  # batch numbers, latest last
        self._in_flight = False
        self.rows_fetched = 0  # rows delivered by the database so far (tests check laziness)
        self.loading = False

    # --- what the view asks ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section not in SORT_KEYS:
                return "Nach dieser Spalte kann nicht sortiert werden; bitte filtern."
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        role = int(role)
        if role not in _ROLES:
            return None
        shown = self._cached(index.row())
        if shown is None:
            self._want(index.row())
            return PLACEHOLDER if role == _DISPLAY else None
        column, row = index.column(), shown.row
        if role == _DISPLAY:  # the phase's short label fits its column
            return shown.display[column]
        overdue = column == COL_DEADLINE and row.next_deadline is not None \
            and row.next_deadline < self._today
        if role == _FOREGROUND:
            return OVERDUE if overdue else None
        # Tooltip: the full text of a cut-off cell. Colour alone is not enough: say "overdue".
        return f"{shown.full[column]} (überfällig)" if overdue else shown.full[column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._sort, self._descending):
            return
        self._sort, self._descending = key, descending
        if self._results is not None:
            self.show_results(self._results)
        else:
            self.reload()

    # --- what the page uses ------------------------------------------------------------

    def case_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, case_id: int) -> int | None:
        try:
            return self._ids.index(case_id)
        except ValueError:
            return None

    def sort_column(self) -> int:
        return next(c for c, k in SORT_KEYS.items() if k == self._sort)

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def set_order(self, key: SortKey, descending: bool) -> None:
        """Take an order without loading (the page's first load follows)."""
        self._sort, self._descending = key, descending

    def case_filter(self) -> CaseFilter:
        return self._filter

    def set_filter(self, flt: CaseFilter, reload: bool = True) -> None:
        """``reload=False`` while showing search hits: the full list reloads on leaving them."""
        if flt != self._filter:
            self._filter = flt
            if reload and self._results is None:
                self.reload()

    def forget_rows(self) -> None:
        """Cached rows may be stale after a change; they are fetched again when shown."""
        self._cache.clear()
        self._shown.clear()

    def in_result_mode(self) -> bool:
        return self._results is not None

    def show_results(self, rows: list[CaseRow]) -> None:
        """Show search hits instead of the list, in the list's current order (few hundred at
        most, so they are sorted here, the same way the store sorts)."""
        self._load_generation += 1  # a list still loading must not replace the hits
        self.loading = False
        self._results = list(rows)
        self._store(self._results, set())
        ordered = sorted(self._results, key=RESULT_SORT[self._sort], reverse=self._descending)
        self._reset([r.id for r in ordered], self._today)
        self.ids_loaded.emit(len(self._ids))

    def show_all(self) -> None:
        if self._results is not None or not self._ids:
            self._results = None
            self.reload()

    def reload(self, drop_cache: bool = False) -> None:
        """Fetch the ordered ids off the GUI thread (ids only: a few MB even at 100,000 cases).

        A new order or filter first shows one keyset page (fast), then the full id list is
        appended behind it; a refresh of the same list keeps showing the old one meanwhile.
        """
        if drop_cache:
            self._cache.clear()
            self._shown.clear()
        if self._results is not None:
            self.show_results(self._results)
            return
        self._load_generation += 1
        generation = self._load_generation
        query = (self._filter, self._sort, self._descending)
        quick_first = query != self._shown_query or not self._ids
        self._shown_query = query
        self.loading = True

        def current() -> bool:
            return generation == self._load_generation

        def first(vault: Vault) -> tuple[list[CaseRow], date]:
            if not current():
                return [], date.min
            return list_cases(vault, *query, limit=FIRST_PAGE).rows, vault.clock.today()

        def first_shown(result: tuple[list[CaseRow], date]) -> None:
            if current():
                rows, today = result
                self.rows_fetched += len(rows)
                self._store(rows, set())
                self._reset([r.id for r in rows], today)

        def load(vault: Vault) -> tuple[list[int], date]:
            if not current():  # superseded while queued (e.g. three quick header clicks)
                return [], date.min
            return case_ids(vault, *query), vault.clock.today()

        def loaded(result: tuple[list[int], date]) -> None:
            if current():
                self.loading = False
                self._extend_or_reset(*result)
                self.ids_loaded.emit(len(self._ids))

        def failed(exc: BaseException) -> None:
            if current():
                self.loading = False
                self.load_failed.emit(str(exc))
                self._ctx.report_error(exc)

        if quick_first:
            self._ctx.run(first, first_shown, failed)
        self._ctx.run(load, loaded, failed)

    def clear(self) -> None:
        """Forget every row (on lock: nothing personal may stay in memory or on screen)."""
        self._load_generation += 1
        self.loading = False
        self._cache.clear()
        self._shown.clear()
        self._results = None
        self._shown_query = None
        self._reset([], self._today)

    def _extend_or_reset(self, ids: list[int], today: date) -> None:
        shown = len(self._ids)
        if 0 < shown < len(ids) and ids[:shown] == self._ids and today == self._today:
            # The first page is already on screen: append the rest, the view stays put.
            self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
            self._ids = ids
            self.endInsertRows()
        elif ids != self._ids or today != self._today:
            self._reset(ids, today)
        elif ids:  # same list (e.g. a refresh): the view asks again for the fresh rows
            self.dataChanged.emit(self.index(0, 0), self.index(len(ids) - 1, len(HEADERS) - 1))

    # --- lazy fetching -----------------------------------------------------------------

    def _reset(self, ids: list[int], today: date) -> None:
        self.beginResetModel()
        self._generation += 1
        self._ids = ids
        self._today = today
        self._wanted.clear()
        self.endResetModel()

    def _cached(self, row: int) -> _Shown | None:
        case_id = self._ids[row]
        found = self._cache.get(case_id)
        if found is None:
            return None
        self._cache.move_to_end(case_id)
        shown = self._shown.get(case_id)
        if shown is None:  # made when first painted: search hits off screen never need it
            shown = self._shown[case_id] = _Shown.of(found)
        return shown

    def _want(self, row: int) -> None:
        batch = row // self._batch
        self._wanted[batch] = None
        self._wanted.move_to_end(batch)
        if not self._in_flight:
            self._fetch_next()

    def _fetch_next(self) -> None:
        if not self._wanted:
            return
        # Only the two batches asked for last: they are what the view shows now. Batches that
        # were scrolled past are dropped; the view asks again if they come back into sight.
        batches = list(self._wanted)[-2:]
        dropped = list(self._wanted)[:-2]
        self._wanted.clear()
        for batch in dropped:
            self._emit_changed(batch)
        generation = self._generation
        ids = [i for b in batches for i in self._ids[b * self._batch:(b + 1) * self._batch]
               if i not in self._cache]
        self._in_flight = True

        def arrived(rows: list[CaseRow]) -> None:
            self._in_flight = False
            if generation != self._generation:
                self._fetch_next()
                return
            self.rows_fetched += len(rows)
            self._store(rows, set(ids) - {r.id for r in rows})
            for batch in batches:
                self._emit_changed(batch)
            self._fetch_next()

        def failed(exc: BaseException) -> None:
            self._in_flight = False
            self._ctx.report_error(exc)

        self._ctx.run(lambda vault: rows_by_id(vault, ids), arrived, failed)

    def _store(self, rows: list[CaseRow], vanished: set[int]) -> None:
        for row in rows:
            self._cache[row.id] = row
            self._cache.move_to_end(row.id)
            self._shown.pop(row.id, None)
        while len(self._cache) > self._cache_limit:
            self._shown.pop(self._cache.popitem(last=False)[0], None)
        if vanished:  # deleted meanwhile (e.g. by an import): take them out of the list
            self.beginResetModel()
            self._generation += 1
            self._ids = [i for i in self._ids if i not in vanished]
            self.endResetModel()
            self.ids_loaded.emit(len(self._ids))

    def _emit_changed(self, batch: int) -> None:
        first = batch * self._batch
        last = min(first + self._batch, len(self._ids)) - 1
        if 0 <= first <= last:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(HEADERS) - 1))
