"""Reading side of the steering domain."""

from __future__ import annotations

from app.services.steering.records import SteeringReportRow
from app.vault.store import Vault


def reports(vault: Vault) -> list[SteeringReportRow]:
    """Steering reports this (steering) vault imported."""
    raise NotImplementedError  # contract: the steering engineer fills this in
