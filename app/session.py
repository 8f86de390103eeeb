"""The desktop's handle on one vault: create, unlock (demo vault made on first use), lock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app import drafts
from app.errors import Refused
from app.progress import ProgressFn
from app.vault.store import Vault, create_vault, open_vault, vault_exists

DEMO_CASES = 2000


class DesktopSession:
    def __init__(self, folder: Path, demo_passphrase: str | None = None) -> None:
        self.folder = folder
        self.demo_passphrase = demo_passphrase
        self._vault: Vault | None = None
        self._public_key: bytes | None = None  # to seal drafts while locked (not secret)

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
        self._vault = open_vault(self.folder, passphrase)
        self._public_key = drafts.encryption_keys(self._vault)[1]
        return self._vault

    def replace_vault(self, vault: Vault) -> None:
        """The same vault reopened (after a key renewal closed and re-encrypted the store)."""
        self._vault = vault

    def take_drafts(self) -> dict[str, Any] | None:
        """Drafts sealed at the last lock (or before a crash), opened with the vault's key."""
        private, _ = drafts.encryption_keys(self.vault())
        return drafts.take_drafts(self.folder, private)

    def create(self, owner_name: str, municipality: str, passphrase: str) -> Vault:
        self._vault = create_vault(self.folder, passphrase, owner_name=owner_name,
                                   municipality=municipality)
        self._public_key = drafts.encryption_keys(self._vault)[1]
        return self._vault

    def lock(self, unsaved: dict[str, Any] | None = None) -> None:
        """Drop the key and close the store; ``unsaved`` input is sealed, never kept in clear."""
        if unsaved and self._public_key is not None:
            drafts.store_drafts(self.folder, self._public_key, unsaved)
        if self._vault is not None:
            self._vault.lock()
            self._vault = None
