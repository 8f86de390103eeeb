"""Garbage made on a database thread must be destroyed on the GUI thread: a widget destroyed
anywhere else crashes the process (CI saw exactly that segfault in the consent section)."""

from __future__ import annotations

import gc
import threading
from typing import Any, ClassVar

from PySide6.QtWidgets import QApplication, QWidget

from ui.garbage import GuiThreadCollector


class Node:
    destroyed_on: ClassVar[list[int]] = []

    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it

    def __del__(self) -> None:
        Node.destroyed_on.append(threading.get_ident())


def test_cycles_made_on_a_worker_die_on_the_gui_thread(qapp: QApplication, qtbot: Any) -> None:
    suite_setting = gc.isenabled()
    gc.enable()  # as in a fresh process, before the desktop takes over
    gc.collect()
    collector = GuiThreadCollector(qapp, interval_ms=10)
    try:
        Node.destroyed_on.clear()

        def worker() -> None:
            for _ in range(20_000):  # far past the generation-0 threshold (700)
                Node()

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: len(Node.destroyed_on) == 20_000, timeout=5000)
        assert set(Node.destroyed_on) == {threading.get_ident()}
    finally:
        collector.stop()
        collector.deleteLater()
    assert gc.isenabled()  # stop() gives collection back as it found it
    if not suite_setting:
        gc.disable()


def test_closed_widget_in_a_cycle_is_destroyed_by_the_timer(qapp: QApplication,
                                                            qtbot: Any) -> None:
    collector = GuiThreadCollector(qapp, interval_ms=10)
    try:
        widget = QWidget()
        widget.setObjectName("cyclic")
        widget.cycle = [widget]  # type: ignore[attr-defined]  # as a connected lambda would
        widget.show()
        widget.close()
        del widget
        for _ in range(2000):  # enough cyclic allocations to make a collection due
            Node()
        qtbot.waitUntil(lambda: not [w for w in qapp.allWidgets()
                                     if w.objectName() == "cyclic"], timeout=5000)
    finally:
        collector.stop()
        collector.deleteLater()
