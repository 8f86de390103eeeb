"""Cyclic garbage is collected on the GUI thread only.

Python's collector runs on whichever thread happens to allocate. When that is a database worker
and the garbage holds a closed widget (a widget and a lambda connected to it form a cycle), Qt
destroys the widget off the GUI thread and the process crashes. So automatic collection is
switched off and the GUI thread collects on a timer, with Python's own generation thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Owns garbage collection while it lives; create it on the GUI thread."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(interval_ms)

    def collect_due(self) -> int | None:
        """Collect the oldest generation over its threshold, as the automatic collector would;
        returns the generation collected, or None when nothing was due."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if self._thresholds[generation] and counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return generation
        return None

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
