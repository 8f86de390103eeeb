"""Reading side of the sync domain."""

from __future__ import annotations

from app.services.sync.records import InboxRow, SyncStatus
from app.vault.store import Vault


def status(vault: Vault) -> SyncStatus:
    raise NotImplementedError  # contract: the sync engineer fills this in


def inbox(vault: Vault, *, states: tuple[str, ...] = ("waiting", "rejected")) -> list[InboxRow]:
    raise NotImplementedError
