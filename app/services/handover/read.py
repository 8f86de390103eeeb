"""Reading side of the handover domain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.field_labels import field_label
from app.services.conflicts.read import of_case
from app.services.handover.records import CaseSyncState, GrantRow, RecordMarks
from app.sync.case_rows import changed_uuids_since, select_case
from app.sync.grants import case_by_uuid, grant_row, scope_of
from app.sync.readonly import read_only_reasons
from app.vault.store import Vault
from db.models import Consent, ConsentScope, PeerDevice, ShareGrant, SyncConflict, SyncCursor

DELETED_DE = "Datensatz gelöscht"  # a "deleted" conflict: one side deleted, the other edited
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
        return _state(s, vault, case_uuid, bool(_unsent_records(s, case_uuid)))


def case_sync(vault: Vault, case_uuid: str) -> tuple[CaseSyncState, RecordMarks]:
    """``case_sync_state`` and ``record_marks`` together, the case's rows read once (a case
    file's sync line asks for both at every refresh)."""
    with vault.read_session() as s:
        unsent = _unsent_records(s, case_uuid)
        state = _state(s, vault, case_uuid, bool(unsent))
        return state, _marks(s, case_uuid, unsent)


def _state(s: Session, vault: Vault, case_uuid: str, unsent: bool) -> CaseSyncState:
    found = list(s.execute(select(ShareGrant).where(
        ShareGrant.case_uuid == case_uuid).order_by(ShareGrant.id)).scalars())
    rows = [grant_row(s, g) for g in found]
    ended = {g.id: g.ended_at for g in found}
    holders = dict(s.execute(select(PeerDevice.fingerprint, PeerDevice.holder_name).where(
        PeerDevice.fingerprint.in_({g.peer_fingerprint for g in found}))).tuples().all())
    conflicts = int(s.execute(select(func.count()).select_from(SyncConflict).where(
        of_case(s, case_uuid), SyncConflict.resolved_at.is_(None))).scalar_one())
    reason = read_only_reasons(s, vault.clock.today()).get(case_uuid)
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


def record_marks(vault: Vault, case_uuid: str) -> RecordMarks:
    """Which records of the case hold an open conflict (and in which fields; the client's
    records too, as the case's conflicts count them) and which were changed here since the case
    was last sealed for a colleague sharing it (and for whom)."""
    with vault.read_session() as s:
        return _marks(s, case_uuid, _unsent_records(s, case_uuid))


def _marks(s: Session, case_uuid: str, unsent: dict[str, list[str]]) -> RecordMarks:
    conflicts: dict[str, list[str]] = {}
    for uuid, name, kind in s.execute(select(
            SyncConflict.row_uuid, SyncConflict.field, SyncConflict.kind).where(
            of_case(s, case_uuid), SyncConflict.resolved_at.is_(None))
            .order_by(SyncConflict.id)).tuples():
        label = DELETED_DE if kind == "deleted" else field_label(name)
        if label not in conflicts.setdefault(uuid, []):
            conflicts[uuid].append(label)
    for marks in (conflicts, unsent):
        _add_parents(s, marks)
    return RecordMarks(case_uuid, {u: tuple(v) for u, v in conflicts.items()},
                       {u: tuple(v) for u, v in unsent.items()})


def _unsent_records(s: Session, case_uuid: str) -> dict[str, list[str]]:
    """Record uuid -> colleagues (deputy shares, either direction) not sent its change yet."""
    case = case_by_uuid(s, case_uuid)
    active = list(s.execute(select(ShareGrant).where(
        ShareGrant.case_uuid == case_uuid, ShareGrant.kind == "deputy",
        ShareGrant.state == "active").order_by(ShareGrant.id)).scalars())
    if case is None or not active:
        return {}
    rows = select_case(s, case.id)
    found: dict[str, list[str]] = {}
    for grant in active:
        cursor = s.get(SyncCursor, (grant.peer_fingerprint, scope_of(case_uuid)))
        peer = s.execute(select(PeerDevice).where(
            PeerDevice.fingerprint == grant.peer_fingerprint)).scalar()
        name = peer.holder_name if peer is not None else grant_row(s, grant).peer_name
        for uuid in changed_uuids_since(s, rows, cursor.sent_until if cursor else None,
                                        peer.vault_uuid if peer is not None else None):
            if name not in found.setdefault(uuid, []):
                found[uuid].append(name)
    return found


def _add_parents(s: Session, marks: dict[str, list[str]]) -> None:
    """A consent's scope shows in the consent's row: its marks go there too."""
    if not marks:
        return
    for scope, consent in s.execute(select(ConsentScope.uuid, Consent.uuid).join(
            Consent, Consent.id == ConsentScope.consent_id).where(
            ConsentScope.uuid.in_(list(marks)))).tuples():
        merged = marks.setdefault(consent, [])
        merged.extend(v for v in marks[scope] if v not in merged)
