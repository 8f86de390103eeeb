"""Cyclic garbage is collected on the GUI thread only.

Python's collector runs on whichever thread happens to allocate. When that is a database worker
and the garbage holds a closed widget (a widget and a lambda connected to it form a cycle), Qt
destroys the widget off the GUI thread and the process crashes. So automatic collection is
switched off and the GUI thread collects on a timer, by the automatic collector's own rules.
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
        self._long_lived = 0
        self._collect(2)  # the yardstick for full collections comes from a full collection
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(interval_ms)

    def collect_due(self) -> int | None:
        """Collect what the automatic collector would collect now; returns the generation
        collected, or None when nothing was due."""
        t0, t1, t2 = self._thresholds
        c0, c1, c2 = gc.get_count()
        if not t0 or c0 <= t0:
            return None  # like Python: nothing happens until the young generation fills
        # Between two ticks the young generation may fill many times over. Python would have
        # collected it each time and so reached the older generations sooner: count that in.
        c1 += c0 // t0
        c2 += c1 // t1 if t1 else 0
        if t2 and c2 > t2 and self._old_generation_grew():
            return self._collect(2)
        if t1 and c1 > t1:
            return self._collect(1)
        return self._collect(0)

    def _old_generation_grew(self) -> bool:
        # CPython's rule: a full collection only once the objects that reached the oldest
        # generation since the last one number a quarter of those that were there then. At
        # 100,000 cases a full collection is a visible pause; this keeps it rare.
        pending = len(gc.get_objects(generation=2)) - self._long_lived
        return pending > self._long_lived // 4

    def _collect(self, generation: int) -> int:
        gc.collect(generation)
        if generation == 2:
            self._long_lived = len(gc.get_objects(generation=2))
        return generation

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
