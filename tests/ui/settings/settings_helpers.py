"""The Einstellungen page as a person opens it (shown, active, settings loaded)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.context import AppContext
from ui.settings.page import SettingsPage

WAIT = 60000


def settings_page(qtbot: QtBot, ctx: AppContext) -> SettingsPage:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: page.settings is not None and page.isActiveWindow(), timeout=WAIT)
    return page
