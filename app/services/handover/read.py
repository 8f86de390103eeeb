"""Reading side of the handover domain."""

from __future__ import annotations

from app.services.handover.records import CaseSyncState, GrantRow
from app.vault.store import Vault


def grants(vault: Vault, *, case_uuid: str | None = None) -> list[GrantRow]:
    raise NotImplementedError  # contract: the handover engineer fills this in


def offers(vault: Vault) -> list[GrantRow]:
    """Transfers offered to this vault, waiting for accept or decline."""
    raise NotImplementedError


def case_sync_state(vault: Vault, case_uuid: str) -> CaseSyncState:
    raise NotImplementedError
