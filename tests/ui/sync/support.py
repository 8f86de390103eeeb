"""Two offices on real vaults exchanging through a temp folder as the share, for the desktop's
sync tests: a second vault with a desktop context of its own, cards exchanged by a sync on
each side, trust given by the fingerprint as a person would type it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.clock import FixedClock
from app.services.devices.read import own_device
from app.services.devices.write import trust
from app.services.sync.write import run_sync, set_share_folder
from app.session import DesktopSession
from app.vault.store import Vault
from tests.conftest import PASSPHRASE
from tests.support.vault_copy import copied_vault
from ui.context import AppContext

WAIT = 30000
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def focused(fallback: QWidget) -> QWidget:
    return QApplication.focusWidget() or fallback


@contextmanager
def colleague(folder: Path, clock: FixedClock, name: str = "Katharina Nowak",
              municipality: str = "BI", code: str = "B2ND",
              role: str = "casework") -> Iterator[AppContext]:
    """Another case manager's vault (or the steering committee's, ``role="steering"``),
    unlocked in a desktop context of its own."""
    vault = copied_vault(folder, PASSPHRASE, owner_name=name, municipality=municipality,
                         vault_code=code, clock=clock, role=role)
    vault.lock()
    session = DesktopSession(folder)
    session.unlock(PASSPHRASE)
    context = AppContext(session)
    try:
        yield context
    finally:
        context.wait_idle()
        session.lock()


def share(share_folder: Path, *vaults: Vault) -> None:
    """Every vault uses the folder; a sync round publishes each card and reads the others'.
    Test setup: the desktop's database threads are idle."""
    share_folder.mkdir(exist_ok=True)
    for vault in vaults:
        set_share_folder(vault, share_folder)
    for _round in range(2):
        for vault in vaults:
            run_sync(vault)


def trust_each_other(a: Vault, b: Vault) -> None:
    trust(a, own_device(b).fingerprint_display)
    trust(b, own_device(a).fingerprint_display)


def activate(qtbot: QtBot, widget: QWidget) -> None:
    """Back to the window after a dialog closed: its Alt shortcuts need it active."""
    widget.window().activateWindow()
    qtbot.waitUntil(widget.window().isActiveWindow, timeout=WAIT)
