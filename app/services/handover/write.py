"""Writing side of the handover domain: deputy shares and case transfers."""

from __future__ import annotations

from datetime import date

from app.services.handover.records import GrantRow
from app.vault.store import Vault


def share_case(vault: Vault, case_uuid: str, fingerprint: str,
               until: date | None = None) -> GrantRow:
    """Share the case with a trusted colleague as deputy; its records go to the outbox now and
    every later change at each sync until the share ends."""
    raise NotImplementedError  # contract: the handover engineer fills this in


def end_share(vault: Vault, grant_id: int) -> GrantRow:
    raise NotImplementedError


def transfer_case(vault: Vault, case_uuid: str, fingerprint: str, note: str = "") -> GrantRow:
    """Offer the whole case (with attachments) to one trusted colleague."""
    raise NotImplementedError


def accept_offer(vault: Vault, grant_id: int) -> GrantRow:
    raise NotImplementedError


def decline_offer(vault: Vault, grant_id: int, reason: str = "") -> GrantRow:
    raise NotImplementedError
