"""The unlocked workspace: fixed pages and case files as tabs, keyboard first.

It owns every widget that shows personal data, so locking simply throws it away; its
``drafts()`` / ``restore()`` carry unsaved input and open case files across a lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QTabWidget, QWidget

from ui.context import AppContext


class CaseTab(Protocol):
    case_id: int

    def show_section(self, code: str) -> None: ...
    def has_unsaved_changes(self) -> bool: ...
    def draft_state(self) -> dict[str, Any] | None: ...
    def restore_draft(self, state: dict[str, Any]) -> None: ...


@dataclass(frozen=True)
class PageSpec:
    code: str
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

    page_created = Signal(str, QWidget)  # code, page: for links between pages

    def __init__(self, ctx: AppContext, pages: list[PageSpec],
                 case_factory: Callable[[AppContext, int], QWidget],
                 confirm_discard: Callable[[QWidget, str], bool] = ask_discard,
                 eager: frozenset[str] = frozenset({"cases"})) -> None:
        super().__init__()
        self.setObjectName("workspace")
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.ctx = ctx
        self._case_factory = case_factory
        self._confirm = confirm_discard
        self._specs = pages
        self.pages: dict[str, QWidget] = {}
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

    def page(self, code: str) -> QWidget:
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
        """Switching to a page puts the keyboard where work starts (the search on "Fälle")."""
        if 0 <= index < self._fixed:
            self.page(self._specs[index].code)
        page = self._tab(index)
        focus = getattr(page, "focus_search", None)
        if callable(focus):
            focus()
        elif page is not None:
            page.setFocus(Qt.FocusReason.TabFocusReason)

    def _tab(self, index: int) -> Any:
        # Case tabs are duck-typed (CaseTab); Qt only knows them as QWidget.
        return self.widget(index)

    def case_tabs(self) -> list[CaseTab]:
        return [self._tab(i) for i in range(self._fixed, self.count())]

    def open_case(self, case_id: int, section: str = "") -> None:
        for i in range(self._fixed, self.count()):
            existing = self._tab(i)
            if getattr(existing, "case_id", None) == case_id:
                self.setCurrentIndex(i)
                existing.show_section(section)
                return
        tab: Any = self._case_factory(self.ctx, case_id)
        index = self.addTab(tab, "Fallakte …")
        title_changed = getattr(tab, "title_changed", None)
        if title_changed is not None:
            title_changed.connect(lambda text, t=tab: self.setTabText(self.indexOf(t), text))
        self.setCurrentIndex(index)
        tab.show_section(section)
        tab.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_tab(self, index: int) -> bool:
        if index < self._fixed:
            return False
        tab = self._tab(index)
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
