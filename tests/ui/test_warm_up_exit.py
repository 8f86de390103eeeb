"""Quitting Lotse right after it starts must exit cleanly, not abort: the warm-up thread that
imports the core behind the unlock window is waited for at interpreter exit."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.vault.store import Vault
from ui import main_window
from ui.main_window import WARM_UP_THREAD, MainWindow


def test_the_warm_up_thread_is_waited_for_at_exit(qtbot: QtBot, vault: Vault, vault_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    vault.lock()
    release = threading.Event()
    # Imports still running when the window is closed (in a test process they are done at once).
    monkeypatch.setattr(main_window, "_warm_up_core", lambda: release.wait(30))
    window = MainWindow(vault_dir)
    qtbot.addWidget(window)
    try:
        warm_up = [t for t in threading.enumerate() if t.name == WARM_UP_THREAD]
        assert len(warm_up) == 1 and warm_up[0].is_alive()
        # A daemon thread killed mid-import at exit aborted the process (SIGABRT, "FATAL:
        # exception not rethrown", 3 of 10 starts closed at once); the interpreter joins a
        # non-daemon thread first.
        assert not warm_up[0].daemon
    finally:
        release.set()
    warm_up[0].join(timeout=30)
