"""The workspace across a lock: what it hands over to be sealed (open case files, their
sections, what is shown, the field the keyboard is in, every unsaved input of case files, pages
and conference windows) and how it comes back after unlocking.

A mixin of ``ui.workspace.Workspace``, kept apart for size; it relies on the workspace's pages
and case tabs declared below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QStackedWidget, QWidget

from ui import focus_path
from ui.page_hosts import CaseTab, Page, PageDraftHost, PageSpec


class WorkspaceState:
    if TYPE_CHECKING:  # the workspace's own, declared for the type checker only
        _specs: list[PageSpec]
        pages: dict[Page, QWidget]
        _page_widgets: list[QWidget]
        _cases: list[CaseTab]
        stack: QStackedWidget

        def case_tabs(self) -> list[CaseTab]: ...
        def current_page(self) -> Page | None: ...
        def page(self, code: Page) -> QWidget: ...
        def show_page(self, code: Page) -> None: ...
        def open_case(self, case_id: int, section: str = "") -> None: ...
        def _activate_case(self, tab: CaseTab) -> None: ...
        def _index_of_page(self, widget: QWidget) -> int: ...
        def _open_conferences(self) -> list[dict[str, Any]]: ...
        def _reopen_conference(self, state: dict[str, Any]) -> None: ...

    def _where(self) -> str | None:
        current = self.stack.currentWidget()
        if isinstance(current, CaseTab) and current in self._cases:
            return f"case:{current.case_id}"
        page = self.current_page()
        return f"page:{page}" if page is not None else None

    def drafts(self) -> dict[str, Any]:
        """Open case files with their sections, what is shown, the field the keyboard is in
        and every unsaved input (sealed by the caller)."""
        cases = self.case_tabs()
        state: dict[str, Any] = {
            "open_cases": [t.case_id for t in cases],
            "sections": {str(t.case_id): t.section_code() for t in cases},
            "current": self._where(),
            "drafts": {str(t.case_id): d for t in cases if (d := t.draft_state())},
        }
        conferences = self._open_conferences()
        if conferences:  # their windows close with the workspace and reopen after unlocking
            state["conferences"] = conferences
        pages = {str(code): draft for code, page in self.pages.items()
                 if isinstance(page, PageDraftHost) and (draft := page.page_draft())}
        if pages:
            state["pages"] = pages
        current = self.stack.currentWidget()
        # The widget's own record of its focused child, not the application's: a lock on the
        # screen locking comes when the window is no longer active and has no focus widget.
        path = focus_path.path_of(current, current.focusWidget()) if current else None
        if path:
            state["focus"] = path
        return state

    def restore(self, state: dict[str, Any]) -> None:
        sections = state.get("sections") or {}
        for case_id in state.get("open_cases", []):
            section = sections.get(str(case_id), "") if isinstance(sections, dict) else ""
            self.open_case(int(case_id), section if isinstance(section, str) else "")
        by_id = {str(t.case_id): t for t in self.case_tabs()}
        for case_id, draft in (state.get("drafts") or {}).items():
            if case_id in by_id and isinstance(draft, dict):
                by_id[case_id].restore_draft(draft)
        conferences = state.get("conferences")
        if isinstance(conferences, list):
            for conference in conferences:
                if isinstance(conference, dict):
                    self._reopen_conference(conference)
        pages = state.get("pages")
        codes = {str(spec.code) for spec in self._specs}
        for code, draft in (pages.items() if isinstance(pages, dict) else ()):
            page = self.page(Page(code)) if code in codes else None
            if isinstance(page, PageDraftHost) and isinstance(draft, dict):
                page.restore_page_draft(draft)
        target = self._target(state.get("current"))
        if target is None:
            return
        if isinstance(target, CaseTab):
            self._activate_case(target)
        else:
            self.show_page(Page(self._specs[self._index_of_page(target)].code))
        path = state.get("focus")
        if isinstance(path, list) and all(isinstance(step, str) for step in path):
            focus_path.refocus(target, path)

    def _target(self, where: object) -> QWidget | None:
        if isinstance(where, int):  # written before pages and cases had bars of their own
            cases = where - len(self._specs)
            return (self._page_widgets[where] if 0 <= where < len(self._specs)
                    else self._cases[cases] if 0 <= cases < len(self._cases) else None)
        if not isinstance(where, str):
            return None
        kind, _, key = where.partition(":")
        if kind == "case":
            return next((t for t in self._cases if str(t.case_id) == key), None)
        if kind == "page":
            return next((self.page(s.code) for s in self._specs if s.code == key), None)
        return None
