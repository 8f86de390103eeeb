"""New test vaults by copying: ``create_vault`` once per kind of vault and session, then a copy of
its files for each test, unlocked as ``create_vault`` returns it.

Creating a store runs ten schema migrations under SQLCipher plus a key derivation: about a
second, on every one of a thousand tests. A copy is the same real store in the test's own folder;
the open path still runs wherever a test locks and unlocks (``ctx``, the worlds), and
``create_vault`` itself in the tests about creation. Copies of one template share its vault uuid
and data key, so one test must never ask for two copies of the same template (``copied_vault``
refuses); bundle keys are made by each copy on first use.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.clock import Clock, FixedClock
from app.vault.access import hold
from app.vault.create import create_vault
from app.vault.files import DB_NAME, LOCK_NAME
from app.vault.kdf import KdfParams
from app.vault.store import Vault, VaultInfo
from db import fileguard
from db.engine import make_engine
from db.keybuffer import KeyBuffer

TemplateKey = tuple[str, str, str, str, str, datetime]


@dataclass(frozen=True)
class _Template:
    folder: Path
    key: bytes
    info: VaultInfo


_TEMPLATES: dict[TemplateKey, _Template] = {}
_ROOT: list[Path] = []
# Templates copied since the current test began (reset by the autouse fixture in conftest).
USED: set[TemplateKey] = set()


def _root() -> Path:
    if not _ROOT:
        root = Path(tempfile.mkdtemp(prefix="lotse-vault-templates-"))
        atexit.register(shutil.rmtree, root, True)
        _ROOT.append(root)
    return _ROOT[0]


def _template(passphrase: str, owner_name: str, municipality: str, vault_code: str,
              role: str, start: datetime) -> _Template:
    key = (passphrase, owner_name, municipality, vault_code, role, start)
    template = _TEMPLATES.get(key)
    if template is None:
        folder = _root() / f"vault-{len(_TEMPLATES)}"
        # The policy floor (64 MiB, 3 passes) instead of calibration keeps the suite fast.
        made = create_vault(folder, passphrase, owner_name=owner_name,
                            municipality=municipality, vault_code=vault_code,
                            kdf=KdfParams.minimum(), clock=FixedClock(start), role=role)
        with made.raw_key() as view:
            raw = bytes(view)
        template = _Template(folder, raw, made.info)
        made.lock()
        _TEMPLATES[key] = template
    return template


def copied_vault(folder: Path, passphrase: str, *, owner_name: str, municipality: str,
                 vault_code: str, clock: Clock, role: str = "casework") -> Vault:
    """What ``create_vault(folder, passphrase, ..., kdf=KdfParams.minimum(), clock=clock)``
    returns, made from a copy of the same vault made at ``clock.now()``."""
    key = (passphrase, owner_name, municipality, vault_code, role, clock.now())
    if key in USED:
        raise AssertionError(f"a second copy of the vault {vault_code} in one test: its uuid "
                             "and key would be the first one's; give it another code")
    USED.add(key)
    template = _template(*key)
    fileguard.make_private_dir(folder)
    for source in sorted(template.folder.iterdir()):
        if source.is_file() and source.name != LOCK_NAME:  # the OS lock is never copied
            shutil.copy2(source, folder / source.name)  # owner-only modes kept
    data_key = KeyBuffer(bytearray(template.key))
    access = hold(folder, exclusive=False)
    return Vault(folder, make_engine(folder / DB_NAME, data_key), template.info, clock,
                 data_key, access)
