"""The sync line in the main window's status bar, for the window's whole life: the status, and
while a run goes a progress bar with "Abbrechen". Qt only: the window builds it before the
database stack is loaded."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

STARTED_DE = "Abgleich läuft …"


class SyncStatusBar(QWidget):
    """The sync line in the status bar; a click (or Enter on it) opens the Abgleich page."""

    open_requested = Signal()
    cancel_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("syncStatusBar")
        self.line = QPushButton("")
        self.line.setObjectName("syncStatus")
        self.line.setFlat(True)
        self.line.setToolTip("Abgleich öffnen")  # what it holds: per vault (ui.sync.shell)
        self.line.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.line.clicked.connect(self.open_requested)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Fortschritt des Abgleichs")
        self.bar.setMaximumWidth(160)
        self.cancel = QPushButton("Abbrechen")  # no mnemonic: Alt+A belongs to the pages
        self.cancel.setObjectName("syncCancel")
        self.cancel.setAccessibleName("Abgleich abbrechen")
        self.cancel.setToolTip("Abgleich abbrechen (nach dem laufenden Bündel)")
        self.cancel.clicked.connect(self.cancel_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line)
        row.addWidget(self.bar)
        row.addWidget(self.cancel)
        self.show_idle()
        self.hide()  # nothing to say before unlocking

    def text(self) -> str:
        return self.line.text()

    def show_line(self, text: str) -> None:
        self.line.setText(text)
        self.line.setAccessibleName(f"Abgleich: {text}")
        self.show()

    def show_running(self) -> None:
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel.setEnabled(True)
        self.cancel.show()
        self.line.setText(STARTED_DE)

    def report(self, done: int, total: int, line: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if line:
            self.line.setText(f"{STARTED_DE} {line}")

    def show_idle(self) -> None:
        self.bar.hide()
        self.cancel.hide()
