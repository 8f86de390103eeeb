"""Units in Einstellungen agree with the number: "1 Minute", "5 Minuten", "1 Woche"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.context import AppContext
from ui.settings.page import SettingsPage


def test_one_minute_is_singular(qtbot: QtBot, ctx: AppContext) -> None:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.settings is not None, timeout=15000)
    box = page.idle_minutes
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "1")
    assert box.text() == "1 Minute"
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert box.text() == "2 Minuten"
    weeks = page.quiet_weeks
    weeks.setFocus()
    weeks.selectAll()
    qtbot.keyClicks(weeks, "1")
    assert weeks.text() == "1 Woche"
