"""The workspace's tab bars: one for the fixed pages, one for the open case files."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QStyle, QStyleOptionTab, QStylePainter, QTabBar


class NavBar(QTabBar):
    """A tab bar that can be "inactive": it then draws no tab as selected, because the page or
    case shown belongs to the other bar (a QTabBar always has a current tab)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAccessibleName(name)
        self.setDocumentMode(True)
        self.setExpanding(False)
        self.setDrawBase(False)
        self.active = True
        self.min_tab_width = 0

    def minimumTabSizeHint(self, index: int) -> QSize:
        """Elide a long title only down to a readable width ("Öztürk, A. – DO…"); past that
        the bar scrolls, and the cases menu lists them all."""
        size = super().minimumTabSizeHint(index)
        natural = self.tabSizeHint(index).width()
        return QSize(max(size.width(), min(natural, self.min_tab_width)), size.height())

    def set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.active:
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        for index in range(self.count()):
            option = QStyleOptionTab()
            self.initStyleOption(option, index)
            option.state &= ~QStyle.StateFlag.State_Selected
            painter.drawControl(QStyle.ControlElement.CE_TabBarTab, option)
