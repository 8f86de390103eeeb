"""Colleagues in the staff list (the app has no staff editor yet; demo and sync bring them)."""

from __future__ import annotations

from app.vault.store import Vault
from db.models import CaseManager


def add_colleague(vault: Vault, name: str, active: bool = True, email: str | None = None) -> str:
    """A case manager of the same team; returns the uuid. Test setup only: call it while the
    desktop's database thread is idle."""
    with vault.session() as s:
        row = CaseManager(display_name=name, municipality="DO", active=active, email=email)
        s.add(row)
        s.flush()
        return row.uuid
