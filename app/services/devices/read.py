"""Reading side of the devices domain."""

from __future__ import annotations

from app.services.devices.queries import own_row, peer_row, peers
from app.services.devices.records import DeviceRow
from app.vault.store import Vault


def devices(vault: Vault) -> list[DeviceRow]:
    """This vault's own card first, then every peer card known."""
    # A write session: this vault's keys are made on first use.
    with vault.session() as s:
        return [own_row(s, vault), *(peer_row(p) for p in peers(s))]


def own_device(vault: Vault) -> DeviceRow:
    with vault.session() as s:
        return own_row(s, vault)
