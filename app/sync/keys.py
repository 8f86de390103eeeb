"""This vault's bundle keys and key card."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from app.bundle.records import DeviceCard, OwnKeys, SenderKey
from app.vault.store import Vault

ROLE_KEY = "vault_role"  # vault_meta: casework (default) / steering / coordination


def own_keys(s: Session, vault: Vault) -> OwnKeys:
    """The ``sync_key`` row's keys; made on first use."""
    raise NotImplementedError  # contract: the sync engineer fills this in


def own_card(s: Session, vault: Vault) -> DeviceCard:
    raise NotImplementedError


def sender_lookup(s: Session) -> Callable[[str], SenderKey | None]:
    """``peer_device`` rows by fingerprint, for ``app.bundle.reader.open_bundle``."""
    raise NotImplementedError


def vault_role(s: Session) -> str:
    """This vault's role (``vault_meta`` ``vault_role``; "casework" when unset)."""
    raise NotImplementedError
