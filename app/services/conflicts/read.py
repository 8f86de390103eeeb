"""Reading side of the conflicts domain."""

from __future__ import annotations

from app.services.conflicts.records import ConflictRow
from app.vault.store import Vault


def conflicts(vault: Vault, *, case_uuid: str | None = None,
              include_resolved: bool = False) -> list[ConflictRow]:
    raise NotImplementedError  # contract: the replica engineer fills this in


def open_count(vault: Vault, *, case_uuid: str | None = None) -> int:
    raise NotImplementedError
