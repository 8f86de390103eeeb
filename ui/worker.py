"""Run slow core calls (KDF, demo generation, queries) off the GUI thread.

Results, errors and progress come back through the runner's signals, which Qt delivers on the GUI
thread, and the callbacks run there.

The GUI thread owns every task until it has delivered the result; the worker lets go of its task
before it reports. Whoever drops the last reference destroys what the task holds: closures that
captured a page (destroying a widget off the GUI thread crashes) or the passphrase typed at
unlock. Tasks hold no Qt objects and no connections, so nothing keeps them alive afterwards.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThreadPool, Signal

from app.progress import ProgressFn

Callback = Callable[[Any], None]


class Task:
    """One call to run off the GUI thread, with the GUI-thread callbacks for its outcome."""

    def __init__(self, fn: Callable[[ProgressFn], Any], on_done: Callback,
                 on_error: Callable[[BaseException], None],
                 on_progress: ProgressFn | None = None) -> None:
        self.fn = fn
        self.on_done = on_done
        self.on_error = on_error
        self.on_progress = on_progress
        self.outcome: tuple[bool, Any] | None = None

    def execute(self, report: ProgressFn) -> None:
        try:
            self.outcome = (True, self.fn(report))
        except BaseException as exc:  # delivered to the GUI, never lost in a thread
            self.outcome = (False, exc)


class Runner(QObject):
    """Starts tasks on a thread pool and delivers their outcome on the GUI thread."""

    _finished = Signal(int)
    _progress = Signal(int, int, int)

    def __init__(self, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool
        self._ids = itertools.count(1)
        self._tasks: dict[int, Task] = {}  # touched on the GUI thread only
        self._finished.connect(self._deliver)  # queued: emitted on the worker
        self._progress.connect(self._report)

    def start(self, task: Task) -> Task:
        task_id = next(self._ids)
        self._tasks[task_id] = task
        box = [task]  # the pool's callable must not keep the task once it has run
        finished, progress = self._finished, self._progress

        def run() -> None:
            ran = box.pop()
            ran.execute(lambda done, total: progress.emit(task_id, done, total))
            del ran  # before reporting: the GUI thread drops the last reference
            finished.emit(task_id)

        self.pool.start(run)
        return task

    def _report(self, task_id: int, done: int, total: int) -> None:
        task = self._tasks.get(task_id)
        if task is not None and task.on_progress is not None:
            task.on_progress(done, total)

    def _deliver(self, task_id: int) -> None:
        task = self._tasks.pop(task_id)
        assert task.outcome is not None
        ok, value = task.outcome
        task.outcome = None  # an exception's traceback would otherwise tie the task in a cycle
        if ok:
            task.on_done(value)
        else:
            task.on_error(value)

    def wait(self, msecs: int) -> bool:
        """Block until the pool is idle (outcomes still arrive through the event loop)."""
        return self.pool.waitForDone(msecs)


log = logging.getLogger(__name__)
POLL_MS = 10  # how long each look at a busy pool blocks before the event loop runs again


def drain(runners: Sequence[Runner], msecs: int) -> bool:
    """Wait until every runner's pool is idle, each for up to ``msecs``, while the GUI thread
    keeps processing events (the lock screen paints, finished tasks deliver).

    Every pool is waited for, also after one timed out: returns False if any still runs.
    """
    idle = True
    for index, runner in enumerate(runners):
        deadline = time.monotonic() + msecs / 1000
        while not runner.wait(POLL_MS):
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, POLL_MS)
            if time.monotonic() >= deadline:
                log.warning("worker pool %d still busy after %d ms", index, msecs)
                idle = False
                break
    return idle


_shared: Runner | None = None


def start(fn: Callable[[ProgressFn], Any], on_done: Callback,
          on_error: Callable[[BaseException], None],
          on_progress: ProgressFn | None = None) -> Task:
    """A task on the application's shared pool (unlock, create): work outside a session."""
    global _shared
    if _shared is None:
        _shared = Runner(QThreadPool.globalInstance())
    return _shared.start(Task(fn, on_done, on_error, on_progress))
