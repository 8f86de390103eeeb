"""Key cards on the share: publishing this vault's own, learning the others'.

A card never brings trust by itself: a new card arrives as "unknown" until a person types its
fingerprint back, unless it carries the signature of a coordination office this vault already
trusts. A card put back from an old copy never replaces a newer one (its signed ``issued_at``
decides), and no card ever changes a trust decision already made.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.audit import Kind
from app.bundle.cards import MAX_CARD_SIZE, make_card, read_card
from app.bundle.records import DeviceCard
from app.share.files import final_names, read_stable, write_new
from app.share.layout import CARD_SUFFIX, ShareLayout
from app.sync.keys import own_card, own_keys, vault_role
from app.vault.store import Vault
from db.models import PeerDevice


def _countersigned_by_trusted(s: Session, card: DeviceCard, own_fp: str,
                              own_role: str) -> bool:
    signer = card.countersigned_by
    if not signer:
        return False
    if signer == own_fp:
        return own_role == "coordination"
    office = s.execute(select(PeerDevice).where(PeerDevice.fingerprint == signer)).scalar()
    return office is not None and office.trust == "trusted" and office.role == "coordination"


def remember_card(s: Session, vault: Vault, card: DeviceCard, data: bytes) -> PeerDevice | None:
    """Store or update a peer's card (already verified by ``read_card``); None for this vault's
    own card. Returns the row."""
    keys = own_keys(s, vault)
    if card.fingerprint == keys.fingerprint:
        return None
    now = vault.clock.now()
    row = s.execute(select(PeerDevice).where(
        PeerDevice.fingerprint == card.fingerprint)).scalar()
    if row is None:
        row = PeerDevice(fingerprint=card.fingerprint, first_seen_at=now, trust="unknown")
        _take(row, card, data)
        s.add(row)
    elif _newer(card, row):
        _take(row, card, data)
    if row.trust == "unknown" and _countersigned_by_trusted(s, card, keys.fingerprint,
                                                            vault_role(s)):
        row.trust, row.trusted_at, row.trusted_how = "trusted", now, "coordination"
        s.flush()
        audit.record(s, Kind.DEVICE_TRUSTED, "peer_device", None, fingerprint=row.fingerprint,
                     how="coordination", by=card.countersigned_by)
    s.flush()
    return row


def _newer(card: DeviceCard, row: PeerDevice) -> bool:
    """A later card wins; at the same issue time, the countersigned copy of it."""
    if card.issued_at != row.card_issued_at:
        return card.issued_at > row.card_issued_at
    if not card.countersigned_by:
        return False
    try:
        held = read_card(row.card)
    except ValueError:
        return True
    return held.countersigned_by is None


def _take(row: PeerDevice, card: DeviceCard, data: bytes) -> None:
    row.vault_uuid, row.vault_code, row.vault_name = card.vault_uuid, card.vault_code, \
        card.vault_name
    row.holder_name, row.municipality, row.role = card.holder_name, card.municipality, card.role
    row.signing_public, row.agreement_public = card.signing_public, card.agreement_public
    row.card, row.card_issued_at = data, card.issued_at


def read_share_cards(folder: Path) -> dict[str, tuple[DeviceCard, bytes]]:
    """The newest valid card per fingerprint found in the share's ``cards/`` folder (files that
    are unreadable, still growing or forged are passed over)."""
    best: dict[str, tuple[DeviceCard, bytes]] = {}
    for path in final_names(folder, CARD_SUFFIX):
        try:
            data = read_stable(path, MAX_CARD_SIZE)
        except (ValueError, OSError):
            continue
        if data is None:
            continue
        try:
            card = read_card(data)
        except ValueError:
            continue
        held = best.get(card.fingerprint)
        if held is None or card.issued_at > held[0].issued_at or (
                card.issued_at == held[0].issued_at and card.countersigned_by
                and not held[0].countersigned_by):
            best[card.fingerprint] = (card, data)
    return best


def own_card_file(s: Session, vault: Vault) -> tuple[DeviceCard, bytes]:
    card = own_card(s, vault)
    return card, make_card(card, own_keys(s, vault))


def publish_own_card(s: Session, vault: Vault, layout: ShareLayout,
                     found: dict[str, tuple[DeviceCard, bytes]]) -> bool:
    """Write this vault's card to the share unless the newest there says the same; older own
    card files are removed afterwards. True when a card was written."""
    card, data = own_card_file(s, vault)
    held = found.get(card.fingerprint)
    if held is not None and _same_card(held[0], card):
        return False
    folder = layout.cards()
    written = write_new(folder, data, CARD_SUFFIX, root=layout.root, tag=vault.info.vault_uuid)
    _remove_older_own(folder, card, written)
    return True


def _same_card(a: DeviceCard, b: DeviceCard) -> bool:
    return replace(a, countersigned_by=None) == replace(b, countersigned_by=None)


def _remove_older_own(folder: Path, card: DeviceCard, keep: Path) -> None:
    """Tidy up: earlier copies of this vault's own card (never another vault's file, and never
    a countersigned copy, which the office put there)."""
    for path in final_names(folder, CARD_SUFFIX):
        if path == keep:
            continue
        try:
            data = read_stable(path, MAX_CARD_SIZE)
            old = read_card(data) if data is not None else None
        except (ValueError, OSError):
            continue
        if old is not None and old.fingerprint == card.fingerprint and \
                old.issued_at < card.issued_at and not old.countersigned_by:
            path.unlink(missing_ok=True)


def learn_cards(s: Session, vault: Vault, found: dict[str, tuple[DeviceCard, bytes]]) -> int:
    """Remember every peer card found; returns how many peers are new."""
    new = 0
    known = set(s.execute(select(PeerDevice.fingerprint)).scalars())
    # Coordination offices first: a card they countersigned is trusted in the same run.
    ordered = sorted(found.values(), key=lambda item: item[0].role != "coordination")
    for card, data in ordered:
        if remember_card(s, vault, card, data) is not None and card.fingerprint not in known:
            new += 1
    return new
