"""The vault owner's account as the settings page shows it: profile, when last backed up."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from app import audit
from app.services.account.queries import owner_row
from app.services.account.records import OwnerProfile
from app.vault.store import Vault
from db.models import AuditLog


def owner_profile(vault: Vault) -> OwnerProfile:
    with vault.read_session() as s:
        owner = owner_row(s, vault)
        return OwnerProfile(owner.display_name, owner.email, owner.phone)


def passphrase_context(vault: Vault) -> list[str]:
    """What an attacker tries first for this vault: owner's name, municipality, vault code."""
    return [vault.info.owner_name, vault.info.municipality, vault.info.vault_code]


def last_backup(vault: Vault) -> datetime | None:
    with vault.read_session() as s:
        return s.execute(select(func.max(AuditLog.at)).where(
            AuditLog.kind == audit.Kind.BACKUP)).scalar()
