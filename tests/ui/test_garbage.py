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


def test_full_collections_wait_for_the_old_generation_to_grow(qapp: QApplication) -> None:
    collector = GuiThreadCollector(qapp, interval_ms=60_000)  # driven by hand here
    keep: list[list[object]] = []
    try:
        for _ in range(12):  # each promotes to the oldest generation and counts towards it
            keep.extend([[]] for _ in range(800))
            assert collector.collect_due() in (0, 1, 2)
        gc.collect()  # a full collection: what is old now is the new yardstick
        collector._long_lived = len(gc.get_objects(generation=2))
        for _ in range(200):  # enough young collections for a full one to fall due
            [Node() for _ in range(800)]
            assert collector.collect_due() in (0, 1)  # but nothing much grew old
        keep.extend([[]] for _ in range(collector._long_lived))  # now the old grew by half
        for _ in range(400):
            [Node() for _ in range(800)]
            if collector.collect_due() == 2:
                break
        else:
            raise AssertionError("no full collection although the old generation doubled")
    finally:
        collector.stop()
        collector.deleteLater()
