"""Writing side of the devices domain: trust is given by typing the fingerprint back."""

from __future__ import annotations

from pathlib import Path

from app.services.devices.records import DeviceRow
from app.vault.store import Vault


def trust(vault: Vault, typed_fingerprint: str) -> DeviceRow:
    """Trust the card whose fingerprint was typed (whole, spaces and case ignored); German
    ``ValidationFailed`` when no known card has it. Waiting bundles of it are applied at the
    next sync."""
    raise NotImplementedError  # contract: the sync engineer fills this in


def distrust(vault: Vault, fingerprint: str) -> DeviceRow:
    raise NotImplementedError


def import_card_file(vault: Vault, path: Path) -> DeviceRow:
    """A card handed over as a file (USB stick, mail) instead of found on the share."""
    raise NotImplementedError


def export_card_file(vault: Vault, path: Path) -> None:
    raise NotImplementedError
