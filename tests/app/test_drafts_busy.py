"""A lock while another Lotse process writes: the unsaved input is sealed at once (the lock does
not touch the store, so it cannot wait for the other writer), comes back at the next unlock, and
a copy of that file put back after a later lock is still refused."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import drafts
from app.session import DesktopSession
from app.vault.store import DRAFTS_NAME, Vault
from db.engine import WAITING, configure_waiting
from tests.conftest import PASSPHRASE, ROOT
from tests.support.write_holder import OtherWriter

STATE = {"open_cases": [3], "drafts": {"3": {"journal": {"text": "Rückruf Kita-Platz"}}}}
HANG_GUARD = 60  # seconds; only against a lock that waits for the other writer


@pytest.fixture
def endless_wait() -> Iterator[None]:
    """No wait for the write lock can end on its own: a lock that needed it would hang."""
    before = (WAITING.seconds, WAITING.notice)
    configure_waiting(600)
    yield
    configure_waiting(*before)


def test_a_lock_while_another_process_writes_keeps_the_input(
        vault: Vault, vault_dir: Path, tmp_path: Path, endless_wait: None) -> None:
    vault.lock()
    session = DesktopSession(vault_dir)
    session.unlock(PASSPHRASE)
    other = OtherWriter(vault_dir, PASSPHRASE, ROOT)
    try:
        other.hold()  # until told: it writes all through our lock
        kept: list[bool] = []
        locking = threading.Thread(target=lambda: kept.append(session.lock(STATE)))
        locking.start()
        locking.join(HANG_GUARD)
        assert not locking.is_alive(), "the lock waited for the other process's write lock"
        assert kept == [True]
        other.release()
    finally:
        other.quit()
    shutil.copyfile(vault_dir / DRAFTS_NAME, tmp_path / "sealed")

    session.unlock(PASSPHRASE)
    assert session.take_drafts().state == STATE
    session.lock()
    # That lock's file put back after a later lock: it decrypts, but it is not the last one's.
    shutil.copyfile(tmp_path / "sealed", vault_dir / DRAFTS_NAME)
    session.unlock(PASSPHRASE)
    taken = session.take_drafts()
    assert taken.state is None and taken.refused == drafts.OLDER
    session.lock()
