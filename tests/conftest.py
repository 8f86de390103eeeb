"""Shared fixtures: real SQLCipher vaults in temp folders, Qt offscreen, the CLI as a subprocess."""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.clock import FixedClock
from app.vault.access import hold
from app.vault.create import create_vault
from app.vault.files import DB_NAME, LOCK_NAME
from app.vault.kdf import KdfParams
from app.vault.store import Vault, VaultInfo
from db import fileguard
from db.engine import make_engine
from db.keybuffer import KeyBuffer

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


@dataclass(frozen=True)
class _Template:
    folder: Path
    key: bytes
    info: VaultInfo


_TEMPLATES: dict[datetime, _Template] = {}


def _template(root: Path, start: datetime) -> _Template:
    """The test vault as ``create_vault`` makes it at ``start``, once per session (locked)."""
    template = _TEMPLATES.get(start)
    if template is None:
        folder = root / f"vault-{len(_TEMPLATES)}"
        # The policy floor (64 MiB, 3 passes) instead of calibration keeps the suite fast.
        made = create_vault(folder, PASSPHRASE, owner_name="Test Fallmanagerin",
                            municipality="DO", vault_code="T3ST", kdf=KdfParams.minimum(),
                            clock=FixedClock(start))
        template = _Template(folder, data_key(made), made.info)
        made.lock()
        _TEMPLATES[start] = template
    return template


@pytest.fixture(scope="session")
def _vault_templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("vault-templates")


@pytest.fixture
def vault(vault_dir: Path, clock: FixedClock, _vault_templates: Path) -> Iterator[Vault]:
    """A new vault of its own in ``vault_dir``, unlocked as ``create_vault`` returns it.

    Made once per session and copied file by file: creating a store (ten schema migrations
    under SQLCipher plus a key derivation) costs about a second, on every one of some thousand
    tests. The copy is the same real store; the open path is still run by every test that locks
    and unlocks (``ctx``), and ``create_vault`` itself by the tests that call it."""
    template = _template(_vault_templates, clock.now())
    fileguard.make_private_dir(vault_dir)
    for source in sorted(template.folder.iterdir()):
        if source.is_file() and source.name != LOCK_NAME:  # the OS lock is never copied
            shutil.copy2(source, vault_dir / source.name)  # owner-only modes kept
    key = KeyBuffer(bytearray(template.key))
    access = hold(vault_dir, exclusive=False)
    v = Vault(vault_dir, make_engine(vault_dir / DB_NAME, key), template.info, clock, key,
              access)
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
