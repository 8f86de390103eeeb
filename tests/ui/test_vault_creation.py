"""A new vault asks for the case manager's name: it is the owner of every case they carry."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.errors import ValidationFailed
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import KEY_NAME, open_vault
from tests.conftest import PASSPHRASE
from ui.main_window import MainWindow

WAIT = 30000


def test_the_create_page_refuses_an_empty_name_at_the_field(qtbot: QtBot,
                                                            tmp_path: Path) -> None:
    folder = tmp_path / "tresor"
    window = MainWindow(folder)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()  # focus moves only in the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    create = window.create_page
    assert create is not None
    qtbot.mouseClick(create.suggestion.button, Qt.MouseButton.LeftButton)
    suggested = create.passphrase.text()
    qtbot.keyClicks(create.name, "   ")  # blanks are no name
    create.button.setFocus()
    qtbot.keyClick(create.button, Qt.Key.Key_Space)
    assert create.name_error.isVisibleTo(create) and "Ihren Namen" in create.name_error.text()
    assert "Fallmanager:in" in create.name_error.text()
    assert create.name.hasFocus() and not (folder / KEY_NAME).exists()

    qtbot.keyClicks(create.name, "Jana Kowalczyk")
    create.button.setFocus()
    qtbot.keyClick(create.button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=WAIT)
    assert not create.name_error.isVisibleTo(create)
    window.lock()
    with open_vault(folder, suggested) as vault:
        assert vault.info.owner_name == "Jana Kowalczyk"  # trimmed


def test_create_vault_refuses_a_blank_owner_name(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as refused:
        create_vault(tmp_path / "v", PASSPHRASE, owner_name=" \t", municipality="DO",
                     kdf=KdfParams.minimum())
    assert refused.value.field == "owner_name"
    assert not (tmp_path / "v").exists()
