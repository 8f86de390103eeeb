"""The Abgleich page (Ctrl+8): Konflikte, Eingang, Geteilte Fälle; Berichte in a steering
committee's vault. Each tab reads the vault when shown and again when a change concerns the
exchange."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.changes import Changes, Kind
from ui.context import AppContext
from ui.sync.conflicts_tab import ConflictsTab
from ui.sync.inbox_tab import InboxTab
from ui.sync.reports_tab import add_reports_tab
from ui.sync.shares_tab import SharesTab


class SyncPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("syncPage")
        self.conflicts = ConflictsTab(ctx)
        self.inbox = InboxTab(ctx)
        self.shares = SharesTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("syncTabs")
        self.tabs.addTab(self.conflicts, "&Konflikte")
        self.tabs.addTab(self.inbox, "&Eingang")
        self.tabs.addTab(self.shares, "Geteilte &Fälle")
        add_reports_tab(ctx, self.tabs)  # loads itself when shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.setFocusProxy(self.tabs)
        self._stale = {self.conflicts, self.inbox, self.shares}
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)  # several change signals, one reload
        self._reload_timer.timeout.connect(self._reload_visible)
        self.tabs.currentChanged.connect(self._tab_changed)
        ctx.changes.connect(self._on_changes)
        self._reload_visible()

    def _tab_changed(self, _index: int) -> None:
        self._reload_visible(only_stale=True)

    def _reload_visible(self, *, only_stale: bool = False) -> None:
        current = self.tabs.currentWidget()
        if only_stale and current not in self._stale:
            return
        self._stale.discard(current)
        if isinstance(current, ConflictsTab | InboxTab | SharesTab):
            current.reload()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Kind.SYNC, Kind.CASE):
            self._stale = {self.conflicts, self.inbox, self.shares}
            self._reload_timer.start()

    def show_conflicts(self, case_uuid: str = "") -> None:
        """From a case file's "offene Konflikte": the Konflikte tab, filtered to the case."""
        self._stale.discard(self.conflicts)
        self.tabs.setCurrentWidget(self.conflicts)
        self.conflicts.show_case(case_uuid)
        self.conflicts.table.setFocus()

    # -- typed input across a lock (ui.page_hosts.PageDraftHost) ------------------------------

    def page_draft(self) -> dict[str, Any] | None:
        draft = self.conflicts.draft_state()
        return {"conflicts": draft} if draft is not None else None

    def restore_page_draft(self, state: dict[str, Any]) -> None:
        draft = state.get("conflicts")
        if isinstance(draft, dict):
            self._stale.discard(self.conflicts)  # restore_draft reads the list itself
            self.tabs.setCurrentWidget(self.conflicts)
            self.conflicts.restore_draft(draft)
