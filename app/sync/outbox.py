"""Sealing a bundle into the outbox, in the caller's transaction (so the export, its audit entry
and whatever marks the rows as sent commit together)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.vault.store import Vault
from db.row_image import RowImage


def enqueue(s: Session, vault: Vault, kind: str, recipients: Sequence[str], *,
            rows: Sequence[RowImage] = (), body: Mapping[str, Any] | None = None) -> str:
    """Seal a bundle of ``kind`` for the trusted peers ``recipients`` (fingerprints), store it
    in ``outbox_bundle`` and audit the export; returns its ``bundle_uuid``. The share is not
    touched here: ``app.sync.run`` sends the outbox."""
    raise NotImplementedError  # contract: the sync engineer fills this in
