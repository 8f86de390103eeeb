"""Staff training (Fortbildung): placeholder until the training tab is built (issue 11)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.context import AppContext


class TrainingTab(QWidget):
    """The "Fortbildung" tab of the Bescheinigungen page: per case manager the modules, the
    DGCC criteria with what is missing, and the training certificate once complete."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx

    def refresh(self) -> None:
        """Reload from the vault (the page calls it when shown)."""
