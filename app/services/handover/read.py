"""Reading side of the handover domain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.handover.records import CaseSyncState, GrantRow
from app.sync.case_rows import changed_since, select_case
from app.sync.grants import case_by_uuid, grant_row, scope_of
from app.sync.readonly import read_only_reasons
from app.vault.store import Vault
from db.models import PeerDevice, ShareGrant, SyncConflict, SyncCursor

# Newest first; offers waiting for a decision and active shares before the history.
_STATE_ORDER = {"offered": 0, "active": 1}


def grants(vault: Vault, *, case_uuid: str | None = None) -> list[GrantRow]:
    """Every deputy share and transfer of this vault, either direction (of one case)."""
    with vault.read_session() as s:
        query = select(ShareGrant)
        if case_uuid is not None:
            query = query.where(ShareGrant.case_uuid == case_uuid)
        rows = [grant_row(s, g) for g in s.execute(query).scalars()]
    return sorted(rows, key=lambda g: (_STATE_ORDER.get(g.state, 2), -g.id))


def offers(vault: Vault) -> list[GrantRow]:
    """Transfers offered to this vault, waiting for accept or decline."""
    with vault.read_session() as s:
        query = select(ShareGrant).where(
            ShareGrant.kind == "transfer", ShareGrant.direction == "in",
            ShareGrant.state == "offered").order_by(ShareGrant.id)
        return [grant_row(s, g) for g in s.execute(query).scalars()]


def case_sync_state(vault: Vault, case_uuid: str) -> CaseSyncState:
    with vault.read_session() as s:
        found = list(s.execute(select(ShareGrant).where(
            ShareGrant.case_uuid == case_uuid).order_by(ShareGrant.id)).scalars())
        rows = [grant_row(s, g) for g in found]
        ended = {g.id: g.ended_at for g in found}
        holders = dict(s.execute(select(PeerDevice.fingerprint, PeerDevice.holder_name).where(
            PeerDevice.fingerprint.in_({g.peer_fingerprint for g in found}))).tuples().all())
        conflicts = int(s.execute(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.case_uuid == case_uuid, SyncConflict.resolved_at.is_(None)))
            .scalar_one())
        reason = read_only_reasons(s, vault.clock.today()).get(case_uuid)
        unsent = _unsent(s, case_uuid)
    live = [g for g in rows if g.state in ("active", "offered", "accepted")]
    return CaseSyncState(case_uuid=case_uuid, label_de=_label(live, ended, holders),
                         grants=tuple(rows), open_conflicts=conflicts, unsent_changes=unsent,
                         read_only=reason is not None, read_only_reason_de=reason)


def _label(live: list[GrantRow], ended: dict[int, datetime | None],
           holders: dict[str, str]) -> str:
    """"Vertretung durch Katharina Nowak bis 18.12.2026", "Übergeben an … am …", …"""
    parts: list[str] = []
    for g in live:
        who = holders.get(g.peer_fingerprint, g.peer_name)
        until = f" bis {g.until:%d.%m.%Y}" if g.until else ""
        if g.kind == "transfer" and g.state == "accepted":
            at = ended.get(g.id)
            when = f"{at:%d.%m.%Y}" if at else f"{g.since:%d.%m.%Y}"
            parts.append(f"Übergeben an {who} am {when}" if g.direction == "out"
                         else f"Übernommen von {who}")
        elif g.kind == "transfer":
            parts.append(f"Übergabe an {who} angeboten" if g.direction == "out"
                         else f"Übergabe von {who} angeboten")
        elif g.direction == "out":
            parts.append(f"Vertretung durch {who}{until}")
        else:
            parts.append(f"Vertretung für {who}{until}")
    return "; ".join(parts) if parts else "Nur in diesem Tresor"


def _unsent(s: Session, case_uuid: str) -> bool:
    """Changes of the case that an active share has not sealed for its peer yet."""
    case = case_by_uuid(s, case_uuid)
    active = list(s.execute(select(ShareGrant).where(
        ShareGrant.case_uuid == case_uuid, ShareGrant.kind == "deputy",
        ShareGrant.state == "active")).scalars())
    if case is None or not active:
        return False
    rows = select_case(s, case.id)
    for grant in active:
        cursor = s.get(SyncCursor, (grant.peer_fingerprint, scope_of(case_uuid)))
        peer = s.execute(select(PeerDevice.vault_uuid).where(
            PeerDevice.fingerprint == grant.peer_fingerprint)).scalar()
        if changed_since(s, rows, cursor.sent_until if cursor else None, peer):
            return True
    return False
