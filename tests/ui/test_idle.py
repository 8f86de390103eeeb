"""Idle lock: input resets the countdown; silence for the set minutes fires exactly once."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from pytestqt.qtbot import QtBot

from ui.idle import IdleWatcher


def test_idle_fires_after_minutes_without_input(qtbot: QtBot) -> None:
    now = [1000.0]
    watcher = IdleWatcher(minutes=5, now=lambda: now[0])
    fired: list[int] = []
    watcher.idle.connect(lambda: fired.append(1))
    watcher.arm()
    now[0] += 4 * 60
    watcher.check()
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    watcher.eventFilter(QObject(), key)  # typing resets the countdown
    now[0] += 4 * 60
    watcher.check()
    assert fired == []
    now[0] += 61
    watcher.check()
    watcher.check()
    assert fired == [1]
