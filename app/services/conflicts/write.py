"""Writing side of the conflicts domain: a resolution is a local edit, so it syncs too."""

from __future__ import annotations

from typing import Any

from app.services.conflicts.records import ConflictRow
from app.vault.store import Vault

MINE, THEIRS = "mine", "theirs"


def resolve(vault: Vault, conflict_id: int, take: str, value: Any = None) -> ConflictRow:
    """``take`` "mine", "theirs" or "value" (then ``value`` is written, validated like an edit).
    German ``ValidationFailed`` for an unknown or already resolved conflict."""
    raise NotImplementedError  # contract: the replica engineer fills this in
