"""Einstellungen take the passphrases out of their fields: after a passphrase change or a key
renewal no field keeps them (not even in its undo history, where Qt's clear() leaves them), and
after the lock no live object holds them. A refused change keeps the typed input for a second
try, and what was typed but not submitted is scrubbed at the lock."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.session import DesktopSession
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from tests.support.secret_refs import holders, mask
from tests.ui.settings.settings_helpers import settings_page
from tests.ui.settings.test_settings_rekey import confirm_renewal
from tests.ui.window_helpers import unlock_by_typing
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.settings.key_box import RENEWED_DE
from ui.settings.page import SettingsPage

WAIT = 120000


def recoverable(field: QLineEdit) -> str:
    """What the field still gives up: its text, else what undo brings back once the echo mode
    is normal (Qt refuses undo in password mode, but the history is kept)."""
    if field.text():
        return field.text()
    field.setEchoMode(QLineEdit.EchoMode.Normal)
    field.undo()
    return field.text()


def made_at_run_time(words: str) -> bytes:
    """A passphrase kept only masked: the test itself must not be what holds it."""
    return mask(f"{words} {secrets.token_hex(8)}".encode())


def reveal(masked: bytes) -> str:
    return mask(masked).decode()  # a fresh string each time, gone after use


@pytest.fixture
def old() -> bytes:
    return made_at_run_time("Kompass Gezeiten")


@pytest.fixture
def desktop(qtbot: QtBot, tmp_path: Path, clock: FixedClock, old: bytes
            ) -> Iterator[tuple[AppContext, DesktopSession]]:
    folder = tmp_path / "vault"
    create_vault(folder, reveal(old), owner_name="Test Fallmanagerin", municipality="DO",
                 vault_code="T3ST", kdf=KdfParams.minimum(), clock=clock).lock()
    session = DesktopSession(folder)
    session.unlock(reveal(old))
    ctx = AppContext(session)
    yield ctx, session
    ctx.wait_idle()
    session.lock()


def type_into(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    qtbot.keyClicks(field, text)


def test_a_passphrase_change_leaves_no_copy_in_the_fields_or_in_live_objects(
        qtbot: QtBot, desktop: tuple[AppContext, DesktopSession], old: bytes) -> None:
    ctx, session = desktop
    new = made_at_run_time("Leuchtturm Nebelhorn")
    page = settings_page(qtbot, ctx)
    fields = (page.old_pass, page.new_pass, page.repeat_pass)
    # A first try with a typo in the repetition is refused; the typing stays for a second try.
    for field, masked, extra in zip(fields, (old, new, new), ("", "", "x"), strict=True):
        type_into(qtbot, field, reveal(masked) + extra)
    qtbot.mouseClick(page.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.errors["repeat"].isHidden(), timeout=WAIT)
    assert [mask(f.text().encode()) for f in fields] == [old, new, new + mask(b"x")]
    page.repeat_pass.backspace()
    qtbot.mouseClick(page.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "wurde geändert" in page.pass_message.text(), timeout=WAIT)

    assert [recoverable(f) for f in fields] == ["", "", ""]
    ctx.wait_idle()
    session.lock()
    assert holders({"old passphrase": old, "new passphrase": new}) == []


def test_a_key_renewal_leaves_no_copy_in_its_field(
        qtbot: QtBot, desktop: tuple[AppContext, DesktopSession], old: bytes) -> None:
    ctx, session = desktop
    page = settings_page(qtbot, ctx)
    box = page.key_box
    type_into(qtbot, box.passphrase, reveal(old))
    confirm_renewal(qtbot, page)
    qtbot.waitUntil(lambda: box.message.text() == RENEWED_DE, timeout=WAIT)
    assert recoverable(box.passphrase) == ""
    ctx.wait_idle()
    session.lock()
    assert holders({"passphrase": old}) == []


def test_a_passphrase_typed_but_not_submitted_is_scrubbed_at_the_lock(
        qtbot: QtBot, tmp_path: Path, clock: FixedClock, old: bytes) -> None:
    folder = tmp_path / "vault"
    create_vault(folder, reveal(old), owner_name="Test Fallmanagerin", municipality="DO",
                 vault_code="T3ST", kdf=KdfParams.minimum(), clock=clock).lock()
    window = MainWindow(folder)
    qtbot.addWidget(window)
    window.show()
    unlock_by_typing(qtbot, window, reveal(old))
    assert window.workspace is not None
    page = window.workspace.page("settings")
    assert isinstance(page, SettingsPage)
    field = page.old_pass
    type_into(qtbot, field, reveal(old))  # then the person walks away: Ctrl+L (or idle)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.ctx is None
    # The page is about to be deleted (deleteLater): what it leaves behind is scrubbed first.
    assert recoverable(field) == ""
    window.close()
