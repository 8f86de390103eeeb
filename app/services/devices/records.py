"""Vaults this one exchanges bundles with, as people see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DeviceRow:
    fingerprint: str  # 64 hex
    fingerprint_display: str  # grouped for reading out: "3F2A 91C0 …"
    vault_name: str
    holder_name: str
    municipality: str | None
    role: str  # casework / steering / coordination
    trust: str  # unknown / trusted / distrusted
    trusted_at: datetime | None
    trusted_how: str | None  # fingerprint / coordination
    first_seen_at: datetime
    own: bool  # this vault's own card
