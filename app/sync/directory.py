"""The team directory as a kind of bundle: institutions, contacts, cooperation agreements with
their parties, and the gap register (never its links to cases), shared with every trusted
casework colleague and edited by all. Concurrent edits merge or conflict like case data
(``db.replica.apply_images``); a colleague's changes travel on to the others with the next
export, so A → B → C reaches C even if A never writes for C."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.bundle.records import DIRECTORY, BundleContent, BundleRejected
from app.sync import kinds
from app.sync.outbox import enqueue
from app.vault.store import Vault
from db.base import SyncMixin
from db.models import (
    Contact,
    CooperationAgreement,
    CooperationParty,
    Institution,
    PeerDevice,
    SyncCursor,
    SystemGap,
)
from db.replica import apply_images, images_of
from db.row_image import RowImage

SCOPE = "directory"
# Parents before children: the order rows are sealed and applied in.
TABLES: tuple[type[SyncMixin], ...] = (Institution, Contact, CooperationAgreement,
                                       CooperationParty, SystemGap)


def _table(model: type[SyncMixin]) -> str:
    return str(model.__table__.name)  # type: ignore[attr-defined]


TABLE_NAMES = frozenset(_table(t) for t in TABLES)


def _recipients(s: Session) -> list[PeerDevice]:
    return list(s.execute(select(PeerDevice).where(
        PeerDevice.trust == "trusted", PeerDevice.role == "casework")
        .order_by(PeerDevice.fingerprint)).scalars())


def _changed(s: Session, since: datetime | None) -> tuple[list[RowImage], datetime | None]:
    """Images of the directory rows changed after ``since`` (all when None), and the newest
    change among them (the next cursor)."""
    images: list[RowImage] = []
    newest: datetime | None = None
    for model in TABLES:
        query = select(model.uuid, model.updated_at).order_by(model.id)
        if since is not None:
            query = query.where(model.updated_at > since)
        rows = s.execute(query).all()
        if not rows:
            continue
        images += images_of(s, _table(model), [r.uuid for r in rows])
        top = max(r.updated_at for r in rows)
        newest = top if newest is None or top > newest else newest
    return images, newest


def export(s: Session, vault: Vault) -> list[str]:
    """Enqueue one bundle per group of colleagues with the same cursor; returns bundle uuids.
    Their cursors move in the same transaction, so a bundle is never missed or sealed twice."""
    groups: dict[datetime | None, list[str]] = defaultdict(list)
    for peer in _recipients(s):
        cursor = s.get(SyncCursor, (peer.fingerprint, SCOPE))
        groups[None if cursor is None else cursor.sent_until].append(peer.fingerprint)
    made: list[str] = []
    for since, fingerprints in sorted(groups.items(),
                                      key=lambda g: (g[0] is not None, g[0] or datetime.min)):
        images, newest = _changed(s, since)
        # What a colleague changed last need not go back to that colleague alone.
        theirs = {p.vault_uuid for p in _recipients(s) if p.fingerprint in fingerprints}
        if len(theirs) == 1:
            images = [i for i in images if i.changed_by_vault not in theirs]
        if newest is None:
            continue
        if not images:
            _move(s, fingerprints, newest)
            continue
        made.append(enqueue(s, vault, DIRECTORY, fingerprints, rows=images))
        _move(s, fingerprints, newest)
    return made


def _move(s: Session, fingerprints: list[str], until: datetime) -> None:
    for fp in fingerprints:
        cursor = s.get(SyncCursor, (fp, SCOPE))
        if cursor is None:
            s.add(SyncCursor(peer_fingerprint=fp, scope=SCOPE, sent_until=until))
        else:
            cursor.sent_until = until


def exporter(s: Session, vault: Vault) -> int:
    return len(export(s, vault))


def directory_size(s: Session) -> int:
    return sum(s.execute(select(func.count()).select_from(t)).scalar_one() for t in TABLES)


class DirectoryHandler:
    def apply(self, s: Session, vault: Vault, bundle: BundleContent,
              sender: PeerDevice) -> tuple[int, int]:
        stray = {img.table for img in bundle.rows} - TABLE_NAMES
        if stray:  # a directory bundle carrying case data: refused whole
            raise BundleRejected("not_allowed", f"tables outside the directory: {sorted(stray)}")
        result = apply_images(s, bundle.rows, remote_vault=bundle.sender.vault_uuid,
                              author=bundle.sender.holder_name, changed_at=bundle.created_at)
        return result.inserted + result.updated, len(result.conflicts or [])


kinds.register(DIRECTORY, DirectoryHandler())
kinds.register_exporter(exporter)
