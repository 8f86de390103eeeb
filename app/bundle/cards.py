"""Key cards of vaults for bundles, and this vault's P-256 key pairs."""

from __future__ import annotations

from dataclasses import dataclass

from app.bundle.records import DeviceCard, OwnKeys

MAX_CARD_SIZE = 16 * 1024


@dataclass(frozen=True)
class NewKeys:
    signing_private: bytes  # PKCS#8 DER
    signing_public: bytes  # SEC1 compressed
    agreement_private: bytes
    agreement_public: bytes
    fingerprint: str


def new_sync_keys() -> NewKeys:
    raise NotImplementedError  # contract: the format engineer fills this in


def make_card(card: DeviceCard, own: OwnKeys) -> bytes:
    """The card's file bytes, signed with ``own``'s signing key (which must match the card)."""
    raise NotImplementedError


def countersign(card_file: bytes, coordination: OwnKeys) -> bytes:
    """The same card carrying the coordination office's signature too."""
    raise NotImplementedError


def read_card(data: bytes) -> DeviceCard:
    """Parse and verify a card file (self-signature; a countersignature is checked and named in
    ``countersigned_by`` but trusting it is the caller's decision). ``ValueError`` with a German
    message on anything wrong."""
    raise NotImplementedError
