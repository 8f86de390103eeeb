"""Sealing a bundle: payload → chunks of AES-256-GCM → wrapped key per recipient → signature."""

from __future__ import annotations

from collections.abc import Sequence

from app.bundle.records import BundleContent, OwnKeys, Recipient


def seal_bundle(content: BundleContent, own: OwnKeys, recipients: Sequence[Recipient]) -> bytes:
    """The bundle file's bytes, readable only by ``recipients`` and signed by ``own``."""
    raise NotImplementedError  # contract: the format engineer fills this in
