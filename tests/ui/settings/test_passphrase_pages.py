"""The passphrase rule and the throttle in the desktop, typed as a person types: first start and
Einstellungen refuse a weak passphrase with German reasons and offer five random words; the
unlock page shows the wait after too many failures, and a damaged record never blocks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.vault.store import KEY_NAME, THROTTLE_NAME, Vault, open_vault
from tests.conftest import PASSPHRASE
from tests.ui.window_helpers import assert_opens_only_with
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.settings.page import SettingsPage

WAIT = 30000
WEAK = "ich liebe dich"


def _click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def test_first_start_refuses_a_weak_passphrase_and_creates_with_a_suggested_one(
        qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "tresor"
    window = MainWindow(folder)
    qtbot.addWidget(window)
    window.show()
    create = window.create_page
    assert create is not None
    qtbot.keyClicks(create.name, "Jana Kowalczyk")
    qtbot.keyClicks(create.passphrase, WEAK)
    assert create.strength.text().startswith("Noch zu leicht zu erraten")
    qtbot.keyClicks(create.repeat, WEAK)
    _click(qtbot, create.button)
    qtbot.waitUntil(lambda: "zu leicht zu erraten" in create.message.text(), timeout=WAIT)
    assert "Sicherung kopiert" in create.message.text() and create.button.isEnabled()
    assert not (folder / KEY_NAME).exists()

    _click(qtbot, create.suggestion.button)
    suggested = create.passphrase.text()
    assert len(suggested.split(" ")) == 5 and create.repeat.text() == suggested
    assert create.suggestion.shown.isVisible() and suggested in create.suggestion.shown.text()
    assert create.strength.text().startswith("Stark genug")
    qtbot.keyClick(create.passphrase, Qt.Key.Key_X)  # typed over: the suggestion goes away
    assert not create.suggestion.shown.isVisible()
    assert suggested not in create.suggestion.shown.text()

    _click(qtbot, create.suggestion.button)
    suggested = create.passphrase.text()
    _click(qtbot, create.button)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=WAIT)
    window.lock()
    with open_vault(folder, suggested) as vault:
        assert vault.info.owner_name == "Jana Kowalczyk"


def test_the_owners_name_is_no_passphrase(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(tmp_path / "tresor")
    qtbot.addWidget(window)
    create = window.create_page
    assert create is not None
    qtbot.keyClicks(create.passphrase, "Jana Kowalczyk Hirschgraben")
    assert create.strength.text().startswith("Stark genug")  # a stranger's name
    qtbot.keyClicks(create.name, "Jana Kowalczyk")  # now it is hers: rated again
    assert create.strength.text().startswith("Noch zu leicht zu erraten")
    assert "Ihren Namen" in create.strength.text()


def test_einstellungen_refuse_a_weak_passphrase_and_take_a_suggested_one(
        qtbot: QtBot, ctx: AppContext, vault_dir: Path) -> None:
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.settings is not None, timeout=WAIT)
    key_before = (vault_dir / KEY_NAME).read_bytes()
    qtbot.keyClicks(page.old_pass, PASSPHRASE)
    qtbot.keyClicks(page.new_pass, PASSPHRASE + " 2")  # the old one, barely changed
    assert page.strength.text().startswith("Noch zu leicht zu erraten")
    qtbot.keyClicks(page.repeat_pass, PASSPHRASE + " 2")
    _click(qtbot, page.change_button)
    qtbot.waitUntil(lambda: not page.errors["new"].isHidden(), timeout=WAIT)
    assert "zu leicht zu erraten" in page.errors["new"].text()
    assert (vault_dir / KEY_NAME).read_bytes() == key_before

    _click(qtbot, page.suggestion.button)
    suggested = page.new_pass.text()
    assert page.repeat_pass.text() == suggested and suggested in page.suggestion.shown.text()
    _click(qtbot, page.change_button)
    qtbot.waitUntil(lambda: "wurde geändert" in page.pass_message.text(), timeout=120000)
    assert not page.suggestion.shown.isVisible()  # off the screen once it is in use
    ctx.wait_idle()
    ctx.session.lock()
    assert_opens_only_with(vault_dir, suggested, PASSPHRASE)


def _unlock_with(qtbot: QtBot, window: MainWindow, passphrase: str) -> None:
    page = window.unlock_page
    page.passphrase.clear()
    qtbot.keyClicks(page.passphrase, passphrase)
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.button.isEnabled() or window.workspace is not None,
                    timeout=WAIT)


def test_unlock_page_shows_the_wait_and_a_damaged_record_never_blocks(
        qtbot: QtBot, vault: Vault, vault_dir: Path) -> None:
    vault.lock()
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    for _ in range(5):
        _unlock_with(qtbot, window, "daneben daneben daneben")
        assert "falsch" in window.unlock_page.message.text()
    _unlock_with(qtbot, window, PASSPHRASE)
    assert "Zu viele Fehlversuche. Bitte warten Sie noch" in window.unlock_page.message.text()
    assert window.workspace is None

    (vault_dir / THROTTLE_NAME).write_bytes(b'{"failures": 9, "last_failure_ep')  # truncated
    _unlock_with(qtbot, window, PASSPHRASE)
    assert window.workspace is not None
    window.lock()
