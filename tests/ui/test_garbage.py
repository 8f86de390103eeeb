"""Garbage made on a database thread must be destroyed on the GUI thread: a widget destroyed
anywhere else crashes the process (CI saw exactly that segfault in the consent section)."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.ui.window_helpers import T, lock_by_keyboard, unlock_by_typing
from ui import garbage
from ui.garbage import GuiThreadCollector
from ui.main_window import MainWindow


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
    # Widgets an earlier test left for deferred deletion go first: freed while this test
    # waits, their objects would pull Python's allocation count back under the threshold.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
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


def _tick_with_young_cycles(collector: GuiThreadCollector, count: int = 800) -> int | None:
    young = [Node() for _ in range(count)]  # past the generation-0 threshold (700)
    del young
    return collector.collect_due()


def test_generations_are_collected_by_pythons_own_counters(qapp: QApplication) -> None:
    collector = GuiThreadCollector(qapp, interval_ms=60_000)  # driven by hand here
    try:
        assert gc.get_threshold() == (700, 10, 10)  # Python's defaults, which the rule follows
        assert collector.collect_due() is None  # nothing allocated: nothing to do
        Node.destroyed_on.clear()
        done = [_tick_with_young_cycles(collector) for _ in range(133)]
        # Eleven young collections make a middle one due, eleven middle ones a full one.
        assert done == ([0] * 11 + [1]) * 11 + [2]
        assert len(Node.destroyed_on) == 133 * 800  # every young cycle freed on its tick
    finally:
        collector.stop()
        collector.deleteLater()


def test_a_session_is_frozen_at_unlock_and_freed_at_lock(qapp: QApplication) -> None:
    collector = GuiThreadCollector(qapp, interval_ms=60_000)  # driven by hand here
    try:
        workspace = Node()  # a cycle, as the session's widgets and their lambdas form
        alive = weakref.ref(workspace)
        frozen_before = gc.get_freeze_count()
        garbage.session_started()
        assert collector.collect_due() == 0  # a young collection, then the freeze
        assert gc.get_freeze_count() > frozen_before  # the session's objects joined
        del workspace  # the lock tears the workspace down: it is cyclic garbage now
        full = 0
        for _ in range(200):  # a whole round of young and middle collections up to a full one
            full += _tick_with_young_cycles(collector) == 2
        assert full == 1
        assert isinstance(alive(), Node)  # no collection walked the frozen session
        garbage.session_ended()
        assert collector.collect_due() == 2
        assert alive() is None  # the lock's tick freed it
        assert gc.get_freeze_count() > 0  # and froze again what survives: the program
    finally:
        collector.stop()
        collector.deleteLater()


def test_the_desktop_freezes_its_session_and_frees_it_after_the_lock(
        qapp: QApplication, qtbot: QtBot, vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    collector = GuiThreadCollector(qapp, interval_ms=60_000)  # ticks driven by hand here
    try:
        window = MainWindow(vault_dir)
        qtbot.addWidget(window)
        window.show()
        frozen_before_unlock = gc.get_freeze_count()
        unlock_by_typing(qtbot, window, PASSPHRASE)
        assert window.workspace is not None
        probe = Node()  # a cycle only the workspace holds, as a connected lambda would be
        window.workspace.probe = probe  # type: ignore[attr-defined]
        alive = weakref.ref(probe)
        del probe
        assert collector.collect_due() == 0  # the first tick after unlock freezes the session
        assert gc.get_freeze_count() > frozen_before_unlock
        lock_by_keyboard(qtbot, window)

        def tick_frees_the_probe() -> bool:
            collector.collect_due()  # as the timer would, until Qt has deleted the workspace
            return alive() is None

        qtbot.waitUntil(tick_frees_the_probe, timeout=T)
    finally:
        collector.stop()
        collector.deleteLater()
