"""Reading side of the devices domain."""

from __future__ import annotations

from app.services.devices.records import DeviceRow
from app.vault.store import Vault


def devices(vault: Vault) -> list[DeviceRow]:
    """This vault's own card first, then every peer card known."""
    raise NotImplementedError  # contract: the sync engineer fills this in


def own_device(vault: Vault) -> DeviceRow:
    raise NotImplementedError
