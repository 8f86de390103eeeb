"""What "Über Lotse" shows: the installed version, where the vault lies, its schema revision,
and whether it holds the fictional demo data (which the desktop says on every screen)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from sqlalchemy import select

from app import audit
from app.vault.store import Vault
from db import schema
from db.models import AuditLog


@dataclass(frozen=True)
class About:
    version: str
    vault_folder: Path
    schema_revision: str
    vault_code: str
    demo: bool


def installed_version() -> str:
    """The version of the installed package (pyproject.toml), or "unbekannt" when Lotse runs
    from a folder that was never installed."""
    try:
        return metadata.version("lotse")
    except metadata.PackageNotFoundError:
        return "unbekannt"


def holds_demo_data(vault: Vault) -> bool:
    """Demo data was generated into this vault: its audit log says so for good (the entry is
    part of the hash chain, survives lock, unlock, backup and restore; kind is indexed)."""
    with vault.read_session() as s:
        return s.execute(select(AuditLog.seq).where(AuditLog.kind == audit.Kind.DEMO)
                         .limit(1)).first() is not None


def about(vault: Vault) -> About:
    with vault.engine.connect() as connection:
        revision = schema.current_revision(connection) or "?"
    return About(installed_version(), vault.folder, revision, vault.info.vault_code,
                 holds_demo_data(vault))
