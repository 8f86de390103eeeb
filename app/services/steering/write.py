"""Writing side of the steering domain."""

from __future__ import annotations

from datetime import date

from app.sync import catalogue_update, steering_bundle
from app.vault.store import Vault


def export_report(vault: Vault, period_from: date, period_to: date) -> str:
    """Seal the steering report for every trusted steering vault into the outbox; returns its
    bundle uuid. German ``ValidationFailed`` when no steering vault is trusted."""
    with vault.session() as s:
        return steering_bundle.export(s, vault, period_from, period_to)


def export_catalogue(vault: Vault) -> str:
    """Coordination office: seal its catalogue entries, certificate templates, trusted issuer
    keys and revocation lists for every trusted casework vault; returns the bundle uuid.
    German ``ValidationFailed`` in any other vault, or when no casework vault is trusted."""
    with vault.session() as s:
        return catalogue_update.export(s, vault)
