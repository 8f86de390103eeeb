"""The unlocked workspace: fixed pages and case files as tabs, keyboard first.

The pages (Heute, Fälle, …) sit in a bar of their own at the left of the top row and never
move; the open case files are tabs beside them, scrolling and listed in a menu when there are
many. So fifteen open cases never push a page out of view. Ctrl+1 … Ctrl+8 show a page (one
shortcut per page given: a steering committee's vault has three), Ctrl+Tab / Ctrl+Shift+Tab walk
pages and cases, Ctrl+W closes a case, Ctrl+N starts a new case from wherever the person is
(these two only where there is a case list to open cases from).

It owns every widget that shows personal data, so locking simply throws it away; its
``drafts()`` / ``restore()`` carry unsaved input, open case files, their sections and the
field the keyboard was in across a lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.nav_bar import NavBar
from ui.page_hosts import (
    CaseTab,
    ConferenceHost,
    ConflictsHost,
    GapDraftHost,
    NewCaseHost,
    Page,
    PageSpec,
)
from ui.workspace_state import WorkspaceState


def ask_discard(parent: QWidget, title: str) -> bool:
    answer = QMessageBox.question(
        parent, "Ungespeicherte Änderungen",
        f"In „{title}“ gibt es ungespeicherte Eingaben. Schließen und die Eingaben verwerfen?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Discard


class Workspace(WorkspaceState, QWidget):
    """``eager`` pages are built at once (the first page and the case list, which preloads);
    the others when first opened, so unlocking builds and reads only what is needed now."""

    page_created = Signal(str, QWidget)  # code (a Page), page: for links between pages

    def __init__(self, ctx: AppContext, pages: list[PageSpec],
                 case_factory: Callable[[AppContext, int, str], CaseTab],
                 confirm_discard: Callable[[QWidget, str], bool] = ask_discard,
                 eager: frozenset[Page] = frozenset({Page.CASES})) -> None:
        super().__init__()
        self.setObjectName("workspace")
        self.ctx = ctx
        self._case_factory = case_factory
        self._confirm = confirm_discard
        self._specs = pages
        self.pages: dict[Page, QWidget] = {}
        self._page_widgets: list[QWidget] = []  # by page index: the page or its placeholder
        self._cases: list[CaseTab] = []  # in the order of the case bar

        self.page_bar = NavBar("Seiten")
        self.case_bar = NavBar("Geöffnete Fallakten")
        self.case_bar.setTabsClosable(True)
        self.case_bar.setUsesScrollButtons(True)
        self.case_bar.setElideMode(Qt.TextElideMode.ElideRight)
        self.case_bar.min_tab_width = self.case_bar.fontMetrics().horizontalAdvance(
            "Mustermann, A. – DO") + 40  # name and the start of the case number, and the ×
        self.cases_menu = QToolButton()
        self.cases_menu.setText("Fallakten")
        self.cases_menu.setAccessibleName("Liste der geöffneten Fallakten")
        self.cases_menu.setToolTip("Alle geöffneten Fallakten (Strg+Tab wechselt)")
        self.cases_menu.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.cases_menu.setMenu(QMenu(self.cases_menu))
        self.cases_menu.menu().aboutToShow.connect(self._fill_cases_menu)
        self.cases_menu.setEnabled(False)
        self.stack = QStackedWidget()

        for i, spec in enumerate(pages):
            if i == 0 or spec.code in eager:
                page = self.pages[spec.code] = spec.factory(ctx)
            else:
                page = QWidget()  # placeholder until first opened
            self._page_widgets.append(page)
            self.stack.addWidget(page)
            self.page_bar.addTab(spec.label.replace("&", ""))
            self.page_bar.setTabToolTip(i, f"Strg+{i + 1}")
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self,
                      lambda idx=i: self.show_page(self._specs[idx].code))

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(12)
        top.addWidget(self.page_bar)  # its natural width: the pages never get squeezed
        top.addWidget(self.case_bar, 1)
        top.addWidget(self.cases_menu)
        if not self.opens_case_files():  # a steering committee's vault: never a case to show
            self.case_bar.hide()
            self.cases_menu.hide()
            top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self.setTabOrder(self.page_bar, self.case_bar)

        self.page_bar.tabBarClicked.connect(lambda i: self.show_page(self._specs[i].code))
        self.page_bar.currentChanged.connect(self._page_bar_changed)
        self.case_bar.tabBarClicked.connect(self._case_clicked)
        self.case_bar.currentChanged.connect(self._case_bar_changed)
        self.case_bar.tabCloseRequested.connect(self.close_tab)
        if self._page_widgets:
            self._show(self._page_widgets[0])
        QShortcut(QKeySequence("Ctrl+Tab"), self, lambda: self.cycle(1))
        QShortcut(QKeySequence("Ctrl+Shift+Tab"), self, lambda: self.cycle(-1))
        if self.opens_case_files():  # else they would do nothing, yet be listed under F1
            QShortcut(QKeySequence("Ctrl+W"), self, self.close_current)
            # Window-wide: on every page and inside every case tab (and gone with the
            # workspace at lock, so the unlock screen has none).
            QShortcut(QKeySequence("Ctrl+N"), self, self.new_case)
        ctx.case_open_requested.connect(self.open_case)
        # Bound methods, not lambdas: a lambda holding self in a connection to the session's
        # context keeps this workspace alive after the lock (tests/ui/test_garbage.py).
        ctx.conference_open_requested.connect(self._open_conference)
        ctx.gap_draft_requested.connect(self.new_gap)
        ctx.conference_new_requested.connect(self._new_conference)
        ctx.sync_conflicts_requested.connect(self._show_conflicts)

    def opens_case_files(self) -> bool:
        """Whether case files can be opened here: not in a steering committee's vault, which
        has no case list."""
        return any(spec.code == Page.CASES for spec in self._specs)

    def announce_pages(self) -> None:
        """Emit ``page_created`` for the pages built so far (after the owner connected)."""
        for code, page in self.pages.items():
            self.page_created.emit(code, page)

    # --- pages -------------------------------------------------------------------------------

    def _page_index(self, code: Page) -> int:
        return next(i for i, spec in enumerate(self._specs) if spec.code == code)

    def page(self, code: Page) -> QWidget:
        """The fixed page ``code``, built now if it was not opened yet."""
        if code not in self.pages:
            index = self._page_index(code)
            spec, placeholder = self._specs[index], self._page_widgets[index]
            current = self.stack.currentWidget()
            page = spec.factory(self.ctx)
            self.pages[code] = page
            self._page_widgets[index] = page
            self.stack.insertWidget(self.stack.indexOf(placeholder), page)
            self.stack.removeWidget(placeholder)
            if current is placeholder:
                self.stack.setCurrentWidget(page)
            placeholder.deleteLater()
            self.page_created.emit(code, page)
        return self.pages[code]

    def show_page(self, code: Page) -> None:
        """Show a page; the keyboard goes where work starts on it (a page's focus proxy: the
        search on "Fälle", which selects its text when focused this way)."""
        page = self.page(code)
        self._show(page)
        page.setFocus(Qt.FocusReason.TabFocusReason)

    def current_page(self) -> Page | None:
        current = self.stack.currentWidget()
        return next((code for code, page in self.pages.items() if page is current), None)

    def _page_bar_changed(self, index: int) -> None:
        if 0 <= index < len(self._specs):  # arrow keys on the bar (clicks come here too)
            self.show_page(self._specs[index].code)

    # --- what is shown -----------------------------------------------------------------------

    def currentWidget(self) -> QWidget | None:
        return self.stack.currentWidget()

    def setCurrentWidget(self, widget: QWidget) -> None:
        self._show(widget)

    def _show(self, widget: QWidget) -> None:
        """Show a page or case and mark it in its bar; the other bar shows nothing selected."""
        self.stack.setCurrentWidget(widget)
        is_case = isinstance(widget, CaseTab) and widget in self._cases
        self.page_bar.set_active(not is_case)
        self.case_bar.set_active(is_case)
        bar, index = (self.case_bar, self._cases.index(widget)) if is_case and \
            isinstance(widget, CaseTab) else (self.page_bar, self._index_of_page(widget))
        if index >= 0 and bar.currentIndex() != index:
            bar.blockSignals(True)
            bar.setCurrentIndex(index)
            bar.blockSignals(False)

    def _index_of_page(self, widget: QWidget) -> int:
        return next((i for i, w in enumerate(self._page_widgets) if w is widget), -1)

    def cycle(self, step: int) -> None:
        """Ctrl+Tab: the next page or case, pages first, then the cases in their order."""
        order: list[QWidget] = [*self._page_widgets, *self._cases]
        current = self.stack.currentWidget()
        at = next((i for i, w in enumerate(order) if w is current), 0)
        target = order[(at + step) % len(order)]
        index = self._index_of_page(target)
        if index >= 0:
            self.show_page(self._specs[index].code)
        elif isinstance(target, CaseTab):
            self._show(target)
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def new_case(self) -> None:
        """Ctrl+N from any page or case: the new-case form of "Fälle", over what is shown."""
        if self.opens_case_files():
            page = self.page(Page.CASES)
            if isinstance(page, NewCaseHost):
                page.new_case()

    def new_gap(self, description: str) -> None:
        """The gap register's form, prefilled, in the main window (asked from a conference)."""
        if any(spec.code == Page.GAPS for spec in self._specs):
            page = self.page(Page.GAPS)
            self.show_page(Page.GAPS)
            self.window().raise_()
            self.window().activateWindow()
            if isinstance(page, GapDraftHost):
                page.start_new(description)

    def _show_conflicts(self, case_uuid: str) -> None:
        if any(spec.code == Page.SYNC for spec in self._specs):
            page = self.page(Page.SYNC)
            self.show_page(Page.SYNC)
            if isinstance(page, ConflictsHost):
                page.show_conflicts(case_uuid)

    def _open_conference(self, uuid: str) -> None:
        self._conference_host(lambda host: host.open_conference(uuid))

    def _new_conference(self, case_id: int) -> None:
        self._conference_host(lambda host: host.new_conference(case_id))

    def _conference_host(self, act: Callable[[ConferenceHost], None]) -> None:
        if any(spec.code == Page.CONFERENCES for spec in self._specs):
            page = self.page(Page.CONFERENCES)
            if isinstance(page, ConferenceHost):
                act(page)

    def _reopen_conference(self, state: dict[str, Any]) -> None:
        def reopen(host: ConferenceHost) -> None:
            host.restore_conference(state)

        self._conference_host(reopen)

    def _open_conferences(self) -> list[dict[str, Any]]:
        page = self.pages.get(Page.CONFERENCES)
        return page.open_conferences() if isinstance(page, ConferenceHost) else []

    # --- case files --------------------------------------------------------------------------

    def case_tabs(self) -> list[CaseTab]:
        return list(self._cases)

    def _case_clicked(self, index: int) -> None:
        if 0 <= index < len(self._cases):
            self._show(self._cases[index])

    def _case_bar_changed(self, index: int) -> None:
        if 0 <= index < len(self._cases):
            self._show(self._cases[index])

    def _fill_cases_menu(self) -> None:
        menu = self.cases_menu.menu()
        menu.clear()
        for index, tab in enumerate(self._cases):
            action = menu.addAction(self.case_bar.tabText(index))
            action.triggered.connect(lambda _c=False, t=tab: self._activate_case(t))

    def _activate_case(self, tab: CaseTab) -> None:
        if tab in self._cases:
            self._show(tab)
            tab.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_case(self, case_id: int, section: str = "") -> None:
        for existing in self._cases:
            if existing.case_id == case_id:
                self._show(existing)
                existing.show_section(section)
                return
        tab = self._case_factory(self.ctx, case_id, section)  # built at that section
        self._cases.append(tab)
        self.stack.addWidget(tab)
        self.case_bar.blockSignals(True)
        index = self.case_bar.addTab("Fallakte …")
        self.case_bar.blockSignals(False)
        self.case_bar.setTabToolTip(index, "Fallakte (Strg+W schließt)")
        self.cases_menu.setEnabled(True)
        tab.title_changed.connect(lambda text, t=tab: self._retitle(t, text))
        self._show(tab)
        tab.show_section(section)
        tab.setFocus(Qt.FocusReason.OtherFocusReason)

    def _retitle(self, tab: CaseTab, text: str) -> None:
        if tab in self._cases:
            index = self._cases.index(tab)
            self.case_bar.setTabText(index, text)
            self.case_bar.setTabToolTip(index, f"{text} (Strg+W schließt)")

    def close_current(self) -> bool:
        current = self.stack.currentWidget()
        if isinstance(current, CaseTab) and current in self._cases:
            return self.close_tab(self._cases.index(current))
        return False

    def close_tab(self, index: int) -> bool:
        """Close the case at ``index`` of the case bar (asks first if input is unsaved)."""
        if not 0 <= index < len(self._cases):
            return False
        tab = self._cases[index]
        if tab.has_unsaved_changes() and not self._confirm(self, self.case_bar.tabText(index)):
            return False
        was_current = self.stack.currentWidget() is tab
        self._cases.pop(index)
        self.case_bar.blockSignals(True)
        self.case_bar.removeTab(index)
        self.case_bar.blockSignals(False)
        self.stack.removeWidget(tab)
        tab.deleteLater()
        self.cases_menu.setEnabled(bool(self._cases))
        if was_current:  # the neighbouring case, or the case list the person came from
            if self._cases:
                neighbour = self._cases[min(index, len(self._cases) - 1)]
                self._show(neighbour)
                neighbour.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self.show_page(Page.CASES if Page.CASES in {s.code for s in self._specs}
                               else self._specs[0].code)
        return True


__all__ = ["Page", "PageSpec", "Workspace", "ask_discard"]
