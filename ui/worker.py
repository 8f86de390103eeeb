"""Run slow core calls (KDF, demo generation, queries) off the GUI thread.

Results and errors come back as Qt signals, which Qt delivers on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Cancelled(Exception):
    """Raised inside a task when the user pressed cancel."""


class TaskSignals(QObject):
    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class Progress:
    """Handed to the task: report progress, learn about cancellation."""

    def __init__(self, signals: TaskSignals, cancel: threading.Event) -> None:
        self._signals = signals
        self._cancel = cancel

    def __call__(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise Cancelled
        self._signals.progress.emit(done, total)


class Task(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        try:
            result = self.fn(Progress(self.signals, self.cancel_event))
        except BaseException as exc:  # delivered to the GUI, never lost in a thread
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def start(fn: Callable[[Progress], Any], on_done: Callable[[Any], None],
          on_error: Callable[[BaseException], None],
          on_progress: Callable[[int, int], None] | None = None) -> Task:
    task = Task(fn)
    task.setAutoDelete(False)
    task.signals.finished.connect(on_done)
    task.signals.failed.connect(on_error)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    QThreadPool.globalInstance().start(task)
    return task
