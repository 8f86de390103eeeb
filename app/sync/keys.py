"""This vault's bundle keys and key card."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bundle.cards import new_sync_keys
from app.bundle.records import DeviceCard, OwnKeys, SenderKey
from app.sync import roles
from app.vault.store import Vault
from db.models import PeerDevice, SyncKey, VaultMeta

ROLE_KEY = "vault_role"  # vault_meta: casework (default) / steering / coordination
# The card's issue time and a digest of what it says: the card stays the same (and is not
# published again) until a fact on it changes.
CARD_ISSUED_KEY = "sync_card_issued_at"
CARD_DIGEST_KEY = "sync_card_digest"
VAULT_NAME_PREFIX = "Lotse"


def _meta(s: Session, key: str) -> VaultMeta | None:
    return s.get(VaultMeta, key)


def _set_meta(s: Session, key: str, value: str) -> None:
    row = _meta(s, key)
    if row is None:
        s.add(VaultMeta(key=key, value=value))
    elif row.value != value:
        row.value = value


def _key_row(s: Session) -> SyncKey:
    row = s.execute(select(SyncKey).order_by(SyncKey.id).limit(1)).scalar()
    if row is None:
        keys = new_sync_keys()
        row = SyncKey(signing_private=keys.signing_private, signing_public=keys.signing_public,
                      agreement_private=keys.agreement_private,
                      agreement_public=keys.agreement_public, fingerprint=keys.fingerprint)
        s.add(row)
        s.flush()
    return row


def own_keys(s: Session, vault: Vault) -> OwnKeys:
    """The ``sync_key`` row's keys; made on first use."""
    row = _key_row(s)
    return OwnKeys(fingerprint=row.fingerprint, signing_private=row.signing_private,
                   agreement_private=row.agreement_private)


def own_fingerprint(s: Session) -> str:
    return _key_row(s).fingerprint


def own_fingerprint_read(s: Session) -> str | None:
    """This vault's fingerprint without making keys (None before the first use)."""
    return s.execute(select(SyncKey.fingerprint).order_by(SyncKey.id).limit(1)).scalar()


def own_card(s: Session, vault: Vault) -> DeviceCard:
    """This vault's card; its ``issued_at`` only moves when a fact on the card changed, so a
    sync run does not publish an identical card again."""
    row = _key_row(s)
    info = vault.info
    name, role = f"{VAULT_NAME_PREFIX} {info.vault_code}", vault_role(s)
    facts = {"vault_uuid": info.vault_uuid, "vault_code": info.vault_code, "vault_name": name,
             "holder_name": info.owner_name, "municipality": info.municipality or None,
             "role": role, "fingerprint": row.fingerprint}
    digest = hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()
    issued = _meta(s, CARD_ISSUED_KEY)
    stored_digest = _meta(s, CARD_DIGEST_KEY)
    if issued is None or stored_digest is None or stored_digest.value != digest:
        issued_at = vault.clock.now()
        _set_meta(s, CARD_ISSUED_KEY, issued_at.isoformat())
        _set_meta(s, CARD_DIGEST_KEY, digest)
    else:
        issued_at = datetime.fromisoformat(issued.value)
    return DeviceCard(vault_uuid=info.vault_uuid, vault_code=info.vault_code,
                      vault_name=name, holder_name=info.owner_name,
                      municipality=info.municipality or None, role=role,
                      signing_public=row.signing_public, agreement_public=row.agreement_public,
                      issued_at=issued_at, fingerprint=row.fingerprint)


def sender_key(peer: PeerDevice) -> SenderKey:
    return SenderKey(fingerprint=peer.fingerprint, signing_public=peer.signing_public,
                     trust=peer.trust, role=peer.role)


def sender_lookup(s: Session) -> Callable[[str], SenderKey | None]:
    """``peer_device`` rows by fingerprint, for ``app.bundle.reader.open_bundle``."""

    def lookup(fingerprint: str) -> SenderKey | None:
        peer = s.execute(select(PeerDevice).where(
            PeerDevice.fingerprint == fingerprint)).scalar()
        return None if peer is None else sender_key(peer)

    return lookup


def vault_role(s: Session) -> str:
    """This vault's role (``vault_meta`` ``vault_role``; "casework" when unset)."""
    return roles.vault_role(s)
