"""Einstellungen → "Datenschlüssel erneuern": typed passphrase, a confirmation, progress, and
Abbrechen that leaves the vault as it was; afterwards the desktop keeps working on the vault
under its new key, and a key file from before no longer opens the store."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.account import write as account_module
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault import verify
from app.vault.keyfile import KeyFile
from app.vault.rekey import NOT_RENEWED_DE, rekey
from app.vault.store import DB_NAME, KEY_NAME, open_vault
from db.engine import connect_raw
from db.errors import UndecryptableStore
from db.models import AuditLog, Person
from tests.conftest import PASSPHRASE, data_key
from tests.ui.casefile.sections_support import answer_confirmation
from tests.ui.settings.settings_helpers import settings_page
from ui.context import AppContext
from ui.settings.key_box import RENEWED_DE
from ui.settings.page import SettingsPage

WAIT = 60000


def confirm_renewal(qtbot: QtBot, page: SettingsPage) -> None:
    """Press the button, say "Erneuern"; the window is active again once the question closed."""
    box = page.key_box
    qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)
    answer_confirmation(qtbot, box, "&Erneuern")
    page.activateWindow()
    qtbot.waitUntil(lambda: page.isActiveWindow() and not box.button.isEnabled(), timeout=WAIT)


def start_renewal(qtbot: QtBot, page: SettingsPage, secret: str) -> None:
    page.key_box.passphrase.setFocus()
    qtbot.keyClicks(page.key_box.passphrase, secret)
    confirm_renewal(qtbot, page)


def old_key_opens_store(vault_dir: Path, old_key_file: bytes) -> bool:
    key = KeyFile.from_bytes(old_key_file).unwrap(PASSPHRASE)
    try:
        connect_raw(vault_dir / DB_NAME, key).close()
    except UndecryptableStore:
        return False
    return True


def test_renewing_the_data_key_through_the_page(qtbot: QtBot, ctx: AppContext,
                                                vault_dir: Path) -> None:
    create_case(ctx.vault(), NewCase(given_names="Ayşe", family_name="Öztürk",
                                     municipality="DO"))
    key_before = data_key(ctx.vault())
    old_key_file = (vault_dir / KEY_NAME).read_bytes()
    page = settings_page(qtbot, ctx)
    box = page.key_box
    # What each one protects against, in both places.
    assert "früher kopierte Schlüsseldatei" in page.pass_explanation.text()
    assert "„Datenschlüssel erneuern“" in page.pass_explanation.text()
    assert "keine früher kopierte Schlüsseldatei" in box.explanation.text()
    assert "erst die Passphrase ändern" in box.explanation.text()

    # Asked first; "Abbrechen" in the question changes nothing.
    box.passphrase.setFocus()
    qtbot.keyClicks(box.passphrase, PASSPHRASE)
    qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)
    question = answer_confirmation(qtbot, box, "&Abbrechen")
    assert "neu verschlüsselt" in question
    assert box.progress.isHidden() and box.button.isEnabled()
    assert (vault_dir / KEY_NAME).read_bytes() == old_key_file

    seen: list[int] = []
    box.progress.bar.valueChanged.connect(seen.append)
    confirm_renewal(qtbot, page)
    assert box.progress.isVisible()
    qtbot.waitUntil(lambda: box.message.text() == RENEWED_DE, timeout=WAIT)
    assert box.progress.isHidden() and box.button.isEnabled()
    assert box.passphrase.text() == ""
    assert seen[-1] == 100 and any(0 < v < 100 for v in seen)
    ctx.wait_idle()

    vault = ctx.vault()  # the desktop holds the vault under its new key and keeps working
    assert data_key(vault) != key_before
    with vault.session() as s:
        assert s.execute(select(Person.family_name)).scalars().all() == ["Öztürk"]
    assert not old_key_opens_store(vault_dir, old_key_file)
    ctx.session.lock()
    with open_vault(vault_dir, PASSPHRASE) as reopened, reopened.session() as s:
        kinds = s.execute(select(AuditLog.kind)).scalars().all()
    assert kinds.count("vault.rekeyed") == 1


def test_a_wrong_passphrase_is_shown_at_the_field_and_the_vault_stays_open(
        qtbot: QtBot, ctx: AppContext, vault_dir: Path) -> None:
    key_before = data_key(ctx.vault())
    page = settings_page(qtbot, ctx)
    start_renewal(qtbot, page, "daneben daneben")
    box = page.key_box
    qtbot.waitUntil(lambda: not box.error.isHidden(), timeout=WAIT)
    assert box.error.text() == "Die Passphrase ist falsch."
    assert box.button.isEnabled() and box.progress.isHidden()
    ctx.wait_idle()
    assert data_key(ctx.vault()) == key_before
    assert [p.name for p in vault_dir.iterdir() if ".rekey" in p.name] == []


class Pause:
    """Holds the real rekey while it copies the store, until the test lets it go on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reached, self.resume = threading.Event(), threading.Event()
        monkeypatch.setattr(verify, "PROGRESS_STEPS", 400)  # progress inside the copy
        monkeypatch.setattr(account_module, "rekey", self.rekey)

    def rekey(self, folder: Path, passphrase: str, **kw: Any) -> Any:
        report = kw.pop("progress")

        def progress(done: int, total: int) -> None:
            report(done, total)
            if 10 <= done < 70 and not self.reached.is_set():
                self.reached.set()
                self.resume.wait(WAIT / 1000)

        return rekey(folder, passphrase, progress=progress, **kw)


def test_cancel_while_the_store_is_copied_leaves_the_vault_as_it_was(
        qtbot: QtBot, ctx: AppContext, vault_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    key_before = data_key(ctx.vault())
    key_file_before = (vault_dir / KEY_NAME).read_bytes()
    pause = Pause(monkeypatch)
    page = settings_page(qtbot, ctx)
    box = page.key_box
    start_renewal(qtbot, page, PASSPHRASE)
    qtbot.waitUntil(pause.reached.is_set, timeout=WAIT)
    assert (vault_dir / "lotse.db.rekey").exists()  # half written
    assert QApplication.focusWidget() is box.progress.cancel_button
    qtbot.keyClick(box.progress.cancel_button, Qt.Key.Key_Space)
    assert box.message.text() == "Wird abgebrochen …"
    pause.resume.set()
    qtbot.waitUntil(lambda: box.progress.isHidden(), timeout=WAIT)
    assert box.message.text() == NOT_RENEWED_DE
    assert QApplication.focusWidget() is box.button
    ctx.wait_idle()
    assert [p.name for p in vault_dir.iterdir() if ".rekey" in p.name] == []
    assert (vault_dir / KEY_NAME).read_bytes() == key_file_before
    assert data_key(ctx.vault()) == key_before  # open again, under the old key
    with ctx.vault().session() as s:
        assert "vault.rekeyed" not in s.execute(select(AuditLog.kind)).scalars().all()
