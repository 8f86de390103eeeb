"""Pages that read their data the first time they are shown, not when the workspace is built.

Unlocking builds every page at once; only the visible one needs its data then. The others
would otherwise queue their reads on the one database thread in front of what the caseworker
asks for next.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class LoadOnFirstShow(QWidget):
    """Subclasses implement ``refresh()``; it runs at the first show, later on demand."""

    _shown_once = False

    def refresh(self) -> None:
        raise NotImplementedError

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            self.refresh()
