"""A progress bar with an "Abbrechen" button, visible only while long work runs."""

from __future__ import annotations

import threading

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget


class ProgressRow(QWidget):
    cancel_requested = Signal()

    def __init__(self, progress_name: str, cancel_name: str) -> None:
        super().__init__()
        self.bar = QProgressBar()
        self.bar.setAccessibleName(progress_name)
        self.cancel_button = QPushButton("&Abbrechen")
        self.cancel_button.setAccessibleName(cancel_name)
        self.cancel_button.setToolTip(cancel_name)
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self._stop: threading.Event | None = None
        self._focus_was_here = False  # disabling the pressed button moves the focus away
        self.hide()  # hidden widgets are out of the focus chain: nothing to cancel, no button

    @property
    def cancelled(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    def start(self) -> threading.Event:
        """Show the row; the returned flag is what the worker thread asks (never the widgets)."""
        self._stop = threading.Event()
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()
        # The start button is disabled now; keep the keyboard focus where it can act.
        self.cancel_button.setFocus()
        return self._stop

    def report(self, done: int, total: int) -> None:
        self.bar.setRange(0, total)
        self.bar.setValue(done)

    def finish(self, focus: QWidget) -> None:
        """Hide the row; a keyboard user who was on "Abbrechen" lands on ``focus`` again."""
        had_focus = self.cancel_button.hasFocus() or self._focus_was_here
        self._stop, self._focus_was_here = None, False
        self.hide()
        if had_focus:
            focus.setFocus()

    def cancel(self) -> None:
        if self._stop is not None:
            self._stop.set()
            self._focus_was_here = self.cancel_button.hasFocus()
            self.cancel_button.setEnabled(False)  # pressed once is enough; work stops soon
            self.cancel_requested.emit()

