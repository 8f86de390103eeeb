"""Sealing a bundle into the outbox, in the caller's transaction (so the export, its audit entry
and whatever marks the rows as sent commit together)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.audit import Kind
from app.bundle.records import AuditHead, BundleContent, Recipient, Sender
from app.bundle.writer import seal_bundle
from app.errors import ValidationFailed
from app.sync.keys import own_card, own_keys
from app.vault.store import Vault
from db.models import AuditLog, OutboxBundle, PeerDevice
from db.row_image import RowImage

NOT_TRUSTED_DE = ("Diesem Tresor ist die Empfängerin oder der Empfänger nicht als vertrauenswürdig "
                  "bekannt. Bitte bestätigen Sie zuerst den Fingerabdruck der Schlüsselkarte.")
NO_RECIPIENT_DE = "Das Bündel hat keine Empfängerin und keinen Empfänger."


def audit_head(s: Session) -> AuditHead:
    """Sequence and hash of the audit log's last entry (before this export's own entry)."""
    last = s.execute(select(AuditLog.seq, AuditLog.hash)
                     .order_by(AuditLog.seq.desc()).limit(1)).first()
    return AuditHead(seq=0, hash=audit.GENESIS) if last is None else AuditHead(last.seq,
                                                                               last.hash)


def trusted_recipients(s: Session, fingerprints: Sequence[str]) -> list[PeerDevice]:
    """The peers named, each trusted; refuses the whole bundle otherwise."""
    wanted = list(dict.fromkeys(fingerprints))
    if not wanted:
        raise ValidationFailed(NO_RECIPIENT_DE, "a bundle needs at least one recipient")
    peers = {p.fingerprint: p for p in s.execute(select(PeerDevice).where(
        PeerDevice.fingerprint.in_(wanted))).scalars()}
    for fp in wanted:
        peer = peers.get(fp)
        if peer is None or peer.trust != "trusted":
            raise ValidationFailed(NOT_TRUSTED_DE, f"recipient {fp[:16]} is not a trusted peer",
                                   field="recipients")
    return [peers[fp] for fp in wanted]


def enqueue(s: Session, vault: Vault, kind: str, recipients: Sequence[str], *,
            rows: Sequence[RowImage] = (), body: Mapping[str, Any] | None = None) -> str:
    """Seal a bundle of ``kind`` for the trusted peers ``recipients`` (fingerprints), store it
    in ``outbox_bundle`` and audit the export; returns its ``bundle_uuid``. The share is not
    touched here: ``app.sync.run`` sends the outbox."""
    peers = trusted_recipients(s, recipients)
    keys = own_keys(s, vault)
    card = own_card(s, vault)
    sender = Sender(vault_uuid=card.vault_uuid, vault_code=card.vault_code,
                    vault_name=card.vault_name, holder_name=card.holder_name,
                    municipality=card.municipality, fingerprint=card.fingerprint)
    bundle_uuid = uuid.uuid4().hex
    content = BundleContent(kind=kind, bundle_uuid=bundle_uuid, created_at=vault.clock.now(),
                            sender=sender, audit_head=audit_head(s), rows=tuple(rows),
                            body=dict(body or {}))
    data = seal_bundle(content, keys, [Recipient(p.fingerprint, p.agreement_public)
                                       for p in peers])
    s.add(OutboxBundle(bundle_uuid=bundle_uuid, kind=kind,
                       recipients=[p.fingerprint for p in peers], size=len(data), data=data,
                       created_at=vault.clock.now(), file_names={}, attempts=0))
    audit.record(s, Kind.BUNDLE_EXPORTED, "outbox_bundle", bundle_uuid, bundle_kind=kind,
                 rows=len(rows), recipients=[p.fingerprint for p in peers], size=len(data))
    return bundle_uuid
