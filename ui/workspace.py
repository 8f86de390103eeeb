"""The unlocked workspace: fixed pages and case files as tabs, keyboard first.

It owns every widget that shows personal data, so locking simply throws it away; its
``drafts()`` / ``restore()`` carry unsaved input and open case files across a lock.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QTabWidget, QWidget

from ui.context import AppContext
from ui.contracts import AbstractWidget


class Page(StrEnum):
    """The fixed pages of the workspace, in tab order (Ctrl+1 … Ctrl+5)."""

    TODAY = "today"
    CASES = "cases"
    DIRECTORY = "directory"
    GAPS = "gaps"
    SETTINGS = "settings"


class CaseTab(AbstractWidget):
    """What the workspace needs of a case file: its id, its title, a section to show and the
    unsaved input it carries across a lock (abstract: enforced by mypy and at run time)."""

    title_changed = Signal(str)

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id

    @abstractmethod
    def show_section(self, code: str) -> None: ...

    @abstractmethod
    def has_unsaved_changes(self) -> bool: ...

    @abstractmethod
    def draft_state(self) -> dict[str, Any]:
        """Unsaved input by section, JSON-safe; empty when there is none."""

    @abstractmethod
    def restore_draft(self, state: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class PageSpec:
    code: Page
    label: str  # with & mnemonic
    factory: Callable[[AppContext], QWidget]


def ask_discard(parent: QWidget, title: str) -> bool:
    answer = QMessageBox.question(
        parent, "Ungespeicherte Änderungen",
        f"In „{title}“ gibt es ungespeicherte Eingaben. Schließen und die Eingaben verwerfen?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Discard


class Workspace(QTabWidget):
    """``eager`` pages are built at once (the first tab and the case list, which preloads);
    the others when first opened, so unlocking builds and reads only what is needed now."""

    page_created = Signal(str, QWidget)  # code (a Page), page: for links between pages

    def __init__(self, ctx: AppContext, pages: list[PageSpec],
                 case_factory: Callable[[AppContext, int, str], CaseTab],
                 confirm_discard: Callable[[QWidget, str], bool] = ask_discard,
                 eager: frozenset[Page] = frozenset({Page.CASES})) -> None:
        super().__init__()
        self.setObjectName("workspace")
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.ctx = ctx
        self._case_factory = case_factory
        self._confirm = confirm_discard
        self._specs = pages
        self.pages: dict[Page, QWidget] = {}
        for i, spec in enumerate(pages):
            if i == 0 or spec.code in eager:
                page = self.pages[spec.code] = spec.factory(ctx)
            else:
                page = QWidget()  # placeholder until first opened
            self.addTab(page, spec.label.replace("&", ""))
            self.tabBar().setTabButton(i, self.tabBar().ButtonPosition.RightSide, None)
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self,
                      lambda idx=i: self.setCurrentIndex(idx))
        self._fixed = len(pages)
        self.tabCloseRequested.connect(self.close_tab)
        self.currentChanged.connect(self._focus_page)
        QShortcut(QKeySequence("Ctrl+W"), self, lambda: self.close_tab(self.currentIndex()))
        ctx.case_open_requested.connect(self.open_case)

    def announce_pages(self) -> None:
        """Emit ``page_created`` for the pages built so far (after the owner connected)."""
        for code, page in self.pages.items():
            self.page_created.emit(code, page)

    def page(self, code: Page) -> QWidget:
        """The fixed page ``code``, built now if it was not opened yet."""
        if code not in self.pages:
            index = next(i for i, spec in enumerate(self._specs) if spec.code == code)
            spec, placeholder = self._specs[index], self.widget(index)
            current = self.currentIndex()
            page = spec.factory(self.ctx)
            self.pages[code] = page
            self.blockSignals(True)  # the swap is not a tab change
            self.removeTab(index)
            self.insertTab(index, page, spec.label.replace("&", ""))
            self.tabBar().setTabButton(index, self.tabBar().ButtonPosition.RightSide, None)
            self.setCurrentIndex(current)
            self.blockSignals(False)
            if placeholder is not None:
                placeholder.deleteLater()
            self.page_created.emit(code, page)
        return self.pages[code]

    def _focus_page(self, index: int) -> None:
        """Switching to a page puts the keyboard where work starts (a page's focus proxy: the
        search on "Fälle", which selects its text when focused this way)."""
        if 0 <= index < self._fixed:
            self.page(self._specs[index].code)
        page = self.widget(index)
        if page is not None:
            page.setFocus(Qt.FocusReason.TabFocusReason)

    def case_tabs(self) -> list[CaseTab]:
        tabs = (self.widget(i) for i in range(self._fixed, self.count()))
        return [tab for tab in tabs if isinstance(tab, CaseTab)]

    def open_case(self, case_id: int, section: str = "") -> None:
        for existing in self.case_tabs():
            if existing.case_id == case_id:
                self.setCurrentWidget(existing)
                existing.show_section(section)
                return
        tab = self._case_factory(self.ctx, case_id, section)  # built at that section
        index = self.addTab(tab, "Fallakte …")
        tab.title_changed.connect(lambda text, t=tab: self.setTabText(self.indexOf(t), text))
        self.setCurrentIndex(index)
        tab.show_section(section)
        tab.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_tab(self, index: int) -> bool:
        tab = self.widget(index)
        if index < self._fixed or not isinstance(tab, CaseTab):
            return False
        if tab.has_unsaved_changes() and not self._confirm(self, self.tabText(index)):
            return False
        self.removeTab(index)
        tab.deleteLater()
        return True

    def drafts(self) -> dict[str, Any]:
        """Open case files, the current tab and every unsaved input (sealed by the caller)."""
        cases = self.case_tabs()
        return {
            "open_cases": [t.case_id for t in cases],
            "current": self.currentIndex(),
            "drafts": {str(t.case_id): d for t in cases if (d := t.draft_state())},
        }

    def restore(self, state: dict[str, Any]) -> None:
        for case_id in state.get("open_cases", []):
            self.open_case(int(case_id))
        by_id = {str(t.case_id): t for t in self.case_tabs()}
        for case_id, draft in (state.get("drafts") or {}).items():
            if case_id in by_id and isinstance(draft, dict):
                by_id[case_id].restore_draft(draft)
        current = state.get("current")
        if isinstance(current, int) and 0 <= current < self.count():
            self.setCurrentIndex(current)
