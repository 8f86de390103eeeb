"""A real main window after a lock: no live object holds the typed passphrase or the key, and a
lock whose drafts cannot be sealed still locks, empties the private temp folder and says that the
input is lost."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.private_temp import private_temp_dir
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from app.vault.store import DRAFTS_NAME, Vault
from db.errors import StoreLocked
from tests.conftest import PASSPHRASE
from tests.support.secret_refs import holders, mask
from tests.ui.window_helpers import (
    DRAFT,
    lock_by_keyboard,
    open_case_with_draft,
    unlock_by_typing,
    visible_texts,
)
from ui.main_window import MainWindow

T = 20000


def test_after_a_lock_no_object_holds_the_typed_passphrase_or_the_key(
        qtbot: QtBot, tmp_path: Path, clock: FixedClock) -> None:
    folder = tmp_path / "vault"
    passphrase = f"Kompass Gezeiten {secrets.token_hex(12)}"  # made at run time, not interned
    vault = create_vault(folder, passphrase, owner_name="Test Fallmanagerin",
                         municipality="DO", vault_code="T3ST", kdf=KdfParams.minimum(),
                         clock=clock)
    with vault.raw_key() as view:
        hidden = {"data key": mask(view), "data key (hex)": mask(view.hex().encode()),
                  "passphrase": mask(passphrase.encode())}
    case_id = create_case(vault, NewCase("Ayşe", "Öztürk", "DO"))
    vault.lock()
    window = MainWindow(folder)
    qtbot.addWidget(window)
    window.show()
    unlock_by_typing(qtbot, window, passphrase)
    del passphrase
    open_case_with_draft(qtbot, window, case_id)
    assert any(h.startswith("data key in bytearray") for h in holders(hidden)), \
        "while unlocked the vault's key buffer must be found (the search works)"
    lock_by_keyboard(qtbot, window)
    qtbot.waitUntil(lambda: holders(hidden) == [], timeout=10000)  # deleteLater of the workspace
    window.close()


def test_a_lock_whose_drafts_cannot_be_sealed_still_locks(
        qtbot: QtBot, vault: Vault, vault_dir: Path, private_tmp: Path) -> None:
    case_id = create_case(vault, NewCase("Ayşe", "Öztürk", "DO"))
    vault.lock()
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    open_case_with_draft(qtbot, window, case_id)
    assert window.ctx is not None
    unlocked, engine = window.ctx.vault(), window.ctx.vault().engine
    viewer_copy = private_temp_dir() / "bescheid-kopie.pdf"  # opened in another program
    viewer_copy.write_bytes(b"%PDF personal data")
    # Where the sealed drafts go, a folder now stands (as a file held open, or a full disk,
    # would make the write fail): sealing fails for real.
    (vault_dir / DRAFTS_NAME).mkdir()

    lock_by_keyboard(qtbot, window)

    assert unlocked.locked
    with pytest.raises(StoreLocked):  # the key is gone: nothing can be read any more
        engine.connect()
    assert not viewer_copy.exists()
    assert window.stack.currentWidget() is window.unlock_page
    message = window.unlock_page.message.text()
    assert "konnten nicht gesichert werden" in message and "sicher verwahrt" not in message
    qtbot.waitUntil(lambda: "Öztürk" not in visible_texts(window), timeout=T)
    assert DRAFT not in visible_texts(window)

    # A folder planted among the vault files is refused at unlock, with its name (the file
    # guard's rule for every vault file); once it is gone, unlocking brings nothing back.
    field = window.unlock_page.passphrase
    qtbot.keyClicks(field, PASSPHRASE)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: DRAFTS_NAME in window.unlock_page.message.text(), timeout=T)
    assert window.ctx is None
    (vault_dir / DRAFTS_NAME).rmdir()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert window.workspace is not None
    assert all(getattr(t, "case_id", None) != case_id for t in window.workspace.case_tabs())
    window.close()


def test_a_drafts_file_from_another_vault_is_refused_with_a_note(
        qtbot: QtBot, vault: Vault, vault_dir: Path, tmp_path: Path,
        clock: FixedClock) -> None:
    """Planted input (sealed for another vault) never appears in a case; the person is told."""
    from app.session import DesktopSession

    other_dir = tmp_path / "fremd"
    create_vault(other_dir, PASSPHRASE, owner_name="B", municipality="K",
                 kdf=KdfParams.minimum(), clock=clock).lock()
    other = DesktopSession(other_dir)
    other.unlock(PASSPHRASE)
    case_id = create_case(other.vault(), NewCase("Ayşe", "Öztürk", "DO"))
    planted = {"open_cases": [case_id], "drafts": {str(case_id): {"journal": {
        "text": "untergeschobener Vermerk"}}}}
    assert other.lock(planted)
    vault.lock()
    (vault_dir / DRAFTS_NAME).write_bytes((other_dir / DRAFTS_NAME).read_bytes())

    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    window.show()
    unlock_by_typing(qtbot, window, PASSPHRASE)
    assert "anderen Tresor" in window.statusBar().currentMessage()
    assert window.workspace is not None and window.workspace.case_tabs() == []
    assert "untergeschobener Vermerk" not in visible_texts(window)
    assert not (vault_dir / DRAFTS_NAME).exists()
    window.close()
