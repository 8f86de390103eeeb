"""The demo vault says so on every screen: a banner above every page and case tab, so no one
types a real person's data into a vault whose passphrase is printed on its unlock screen.

It sits in a non-movable tool bar of the main window (above the central widget, whatever the
workspace shows) and goes away with the lock; the next unlock asks the store again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar

if TYPE_CHECKING:
    from ui.context import AppContext

TEXT = "Demo-Tresor – nur erfundene Daten, keine echten Daten eingeben"


class DemoBanner(QToolBar):
    def __init__(self) -> None:
        super().__init__("Demo-Hinweis")
        self.setObjectName("demoBanner")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setEnabled(False)  # no context menu entry hides it
        self.label = QLabel(TEXT)
        self.label.setObjectName("demoBannerText")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAccessibleName(TEXT)
        self.label.setStyleSheet("background: #fff3cd; color: #5c4400; font-weight: bold; "
                                 "padding: 4px;")
        self.addWidget(self.label)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)


def install_demo_banner(window: QMainWindow, ctx: AppContext) -> None:
    """Ask the store whether it holds demo data; if so, show the banner until the lock."""
    from app.about import holds_demo_data  # the core is loaded by now (unlocked)

    def shown(demo: bool) -> None:
        if not demo:
            return
        banner = DemoBanner()
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)  # a row of its own, full width
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, banner)

        def remove() -> None:
            window.removeToolBar(banner)
            banner.deleteLater()

        ctx.locked.connect(remove)

    ctx.run(holds_demo_data, shown)


def demo_banner(window: QMainWindow) -> DemoBanner | None:
    """The banner currently shown (tests, and the orientation that mentions it)."""
    return window.findChild(DemoBanner, "demoBanner")
