"""Einstellungen at 1280×720, a tab opened by its mnemonic as a person does; a second vault with
its own desktop context (for key cards handed from one office to another)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.session import DesktopSession
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from tests.conftest import PASSPHRASE
from tests.ui.settings.settings_helpers import WAIT, settings_page
from ui.context import AppContext
from ui.settings.page import SettingsPage

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def focused(page: QWidget) -> QWidget:
    return QApplication.focusWidget() or page


TEMPLATES, KEYS = 1, 2  # tab indexes; Alt+O and Alt+Ü open them


def open_tab(qtbot: QtBot, ctx: AppContext, index: int) -> SettingsPage:
    """The settings page at 1280×720 with tab ``index`` opened by its mnemonic."""
    page = settings_page(qtbot, ctx)
    page.resize(1280, 720)
    key = Qt.Key.Key_O if index == TEMPLATES else Qt.Key.Key_Udiaeresis
    qtbot.keyClick(focused(page), key, ALT)
    qtbot.waitUntil(lambda: page.tabs.currentIndex() == index, timeout=WAIT)
    return page


@contextmanager
def second_office(folder: Path, clock: FixedClock) -> Iterator[AppContext]:
    """Another office's vault (Bochum), unlocked in a desktop context of its own."""
    vault = create_vault(folder, PASSPHRASE, owner_name="Zweite Fallmanagerin",
                         municipality="BO", vault_code="B2ND", kdf=KdfParams.minimum(),
                         clock=clock)
    vault.lock()
    session = DesktopSession(folder)
    session.unlock(PASSPHRASE)
    context = AppContext(session)
    try:
        yield context
    finally:
        context.wait_idle()
        session.lock()
