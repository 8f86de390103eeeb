"""Writing side of the keys domain: this vault's issuer key, and the keys it trusts."""

from __future__ import annotations

from app.services.keys.queries import ensure_key, own_trusted, row_of
from app.services.keys.records import TrustedKeyRow
from app.vault.store import Vault


def own_key(vault: Vault) -> TrustedKeyRow:
    """This vault's current issuer key as a trusted key (own=True); created when there is none,
    or the current one expired or was withdrawn."""
    with vault.session() as s:
        key = ensure_key(s, vault)
        row = own_trusted(s, key)
        if row is None:  # pragma: no cover - ensure_key always writes it
            raise RuntimeError("own key without its trusted_key row")
        return row_of(s, row)
