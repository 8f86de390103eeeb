"""Finished tasks are released on the GUI thread and not kept for the session: a closure may hold
a closed window (destroying it off the GUI thread crashes) or the passphrase typed at unlock."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any, ClassVar

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from ui import worker
from ui.worker import Runner, Task


class Captured:
    """Stands for what a task's closure holds (a page, a passphrase)."""

    released_on: ClassVar[list[int]] = []

    def __del__(self) -> None:
        Captured.released_on.append(threading.get_ident())


def test_tasks_are_released_on_the_gui_thread(qapp: QApplication, qtbot: Any) -> None:
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    runner = Runner(pool)
    Captured.released_on.clear()
    results: list[int] = []
    errors: list[BaseException] = []
    refs: list[weakref.ref[Task]] = []
    for n in range(300):
        held = Captured()
        task = runner.start(Task(lambda _p, held=held, n=n: n, results.append, errors.append))
        refs.append(weakref.ref(task))
        del held, task
    qtbot.waitUntil(lambda: len(results) == 300, timeout=20000)
    gc.collect()
    assert sorted(results) == list(range(300)) and errors == []
    assert [r for r in refs if r() is not None] == []  # nothing parked for the session
    assert len(Captured.released_on) == 300
    assert set(Captured.released_on) == {threading.get_ident()}


def test_unlock_closure_does_not_outlive_the_task(qapp: QApplication, qtbot: Any) -> None:
    secret = Captured()
    answers: list[object] = []
    task = worker.start(lambda _p, s=secret: "offen", answers.append, answers.append)
    probe = weakref.ref(secret)
    del secret
    qtbot.waitUntil(lambda: answers == ["offen"], timeout=5000)
    del task
    gc.collect()
    assert probe() is None


def test_failure_reaches_the_gui(qapp: QApplication, qtbot: Any) -> None:
    errors: list[BaseException] = []

    def boom(_p: object) -> None:
        raise ValueError("kaputt")

    worker.start(boom, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert str(errors[0]) == "kaputt"
