"""The page "Bescheinigungen": the register of every certificate this vault issued (tab
"Register") and the staff training records with the DGCC criteria (tab "Fortbildung")."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ui.certificates.register import RegisterTab
from ui.certificates.training import TrainingTab
from ui.context import AppContext


class CertificatesPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("certificatesPage")
        self.register = RegisterTab(ctx)
        self.training = TrainingTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("certificateTabs")
        self.tabs.addTab(self.register, "&Register")
        self.tabs.addTab(self.training, "Fort&bildung")
        self.tabs.currentChanged.connect(self._tab_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        # Ctrl+6 puts the keyboard into the search of the register, as on "Fälle".
        self.setFocusProxy(self.register)
        find = QShortcut(QKeySequence("Ctrl+F"), self, self.focus_search)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.register)
        self.register.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.register.search.selectAll()

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.training:
            self.training.refresh()
