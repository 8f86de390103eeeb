"""What the main window holds for the exchange: the "Abgleich" menu with "Jetzt
synchronisieren" (F5), the sync line in the status bar, and the controller from unlock to lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from ui.sync.status_bar import SyncStatusBar

if TYPE_CHECKING:
    from ui.context import AppContext
    from ui.sync.controller import SyncController
    from ui.workspace import Workspace

SYNC_KEY = "F5"
LOCKED_DE = "Zum Abgleichen entsperren Sie bitte zuerst Lotse."
OPEN_CASEWORK_DE = "Abgleich öffnen: Konflikte, Eingang, geteilte Fälle"
OPEN_STEERING_DE = "Abgleich öffnen: Eingang (wartende und abgewiesene Berichte)"


class SyncShell:
    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.widget = SyncStatusBar()
        window.statusBar().addPermanentWidget(self.widget)
        self.controller: SyncController | None = None
        self.workspace: Workspace | None = None
        # No mnemonic on the menu: Alt+A is taken by "Abbrechen" buttons in many forms.
        menu = window.menuBar().addMenu("Abgleich")
        menu.setObjectName("syncMenu")
        self.sync_action = QAction("Jetzt &synchronisieren", window)
        self.sync_action.setObjectName("syncNowAction")
        self.sync_action.setShortcut(QKeySequence(SYNC_KEY))
        self.sync_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.sync_action.triggered.connect(self.sync_now)
        self.open_action = QAction("Abgleich &öffnen", window)
        self.open_action.triggered.connect(self.open_page)
        self.settings_action = QAction("Austauschordner und Schlüsselkarten …", window)
        self.settings_action.triggered.connect(self.open_settings)
        for action in (self.sync_action, self.open_action, self.settings_action):
            menu.addAction(action)
        window.addAction(self.sync_action)  # F5 works while the menu is hidden, too
        self.menu = menu
        self.widget.open_requested.connect(self.open_page)
        # A menu above the unlock page would only say "locked": it appears with the workspace.
        self.menu.menuAction().setVisible(False)

    def unlocked(self, ctx: AppContext, workspace: Workspace) -> None:
        """In a steering committee's vault (``ctx.steering``) the Abgleich page holds only
        Eingang and the line counts no conflicts."""
        from ui.sync.controller import SyncController  # the database stack is loaded by now

        self.workspace = workspace
        self.widget.line.setToolTip(OPEN_STEERING_DE if ctx.steering else OPEN_CASEWORK_DE)
        self.controller = SyncController(ctx, self.widget, self._say, self.window)
        self.menu.menuAction().setVisible(True)
        self.controller.start()

    def locked(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller.deleteLater()
            self.controller = None
        self.workspace = None
        self.widget.show_idle()
        self.widget.hide()
        self.menu.menuAction().setVisible(False)

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 15000)

    def sync_now(self) -> bool:
        if self.controller is None:
            self._say(LOCKED_DE)
            return False
        return self.controller.sync_now()

    def open_page(self) -> None:
        from ui.workspace import Page

        if self.workspace is not None:
            self.workspace.show_page(Page.SYNC)

    def open_settings(self) -> None:
        from ui.settings.page import SettingsPage
        from ui.workspace import Page

        if self.workspace is not None:
            self.workspace.show_page(Page.SETTINGS)
            page = self.workspace.page(Page.SETTINGS)
            if isinstance(page, SettingsPage):
                page.tabs.setCurrentWidget(page.exchange_tab)
