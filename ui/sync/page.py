"""The Abgleich page (Ctrl+8): Konflikte, Eingang, Geteilte Fälle. In a steering committee's
vault only Eingang (reports waiting for trust, or refused): it never holds a case, so it has
neither conflicts nor shares, and its reports are a page of their own (``ui.pages``). Each tab
reads the vault when shown and again when a change concerns the exchange."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.changes import Changes, Kind
from ui.context import AppContext
from ui.sync.conflicts_tab import ConflictsTab
from ui.sync.inbox_tab import InboxTab
from ui.sync.shares_tab import SharesTab


class SyncPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        steering = ctx.steering  # a steering committee's vault: Eingang only
        self.setObjectName("syncPage")
        self.conflicts: ConflictsTab | None = None if steering else ConflictsTab(ctx)
        self.inbox = InboxTab(ctx)
        self.shares: SharesTab | None = None if steering else SharesTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("syncTabs")
        if self.conflicts is not None:
            self.tabs.addTab(self.conflicts, "&Konflikte")
        self.tabs.addTab(self.inbox, "&Eingang")
        if self.shares is not None:
            self.tabs.addTab(self.shares, "Geteilte &Fälle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.setFocusProxy(self.tabs)
        self._stale = self._tabs()
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(0)  # several change signals, one reload
        self._reload_timer.timeout.connect(self._reload_visible)
        self.tabs.currentChanged.connect(self._tab_changed)
        ctx.changes.connect(self._on_changes)
        self._reload_visible()

    def _tabs(self) -> set[QWidget]:
        return {tab for tab in (self.conflicts, self.inbox, self.shares) if tab is not None}

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
            self._stale = self._tabs()
            self._reload_timer.start()

    def show_conflicts(self, case_uuid: str = "") -> None:
        """From a case file's "offene Konflikte": the Konflikte tab, filtered to the case."""
        if self.conflicts is None:
            return
        self._stale.discard(self.conflicts)
        self.tabs.setCurrentWidget(self.conflicts)
        self.conflicts.show_case(case_uuid)
        self.conflicts.table.setFocus()

    # -- typed input across a lock (ui.page_hosts.PageDraftHost) ------------------------------

    def page_draft(self) -> dict[str, Any] | None:
        if self.conflicts is None:
            return None
        draft = self.conflicts.draft_state()
        return {"conflicts": draft} if draft is not None else None

    def restore_page_draft(self, state: dict[str, Any]) -> None:
        draft = state.get("conflicts")
        if isinstance(draft, dict) and self.conflicts is not None:
            self._stale.discard(self.conflicts)  # restore_draft reads the list itself
            self.tabs.setCurrentWidget(self.conflicts)
            self.conflicts.restore_draft(draft)

