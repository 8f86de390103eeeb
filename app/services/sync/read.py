"""Reading side of the sync domain."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from app.bundle.records import REASONS
from app.services.sync.records import IN_INBOX, InboxRow, RefusalRow, SyncStatus
from app.settings import load_settings
from app.sync.inbox import sender_label
from app.sync.refusals import reason_text
from app.sync.run import last_sync
from app.vault.store import Vault
from db.models import InboxBundle, OutboxBundle, PeerDevice, SentRefusal, SyncConflict


def status(vault: Vault) -> SyncStatus:
    folder = load_settings(vault).share_folder
    reachable = False
    if folder:
        try:  # a quick look only: the sync run finds out properly
            reachable = Path(folder).is_dir()
        except OSError:
            reachable = False
    with vault.read_session() as s:
        outbox = s.execute(select(func.count()).select_from(OutboxBundle)
                           .where(OutboxBundle.data.is_not(None))).scalar_one()
        states = dict(s.execute(select(InboxBundle.state, func.count())
                                .group_by(InboxBundle.state)).tuples().all())
        conflicts = s.execute(select(func.count()).select_from(SyncConflict)
                              .where(SyncConflict.resolved_at.is_(None))).scalar_one()
        refused = s.execute(select(func.count()).select_from(SentRefusal)
                            .where(SentRefusal.dismissed_at.is_(None))).scalar_one()
    return SyncStatus(share_folder=folder or None, share_reachable=reachable,
                      last_sync_at=last_sync(vault), outbox=outbox,
                      waiting=states.get("waiting", 0), rejected=states.get("rejected", 0),
                      conflicts=conflicts, refused=refused)


def inbox(vault: Vault, *, states: tuple[str, ...] = IN_INBOX) -> list[InboxRow]:
    with vault.read_session() as s:
        rows = s.execute(select(InboxBundle, PeerDevice)
                         .outerjoin(PeerDevice,
                                    PeerDevice.fingerprint == InboxBundle.sender_fingerprint)
                         .where(InboxBundle.state.in_(states))
                         .order_by(InboxBundle.first_seen_at.desc(), InboxBundle.id.desc())
                         ).all()
        return [InboxRow(id=b.id, file_name=b.file_name, first_seen_at=b.first_seen_at,
                         state=b.state, reason=b.reason,
                         message_de=REASONS.get(b.reason, "Bereits übernommen."),
                         sender=sender_label(p), sender_fingerprint=b.sender_fingerprint,
                         kind=b.kind, size=b.size) for b, p in rows]


def refused(vault: Vault) -> list[RefusalRow]:
    """Own bundles a recipient refused that nobody here has taken note of yet, newest first."""
    with vault.read_session() as s:
        rows = s.execute(select(SentRefusal, PeerDevice)
                         .outerjoin(PeerDevice,
                                    PeerDevice.fingerprint == SentRefusal.recipient_fingerprint)
                         .where(SentRefusal.dismissed_at.is_(None))
                         .order_by(SentRefusal.noted_at.desc(), SentRefusal.id.desc())).all()
        return [RefusalRow(id=r.id, bundle_uuid=r.bundle_uuid, kind=r.kind,
                           recipient=sender_label(p), recipient_fingerprint=r.recipient_fingerprint,
                           reason=r.reason, message_de=reason_text(r.reason),
                           rejected_at=r.rejected_at, noted_at=r.noted_at) for r, p in rows]
