"""Writing side of the handover domain: deputy shares and case transfers.

The mechanics live in ``app.sync.deputy`` and ``app.sync.transfer`` (also the handlers of the
incoming bundles); each call here is one transaction with its audit entry and outbox bundle.
"""

from __future__ import annotations

from datetime import date

from app.services.cases.queries import resolve_case
from app.services.handover.records import GrantRow
from app.sync import deputy, transfer
from app.vault.store import Vault


def share_case(vault: Vault, case_uuid: str, fingerprint: str,
               until: date | None = None) -> GrantRow:
    """Share the case with a trusted colleague as deputy; its records go to the outbox now and
    every later change at each sync until the share ends. ``case_uuid`` may also be the case
    number or local id."""
    with vault.session() as s:
        case = resolve_case(s, case_uuid)
        return deputy.share_case(s, vault, case.uuid, fingerprint, until)


def end_share(vault: Vault, grant_id: int) -> GrantRow:
    """End a deputy share: the owner's ends the cover, the deputy's gives the case back (its
    copy is removed after its last changes went out)."""
    with vault.session() as s:
        return deputy.end_share(s, vault, grant_id)


def transfer_case(vault: Vault, case_uuid: str, fingerprint: str, note: str = "") -> GrantRow:
    """Offer the whole case (with attachments) to one trusted colleague."""
    with vault.session() as s:
        case = resolve_case(s, case_uuid)
        return transfer.transfer_case(s, vault, case.uuid, fingerprint, note)


def accept_offer(vault: Vault, grant_id: int) -> GrantRow:
    with vault.session() as s:
        return transfer.accept_offer(s, vault, grant_id)


def decline_offer(vault: Vault, grant_id: int, reason: str = "") -> GrantRow:
    with vault.session() as s:
        return transfer.decline_offer(s, vault, grant_id, reason)
