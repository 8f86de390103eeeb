"""One block of Heute: a titled list with its count, each entry a whole, readable line."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QLocale, Qt
from PySide6.QtWidgets import QGroupBox, QListView, QListWidget, QListWidgetItem, QVBoxLayout

from app.services.today.read import COUNT_CAP, LIST_LIMIT
from app.services.today.records import TodayItem

ITEM_ROLE = Qt.ItemDataRole.UserRole + 2  # the TodayItem behind an entry (None: a note)
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1  # (case id, section)
GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)


def count_text(count: int) -> str:
    """Counts stop at COUNT_CAP + 1 (app.services.today.read): beyond it, "über 1.000"."""
    return f"über {GERMAN.toString(COUNT_CAP)}" if count > COUNT_CAP else GERMAN.toString(count)


def item_text(item: TodayItem) -> str:
    """Two lines, so neither needs cutting: who and when, then what."""
    return f"{item.on:%d.%m.%Y} · {item.case_number} · {item.client}\n{item.text}"


class Section(QGroupBox):
    """A titled list with its count; activating an entry opens its case."""

    def __init__(self, title: str, empty_text: str, name: str) -> None:
        super().__init__()
        self.title_text = title
        self._empty = empty_text
        self.setObjectName(name)
        self.list = QListWidget()
        self.list.setObjectName(name + "List")
        self.list.setTabKeyNavigation(False)
        self.list.setAccessibleName(title)
        self.list.setMinimumHeight(150)
        # Whole lines: entries wrap at the list's width (no "…", no sideways scroll), so the
        # rows differ in height and are laid out again when the list is resized.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setAlternatingRowColors(True)  # where one two-line entry ends
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.list)
        self.set_count(None)

    def set_count(self, count: int | None, unit: str = "") -> None:
        text = (self.title_text if count is None
                else f"{self.title_text} ({count_text(count)}{unit})")
        self.setTitle(text)
        self.list.setAccessibleName(text)

    def clear(self) -> None:
        self.list.clear()
        self.set_count(None)

    def _note(self, text: str) -> None:
        note = QListWidgetItem(text)
        note.setFlags(Qt.ItemFlag.NoItemFlags)
        self.list.addItem(note)

    def set_entries(self, entries: list[tuple[str, TodayItem | None, int, str]],
                    total: int | None = None, cases: int | None = None) -> None:
        """``entries``: (text, item, case id, section); ``total`` when more exist than are
        listed; ``cases`` instead when only the number of cases behind the entries is known."""
        row = max(self.list.currentRow(), 0)
        self.list.clear()
        for text, item, case_id, section in entries[:LIST_LIMIT]:
            entry = QListWidgetItem(text)
            entry.setToolTip(text)
            entry.setData(TARGET_ROLE, (case_id, section))
            entry.setData(ITEM_ROLE, item)
            self.list.addItem(entry)
        listed = self.list.count()
        count = len(entries) if total is None else total
        listed_cases = len({case_id for _, _, case_id, _ in entries[:LIST_LIMIT]})
        if cases is not None and cases > listed_cases:
            self._note(f"… weitere in {GERMAN.toString(cases - listed_cases)} Fällen "
                       "(unter „Fälle“ mit Frist „überfällig“ filtern)")
        elif count > COUNT_CAP:
            self._note("… und viele weitere (in der Fallliste filtern)")
        elif count > listed:
            self._note(f"… und {GERMAN.toString(count - listed)} weitere "
                       "(in der Fallliste filtern)")
        if count == 0:
            self._note(self._empty)
        else:  # keyboard users start at the top (or where they were); nothing looks selected
            self.list.setCurrentRow(min(row, listed - 1),
                                    QItemSelectionModel.SelectionFlag.NoUpdate)
        if cases is not None:
            self.set_count(cases, " Fall" if cases == 1 else " Fälle")
        else:
            self.set_count(count)

    def current(self) -> TodayItem | None:
        entry = self.list.currentItem()
        item = None if entry is None else entry.data(ITEM_ROLE)
        return item if isinstance(item, TodayItem) else None
