"""The desktop's handle on one vault: create, unlock (demo vault made on first use), lock."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from app import drafts
from app.errors import Refused
from app.private_temp import cleanup_private_temp
from app.progress import ProgressFn
from app.vault.create import create_vault
from app.vault.store import Vault, open_vault, vault_exists

DEMO_CASES = 2000


class DesktopSession:
    def __init__(self, folder: Path, demo_passphrase: str | None = None) -> None:
        self.folder = folder
        self.demo_passphrase = demo_passphrase
        self._vault: Vault | None = None
        # From the unlock: the drafts it took (handed out once) and the next lock's sealer.
        self._taken: drafts.TakenDrafts | None = None
        self._sealer: drafts.Sealer | None = None

    def exists(self) -> bool:
        return vault_exists(self.folder)

    def vault(self) -> Vault:
        if self._vault is None or self._vault.locked:
            raise Refused("Der Tresor ist gesperrt.", "vault is locked")
        return self._vault

    def unlock(self, passphrase: str, progress: ProgressFn | None = None) -> Vault:
        if self.demo_passphrase and not self.exists():
            from app.demo.generator import generate_demo  # only the demo path pays for it

            vault = create_vault(self.folder, self.demo_passphrase, published_passphrase=True,
                                 owner_name="Demo Fallmanagerin", municipality="DO")
            generate_demo(vault, DEMO_CASES, progress=progress)
            vault.lock()
        return self._opened(open_vault(self.folder, passphrase))

    def _opened(self, vault: Vault) -> Vault:
        try:
            self._taken, self._sealer = drafts.take_at_unlock(vault)
        except BaseException:
            vault.lock()
            raise
        self._vault = vault
        return vault

    def replace_vault(self, vault: Vault) -> None:
        """The same vault reopened (after a key renewal closed and re-encrypted the store)."""
        self._vault = vault

    def take_drafts(self) -> drafts.TakenDrafts:
        """Drafts sealed at the last lock, or why a drafts file was refused (taken at unlock,
        handed out once; a file that turns up later is refused)."""
        vault = self.vault()
        taken, self._taken = self._taken, None
        return taken if taken is not None else drafts.take_drafts(vault)

    def create(self, owner_name: str, municipality: str, passphrase: str) -> Vault:
        return self._opened(create_vault(self.folder, passphrase, owner_name=owner_name,
                                         municipality=municipality))

    def lock(self, unsaved: dict[str, Any] | None = None) -> bool:
        """Drop the key and close the store, seal ``unsaved`` input, and empty the private temp
        folder. Sealing writes only its own file (``drafts.Sealer``), so another process
        writing to the store cannot hold it up. The lock happens even when sealing fails (a
        full or read-only disk, a file held by antivirus): returns False then, True when the
        input was kept or there was none.
        """
        vault, self._vault = self._vault, None
        sealer, self._sealer, self._taken = self._sealer, None, None
        kept = not unsaved
        try:
            if vault is not None:
                vault.lock()
        finally:
            try:
                if unsaved and sealer is not None:
                    try:
                        sealer.seal(unsaved)
                        kept = True
                    except Exception:  # whatever failed, the vault is locked; say so
                        kept = False
            finally:
                # Copies opened in other programs go with the key; a folder that cannot be
                # emptied now is emptied at the next start.
                with contextlib.suppress(Exception):
                    cleanup_private_temp()
        return kept
