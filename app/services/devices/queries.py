"""Rows of the devices domain as people see them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.seal.keys import normalise_fingerprint
from app.services.devices.records import DeviceRow
from app.sync.keys import own_card
from app.vault.store import Vault
from db.models import PeerDevice, SyncKey

GROUP = 4


def grouped(fingerprint: str) -> str:
    """The whole fingerprint in groups of four, upper case: read out over the phone in full."""
    text = fingerprint.upper()
    return " ".join(text[i:i + GROUP] for i in range(0, len(text), GROUP))


def peer_row(row: PeerDevice) -> DeviceRow:
    return DeviceRow(fingerprint=row.fingerprint, fingerprint_display=grouped(row.fingerprint),
                     vault_name=row.vault_name, holder_name=row.holder_name,
                     municipality=row.municipality, role=row.role, trust=row.trust,
                     trusted_at=row.trusted_at, trusted_how=row.trusted_how,
                     first_seen_at=row.first_seen_at, own=False)


def own_row(s: Session, vault: Vault) -> DeviceRow:
    card = own_card(s, vault)
    key = s.execute(select(SyncKey).where(SyncKey.fingerprint == card.fingerprint)).scalar_one()
    return DeviceRow(fingerprint=card.fingerprint, fingerprint_display=grouped(card.fingerprint),
                     vault_name=card.vault_name, holder_name=card.holder_name,
                     municipality=card.municipality, role=card.role, trust="trusted",
                     trusted_at=key.created_at, trusted_how=None, first_seen_at=key.created_at,
                     own=True)


def find_peer(s: Session, typed: str) -> PeerDevice | None:
    """The peer whose whole fingerprint was typed (spaces, colons, dashes and case ignored)."""
    wanted = normalise_fingerprint(typed)
    if len(wanted) != 64:
        return None
    return s.execute(select(PeerDevice).where(PeerDevice.fingerprint == wanted)).scalar()


def peers(s: Session) -> list[PeerDevice]:
    return list(s.execute(select(PeerDevice).order_by(PeerDevice.holder_name,
                                                      PeerDevice.fingerprint)).scalars())
