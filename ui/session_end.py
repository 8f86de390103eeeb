"""The end of the session seals unsaved input and open case files exactly as a lock does.

Three ways a session ends without the person closing the window:
- SIGTERM (system shutdown, ``kill``, the desktop session stopping its programs) and SIGHUP or
  SIGINT on POSIX. A Python signal handler cannot run while Qt's event loop waits in C++, so
  the signal number goes through ``signal.set_wakeup_fd`` into a socket that a
  ``QSocketNotifier`` watches: the lock then runs on the GUI thread, between two events, and the
  application quits afterwards.
- Windows log-off or shutdown (``WM_QUERYENDSESSION``), which Qt reports as
  ``commitDataRequest``: lock at once, Windows ends the process soon after.
- The application quitting by any other path (``aboutToQuit``).
"""

from __future__ import annotations

import contextlib
import signal
import socket
from types import FrameType

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, Signal
from PySide6.QtGui import QGuiApplication, QSessionManager

SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT")
                if hasattr(signal, name))


class SessionEnd(QObject):
    """Create once, on the GUI thread, for the application's lifetime (it owns the process's
    signal wake-up descriptor)."""

    ending = Signal()  # seal and lock now

    def __init__(self, app: QGuiApplication, signals: tuple[int, ...] = SIGNALS) -> None:
        super().__init__(app)
        self._signals = set(signals)
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(),
                                                 warn_on_full_buffer=False)
        self._previous = {number: signal.signal(number, _noted) for number in self._signals}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)
        self._app = app
        app.commitDataRequest.connect(self._commit_data)
        app.aboutToQuit.connect(self._quitting)

    def _woken(self) -> None:
        received = b""
        with contextlib.suppress(BlockingIOError, InterruptedError):
            while chunk := self._reader.recv(64):
                received += chunk
        if self._signals & set(received):
            self.ending.emit()
            QCoreApplication.quit()

    def _commit_data(self, _manager: QSessionManager) -> None:
        self.ending.emit()

    def _quitting(self) -> None:
        self.ending.emit()

    def close(self) -> None:
        """Give the process's signal handling back as it was (tests; the desktop never ends
        its session watch before the process ends)."""
        self._notifier.setEnabled(False)
        self._app.commitDataRequest.disconnect(self._commit_data)
        self._app.aboutToQuit.disconnect(self._quitting)
        signal.set_wakeup_fd(self._previous_fd)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._reader.close()
        self._writer.close()


def _noted(_signum: int, _frame: FrameType | None) -> None:
    """Replaces the default action (end the process at once, losing every draft); the work
    happens in ``SessionEnd._woken`` once the wake-up byte arrives."""
