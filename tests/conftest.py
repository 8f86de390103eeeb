"""Shared fixtures: real SQLCipher vaults in temp folders, Qt offscreen, the CLI as a subprocess."""

from __future__ import annotations

import gc
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.clock import FixedClock
from app.vault.store import Vault
from tests.support import vault_copy
from tests.support.vault_copy import copied_vault

PASSPHRASE = "korrekt Pferd Batterie Heftklammer"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _collect_on_main_thread_only() -> Iterator[None]:
    """As in the desktop (ui/garbage.py): a collection that starts on a database worker may
    destroy a widget off the GUI thread and crash the run. Collect between tests instead."""
    gc.disable()
    yield
    gc.unfreeze()
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_test() -> Iterator[None]:
    yield
    gc.collect()
    gc.freeze()  # what survived is the session's: the next collection need not walk it again


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test starts with no desktop preferences and writes none into the home folder: the
    window geometry and the orientation's "seen" mark (kept per vault uuid, and the test vaults
    are copies of one) stay with the test that wrote them."""
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    yield


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture(autouse=True)
def _fresh_vault_copies() -> None:
    """Each test may take one copy of each template vault (tests/support/vault_copy.py)."""
    vault_copy.USED.clear()


@pytest.fixture
def vault(vault_dir: Path, clock: FixedClock) -> Iterator[Vault]:
    """A new vault of its own in ``vault_dir``, unlocked as ``create_vault`` returns it (a copy
    of one made once per session: tests/support/vault_copy.py says why)."""
    v = copied_vault(vault_dir, PASSPHRASE, owner_name="Test Fallmanagerin", municipality="DO",
                     vault_code="T3ST", clock=clock)
    yield v
    v.lock()


def file_hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def run_cli(*args: str, vault: Path | None = None, passphrase: str | None = PASSPHRASE,
            env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    if passphrase is not None:
        full_env["LOTSE_PASSPHRASE"] = passphrase
    full_env.update(env or {})
    cmd = [sys.executable, "-m", "app"]
    if vault is not None:
        cmd += ["--vault", str(vault)]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=full_env,
                          cwd=ROOT, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def ctx(qtbot: object, vault: Vault, vault_dir: Path) -> Iterator[object]:
    """An AppContext over the unlocked test vault, as the desktop has it after unlocking."""
    from app.session import DesktopSession
    from ui.context import AppContext

    vault.lock()
    session = DesktopSession(vault_dir)
    session.unlock(PASSPHRASE)
    context = AppContext(session)
    yield context
    context.wait_idle()
    session.lock()


def data_key(vault: Vault) -> bytes:
    """The raw store key as bytes, for tests that decrypt files themselves (the app never
    makes such a copy: it reads the key through ``Vault.raw_key``)."""
    with vault.raw_key() as view:
        return bytes(view)
