"""Writing side of the steering domain."""

from __future__ import annotations

from datetime import date

from app.vault.store import Vault


def export_report(vault: Vault, period_from: date, period_to: date) -> str:
    """Seal the steering report for every trusted steering vault into the outbox; returns its
    bundle uuid. German ``ValidationFailed`` when no steering vault is trusted."""
    raise NotImplementedError  # contract: the steering engineer fills this in

