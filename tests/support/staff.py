"""Colleagues in the staff list (the app has no staff editor yet; demo and sync bring them)."""

from __future__ import annotations

from app.vault.store import Vault
from db.models import CaseManager


def add_colleague(vault: Vault, name: str, active: bool = True) -> str:
    """A case manager of the same team; returns the uuid. Test setup only: call it while the
    desktop's database thread is idle."""
    with vault.session() as s:
        row = CaseManager(display_name=name, municipality="DO", active=active)
        s.add(row)
        s.flush()
        return row.uuid
