"""Lock after a period without keyboard or mouse input (the idle time comes from the settings)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: float, now: Callable[[], float] = time.monotonic,
                 poll_ms: int = 5000) -> None:
        super().__init__()
        self.minutes = minutes
        self._now = now
        self._last = now()
        self._armed = False
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.check)

    def arm(self) -> None:
        """Start watching (after unlock); input events reset the countdown."""
        self._last = self._now()
        self._armed = True
        self._timer.start()

    def disarm(self) -> None:
        self._armed = False
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._last = self._now()
        return False

    def check(self) -> None:
        if self._armed and self._now() - self._last >= self.minutes * 60:
            self.disarm()
            self.idle.emit()
