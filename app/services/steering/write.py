"""Writing side of the steering domain."""

from __future__ import annotations

from datetime import date

from app.sync import steering_bundle
from app.vault.store import Vault


def export_report(vault: Vault, period_from: date, period_to: date) -> str:
    """Seal the steering report for every trusted steering vault into the outbox; returns its
    bundle uuid. German ``ValidationFailed`` when no steering vault is trusted."""
    with vault.session() as s:
        return steering_bundle.export(s, vault, period_from, period_to)
