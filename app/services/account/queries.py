"""The vault owner's row, shared by the account's reads and writes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.vault.store import Vault
from db.models import CaseManager


def owner_row(s: Session, vault: Vault) -> CaseManager:
    return s.execute(select(CaseManager).where(
        CaseManager.uuid == vault.info.owner_uuid)).scalar_one()
